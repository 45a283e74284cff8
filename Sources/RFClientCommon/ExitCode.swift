import ArgumentParser
import InferenceSDK

/// The documented exit codes (README), as ArgumentParser's own `ExitCode`: the one exit-code type of both shell
/// front ends. A command ends with one by throwing it after printing its own message.
extension ExitCode {
    /// 1: some images or frames failed (recorded in `failures.jsonl`); the rest are done.
    package static let someFailed = ExitCode(1)
    /// 2: bad input or usage, found before anything was sent.
    package static let badInput = ExitCode(2)
    /// 3: the server rejected the request (4xx).
    package static let rejected = ExitCode(3)
    /// 4: the server failed, could not be reached, or timed out.
    package static let serverFailure = ExitCode(4)
    /// 5: results could not be written here (no space, read-only, permission denied).
    package static let localIO = ExitCode(5)
    /// 6: the output folder is in use by another job that is still running (nothing sent, nothing touched).
    package static let folderInUse = ExitCode(6)
    /// 7: TLS failed: the server's certificate was not verified (unknown CA, expired, another host's) or the server
    /// refused the client certificate. Nothing was sent.
    package static let tlsFailure = ExitCode(7)
    /// 130: interrupted (Ctrl-C); finished results are kept.
    package static let interrupted = ExitCode(130)

    /// The code for an error of this kind.
    package static func `for`(_ error: InferenceError) -> ExitCode {
        switch error.kind {
        case .invalidInput, .invalidConfiguration, .requestTooLarge: return badInput
        case .clientError: return rejected
        case .cancelled: return interrupted
        case .localIO: return localIO
        case .folderInUse: return folderInUse
        case .tlsFailure: return tlsFailure
        default: return serverFailure
        }
    }
}
