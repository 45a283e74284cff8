import ArgumentParser
import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// Runs an operation in a task that Ctrl-C (SIGINT) or SIGTERM cancels, so the operation can stop cleanly.
///
/// The first Ctrl-C (or SIGTERM) cancels the task: no new work starts, finished results are kept, and the operation
/// ends once what is in flight has stopped. A second Ctrl-C within ``forceWindow`` of the first ends the process at
/// once with exit code 130, for a run stuck where cancelling does not reach (a blocking read, a source that never
/// answers): results already written stay, and a rerun finishes the rest. A Ctrl-C after the window counts as a first
/// one again.
package enum Interrupt {
    /// How soon after a Ctrl-C a second one quits at once.
    package static let forceWindow: Duration = .seconds(5)

    package static func cancellable<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await operation() }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let presses = Presses()
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if number == SIGINT, presses.isSecondPress(at: .now) {
                    Terminal.writeError("\nrfclient: interrupted again: quitting now; finished results are kept, rerun to finish the rest\n")
                    _exit(ExitCode.interrupted.rawValue)
                }
                let again = number == SIGINT ? " (Ctrl-C again within \(forceWindow.components.seconds) s quits at once)" : ""
                Terminal.writeError("\nrfclient: stopping: finishing what is in flight, keeping finished results…\(again)\n")
                task.cancel()
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        return try await task.value
    }

    /// When the last Ctrl-C arrived, to tell a second press from a first.
    final class Presses: Sendable {
        private let last = NIOLockedValueBox<ContinuousClock.Instant?>(nil)  // not Mutex: macOS 13 is supported

        /// Records a press at `now`; true when it follows another within ``Interrupt/forceWindow``.
        func isSecondPress(at now: ContinuousClock.Instant) -> Bool {
            last.withLockedValue { last in
                defer { last = now }
                guard let previous = last else { return false }
                return now - previous <= Interrupt.forceWindow
            }
        }
    }
}
