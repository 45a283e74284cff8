/// Thrown by ``withDeadline(_:operation:)`` when the operation did not finish in time.
package struct DeadlineExceeded: Error, Sendable {}

/// Runs `operation`, cancelling it and throwing ``DeadlineExceeded`` if it has not finished after `timeout`.
package func withDeadline<T: Sendable>(
    _ timeout: Duration,
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw DeadlineExceeded()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded() }
        return first
    }
}
