import Dispatch
import Foundation

/// Runs an operation in a task that Ctrl-C (SIGINT) or SIGTERM cancels, so the operation can stop cleanly.
package enum Interrupt {
    package static func cancellable<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await operation() }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Terminal.writeError("\nrfclient: stopping: finishing what is in flight, keeping finished results…\n")
                task.cancel()
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        return try await task.value
    }
}
