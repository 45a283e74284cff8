import ImageCodecs
import Foundation
import InferenceSDK
import TestSupport

/// A fault injector in front of the real server: each workflow request is either forwarded unchanged to the
/// real server (whose answer is returned unchanged), answered with a fault, or held until released.
/// It records, per workflow request, the width of the image it carried (the tests give every image a
/// distinct width), so a test can count server-side requests per image.
final class FaultInjector: Sendable {
    /// What to do with one workflow request.
    enum Decision: Sendable {
        /// Send it to the real server.
        case forward
        /// Answer with this action instead.
        case fault(TestHTTPServer.Action)
        /// Hold it (no answer) until ``release()``; then answer 503.
        case hold
    }

    /// Decides per request: `index` counts workflow requests from 0, `width` is the image's width.
    typealias Policy = @Sendable (_ index: Int, _ width: Int?) -> Decision

    private let server: TestHTTPServer
    private let state: Locked<State>
    private let upstream: AsyncHTTPClientTransport

    private struct State {
        var widths: [Int?] = []
        var held = 0
        var released = false
        var policy: Policy
    }

    var baseURL: String { server.baseURL }

    /// Image widths of the workflow requests received, in arrival order.
    var requestWidths: [Int?] { state.withLock { $0.widths } }

    /// Requests currently or formerly held.
    var heldCount: Int { state.withLock { $0.held } }

    private init(server: TestHTTPServer, state: Locked<State>, upstream: AsyncHTTPClientTransport) {
        self.server = server
        self.state = state
        self.upstream = upstream
    }

    /// Starts the injector; `upstream` is the real server's base URL.
    static func start(upstream base: String, policy: @escaping Policy) async throws -> FaultInjector {
        let state = Locked(State(policy: policy))
        let upstream = AsyncHTTPClientTransport(connectTimeout: .seconds(5))
        let server = try await TestHTTPServer.start { request in
            guard request.method == "POST", request.uri.hasSuffix("/workflows/run") else {
                return await forward(request, to: base, with: upstream)
            }
            let width = Self.imageWidth(request.body)
            let decision = state.withLock { s -> Decision in
                let decision = s.policy(s.widths.count, width)
                s.widths.append(width)
                if case .hold = decision { s.held += 1 }
                return decision
            }
            switch decision {
            case .forward:
                return await forward(request, to: base, with: upstream)
            case .fault(let action):
                return action
            case .hold:
                // Bounded: at most 60 s, polling for the release.
                for _ in 0..<1200 where !state.withLock({ $0.released }) {
                    try? await Task.sleep(for: .milliseconds(50))
                }
                return TestHTTPServer.json(503, #"{"message":"held by the fault injector"}"#)
            }
        }
        return FaultInjector(server: server, state: state, upstream: upstream)
    }

    /// Replaces the policy (e.g. between an interrupted run and its rerun) and forgets recorded requests.
    func reset(policy: @escaping Policy) {
        state.withLock {
            $0.policy = policy
            $0.widths = []
        }
    }

    /// Waits until a request is held; false when none arrived within `bound`.
    func waitForHeldRequest(bound: Duration = .seconds(60)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + bound
        while clock.now < deadline {
            if heldCount > 0 { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return heldCount > 0
    }

    /// Lets held requests finish (with 503).
    func release() { state.withLock { $0.released = true } }

    func shutdown() async {
        release()
        await server.shutdown()
        try? await upstream.shutdown()
    }

    private static func forward(
        _ request: TestHTTPServer.Request, to base: String, with upstream: AsyncHTTPClientTransport
    ) async -> TestHTTPServer.Action {
        let outgoing = TransportRequest(
            method: request.method, url: base + request.uri,
            headers: request.headers.filter { ["content-type", "authorization"].contains($0.name.lowercased()) },
            body: request.method == "GET" ? nil : request.body, timeout: .seconds(60), maxResponseBytes: 64 << 20
        )
        do {
            let response = try await upstream.send(outgoing)
            let kept = response.headers.filter { ["content-type", "x-request-id"].contains($0.name.lowercased()) }
            return .respond(status: response.status, headers: kept.map { ($0.name, $0.value) }, body: response.body)
        } catch {
            return TestHTTPServer.json(502, #"{"message":"fault injector could not reach the real server"}"#)
        }
    }

    /// The width of the image in a workflow request body (`inputs.image.value`, base64).
    static func imageWidth(_ body: [UInt8]) -> Int? {
        guard let json = try? JSONValue(parsing: body), let value = json["inputs"]?["image"]?["value"]?.stringValue,
              let bytes = try? Base64.decode(value) else { return nil }
        return ImageInfo.read(bytes)?.width
    }
}

/// A value behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
