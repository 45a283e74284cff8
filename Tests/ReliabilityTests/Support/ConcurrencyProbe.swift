import NIOConcurrencyHelpers
import InferenceSDK
import TestSupport

/// A middleware of the test's own that counts the attempts passing through it at once: what the client really has
/// on the wire (it sits inside the client's limit on requests in flight, so it sees only what that limit lets out).
final class ConcurrencyProbe: InferenceMiddleware {
    private let state = NIOLockedValueBox((current: 0, peak: 0))

    func intercept(
        _ request: TransportRequest, next: @Sendable (TransportRequest) async throws -> TransportResponse
    ) async throws -> TransportResponse {
        state.withLockedValue {
            $0.current += 1
            $0.peak = max($0.peak, $0.current)
        }
        defer { state.withLockedValue { $0.current -= 1 } }
        return try await next(request)
    }

    /// The most attempts in flight at once since the last call (or the start); the next period starts at the
    /// number in flight now.
    func takePeak() -> Int {
        state.withLockedValue { s in
            defer { s.peak = s.current }
            return s.peak
        }
    }
}

/// Sends `count` workflow runs with `concurrency` in flight at most (as a folder job does: the next one starts when
/// one ends); returns how many failed.
func sendRuns(_ client: InferenceHTTPClient, count: Int, concurrency: Int) async throws -> Int {
    let image = try Images.png(seed: 1)
    return await withTaskGroup(of: Bool.self) { group in
        var started = 0
        var failed = 0
        func startNext() {
            guard started < count else { return }
            started += 1
            group.addTask {
                do {
                    _ = try await client.runWorkflow(specification: Fixture.echo, images: ["image": .bytes(image)])
                    return true
                } catch {
                    return false
                }
            }
        }
        for _ in 0..<concurrency { startNext() }
        while let succeeded = await group.next() {
            if !succeeded { failed += 1 }
            startNext()
        }
        return failed
    }
}
