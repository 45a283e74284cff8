/// Thrown by ``withDeadline(_:sleep:operation:)`` when the operation did not finish in time.
struct DeadlineExceeded: Error, Sendable {}

/// Runs `operation`, cancelling it and throwing ``DeadlineExceeded`` if it has not finished after `timeout`.
/// `sleep` is the racing timer: `Task.sleep` by default; ``AsyncHTTPClientTransport`` passes an event-loop timer,
/// which is freed as soon as it is cancelled (a cancelled `Task.sleep` stays alive until its full timeout on Linux).
func withDeadline<T: Sendable>(
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

/// For transport authors: runs `operation` (one whole HTTP exchange), cancelling it when `timeout` has passed, as
/// an ``InferenceTransport`` must honour ``TransportRequest/timeout``. Throws `.timeout` ("no complete response
/// within …") then; the operation's own errors pass through unchanged.
public func withTransportDeadline<T: Sendable>(
    _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    do {
        return try await withDeadline(timeout, operation: operation)
    } catch is DeadlineExceeded {
        throw InferenceError(.timeout, "no complete response within \(timeout.formattedSeconds)")
    }
}
