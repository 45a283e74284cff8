import InferenceSDK

/// The documented exit codes.
enum ExitCode {
    static let success: Int32 = 0
    static let someFailed: Int32 = 1
    static let badInput: Int32 = 2
    static let rejected: Int32 = 3
    static let serverFailure: Int32 = 4
    static let localIO: Int32 = 5
    static let interrupted: Int32 = 130

    static func `for`(_ error: InferenceError) -> Int32 {
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
struct CLIExit: Error {
    let code: Int32
}
