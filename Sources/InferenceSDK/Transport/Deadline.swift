/// Thrown by ``withDeadline(_:sleep:operation:)`` when the operation did not finish in time.
package struct DeadlineExceeded: Error, Sendable {}

/// Runs `operation`, cancelling it and throwing ``DeadlineExceeded`` if it has not finished after `timeout`.
/// `sleep` is the racing timer: `Task.sleep` by default; ``AsyncHTTPClientTransport`` passes an event-loop timer,
/// which is freed as soon as it is cancelled (a cancelled `Task.sleep` stays alive until its full timeout on Linux).
package func withDeadline<T: Sendable>(
    _ timeout: Duration,
    sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await sleep(timeout)
            throw DeadlineExceeded()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded() }
        return first
    }
}
