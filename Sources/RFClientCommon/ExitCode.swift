import InferenceSDK

/// The documented exit codes.
package enum ExitCode {
    package static let success: Int32 = 0
    package static let someFailed: Int32 = 1
    package static let badInput: Int32 = 2
    package static let rejected: Int32 = 3
    package static let serverFailure: Int32 = 4
    package static let localIO: Int32 = 5
    package static let interrupted: Int32 = 130

    package static func `for`(_ error: InferenceError) -> Int32 {
        switch error.kind {
        case .invalidInput, .invalidConfiguration, .requestTooLarge: return badInput
        case .clientError: return rejected
        case .cancelled: return interrupted
        case .localIO: return localIO
        default: return serverFailure
        }
    }
}

/// Ends the command with a code after its own message was printed.
package struct CLIExit: Error {
    package let code: Int32

    /// Ends with `code`.
    package init(code: Int32) { self.code = code }
}
