import Foundation
import NIOConcurrencyHelpers

/// A rate-limited server on a ``TestHTTPServer``: a token bucket of `capacity` tokens refilled at `rate` per second;
/// a request that finds a token is run (answered 200 with one output after `runTime`), one that finds none is
/// answered 429 at once with `Retry-After`. It counts both and the requests it is running (in flight), with their
/// peak, so that tests see what a client's concurrency did. ``limiting`` turns the bucket off and on.
public final class TokenBucketServer: Sendable {
    struct State {
        var tokens: Double
        var refilled: ContinuousClock.Instant
        var limiting = true
        var running = 0
        var peak = 0
        var accepted = 0
        var rejected = 0
        var firstRejection: ContinuousClock.Instant?
    }

    /// The answer to an accepted request: one output, as `Fixture.echo` expects.
    public static let success = TestHTTPServer.json(200, #"{"outputs":[{"answer":42}],"profiler_trace":[]}"#)

    private let state: NIOLockedValueBox<State>
    private let http: TestHTTPServer

    /// The server's base URL.
    public let baseURL: String

    private init(state: NIOLockedValueBox<State>, http: TestHTTPServer) {
        self.state = state
        self.http = http
        baseURL = http.baseURL
    }

    /// Starts a server admitting `rate` requests per second with bursts of `capacity` (the bucket starts full).
    public static func start(
        rate: Double, capacity: Double, runTime: Duration, retryAfter: String = "1"
    ) async throws -> TokenBucketServer {
        let state = NIOLockedValueBox(State(tokens: capacity, refilled: .now))
        let http = try await TestHTTPServer.start { _ in
            let admitted = state.withLockedValue { s -> Bool in
                let now = ContinuousClock.now
                s.tokens = min(capacity, s.tokens + (now - s.refilled).seconds * rate)
                s.refilled = now
                if s.limiting {
                    guard s.tokens >= 1 else {
                        s.rejected += 1
                        if s.firstRejection == nil { s.firstRejection = now }
                        return false
                    }
                    s.tokens -= 1
                }
                s.running += 1
                s.peak = max(s.peak, s.running)
                return true
            }
            guard admitted else { return .respond(status: 429, headers: [("Retry-After", retryAfter)], body: []) }
            try? await Task.sleep(for: runTime)
            state.withLockedValue {
                $0.running -= 1
                $0.accepted += 1
            }
            return success
        }
        return TokenBucketServer(state: state, http: http)
    }

    /// Requests answered 200.
    public var accepted: Int { state.withLockedValue { $0.accepted } }
    /// Requests answered 429.
    public var rejected: Int { state.withLockedValue { $0.rejected } }
    /// Whether any request has been answered 429 yet.
    public var hasRejected: Bool { state.withLockedValue { $0.firstRejection != nil } }
    /// Requests being run now.
    public var running: Int { state.withLockedValue { $0.running } }

    /// The most requests run at once since the last call (or the start); starts the next period at the number
    /// running now.
    public func takePeak() -> Int {
        state.withLockedValue { s in
            defer { s.peak = s.running }
            return s.peak
        }
    }

    /// Whether the bucket limits (default `true`); `false` runs every request.
    public var limiting: Bool {
        get { state.withLockedValue { $0.limiting } }
        set { state.withLockedValue { $0.limiting = newValue } }
    }

    /// Stops the server.
    public func shutdown() async {
        await http.shutdown()
    }
}
