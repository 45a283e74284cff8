import Foundation
import ImageCodecs
import InferenceSDK
import NIOConcurrencyHelpers

/// A fault proxy in front of the real server, the one of every test target: each request is forwarded unchanged
/// to the real server (whose answer is returned unchanged), answered with a fault, or held until ``release()``.
///
/// It records every workflow request: the width of the image it carried (tests give images distinct widths) and,
/// per image (keyed by its base64), how many requests, faults and forwarded successes there were, so a test can
/// prove that no image was lost or done twice.
public final class FaultProxy: Sendable {
    /// One workflow request as the policy sees it.
    public struct Request: Sendable {
        /// 0-based count of workflow requests (`POST …/workflows/…`) received so far.
        public var index: Int
        /// The base64 of the request's `image` input, when it has one.
        public var image: String?
        /// The width of that image, when its header is readable.
        public var width: Int?
        /// 1 for the first request carrying this image, 2 for its first retry, …
        public var attempt: Int
    }

    /// What to do with one workflow request.
    public enum Decision: Sendable {
        /// Send it to the real server.
        case forward
        /// Answer with this action instead.
        case fault(TestHTTPServer.Action)
        /// Hold it (no answer) until ``release()``; then answer 503.
        case hold
    }

    /// Decides per workflow request; other requests (`/info`, …) are always forwarded.
    public typealias Policy = @Sendable (Request) -> Decision

    /// What happened to the requests for one image.
    public struct Tally: Sendable, Equatable {
        /// Requests received.
        public var requests = 0
        /// Requests answered with a fault.
        public var faults = 0
        /// Forwarded requests the real server answered 2xx.
        public var successes = 0

        /// A tally.
        public init(requests: Int = 0, faults: Int = 0, successes: Int = 0) {
            self.requests = requests
            self.faults = faults
            self.successes = successes
        }
    }

    private struct State {
        var policy: Policy
        var widths: [Int?] = []
        var tallies: [String: Tally] = [:]
        var held = 0
        var released = false
    }

    private let server: TestHTTPServer
    private let state: NIOLockedValueBox<State>
    private let upstream: AsyncHTTPClientTransport

    /// The proxy's base URL (give it to the client or `rfclient --api-url`).
    public var baseURL: String { server.baseURL }

    private init(server: TestHTTPServer, state: NIOLockedValueBox<State>, upstream: AsyncHTTPClientTransport) {
        self.server = server
        self.state = state
        self.upstream = upstream
    }

    /// Starts a proxy to `upstream` (the real server's base URL).
    public static func start(upstream base: String, policy: @escaping Policy = { _ in .forward }) async throws -> FaultProxy {
        let state = NIOLockedValueBox(State(policy: policy))
        let upstream = AsyncHTTPClientTransport(connectTimeout: .seconds(5))
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        let server = try await TestHTTPServer.start { request in
            guard request.method == "POST", request.uri.contains("/workflows/") else {
                return await forward(request, to: root, with: upstream, state: state, key: nil)
            }
            let image = imageKey(request.body)
            let key = image ?? "<\(request.method) \(request.uri)>"
            let decision = state.withLockedValue { s -> Decision in
                s.tallies[key, default: Tally()].requests += 1
                let seen = Request(index: s.widths.count, image: image, width: image.flatMap(width(ofBase64:)),
                                   attempt: s.tallies[key, default: Tally()].requests)
                s.widths.append(seen.width)
                let decision = s.policy(seen)
                switch decision {
                case .hold: s.held += 1
                case .fault: s.tallies[key, default: Tally()].faults += 1
                case .forward: break
                }
                return decision
            }
            switch decision {
            case .forward:
                return await forward(request, to: root, with: upstream, state: state, key: key)
            case .fault(let action):
                return action
            case .hold:
                // Bounded: at most 60 s, polling for the release.
                for _ in 0..<1200 where !state.withLockedValue({ $0.released }) {
                    try? await Task.sleep(for: .milliseconds(50))
                }
                return TestHTTPServer.json(503, #"{"message":"held by the fault proxy"}"#)
            }
        }
        return FaultProxy(server: server, state: state, upstream: upstream)
    }

    /// A proxy whose rule returns a fault for (image base64, attempt), or nil to forward.
    public static func start(
        upstream: String, rule: @escaping @Sendable (_ image: String?, _ attempt: Int) -> TestHTTPServer.Action?
    ) async throws -> FaultProxy {
        try await start(upstream: upstream, policy: Self.policy(rule))
    }

    /// A proxy whose policy sees (request index, image width).
    public static func start(
        upstream: String, byWidth: @escaping @Sendable (_ index: Int, _ width: Int?) -> Decision
    ) async throws -> FaultProxy {
        try await start(upstream: upstream, policy: { byWidth($0.index, $0.width) })
    }

    /// Replaces the policy and forgets what was recorded (e.g. between an interrupted run and its rerun).
    public func reset(policy: @escaping Policy) {
        state.withLockedValue {
            $0.policy = policy
            $0.widths = []
            $0.tallies = [:]
        }
    }

    /// Replaces the policy with one that sees (request index, image width), and forgets what was recorded.
    public func reset(byWidth: @escaping @Sendable (_ index: Int, _ width: Int?) -> Decision) {
        reset(policy: { byWidth($0.index, $0.width) })
    }

    /// Replaces the rule, keeping the counts (e.g. to clear a fault before a rerun).
    public func setRule(_ rule: @escaping @Sendable (_ image: String?, _ attempt: Int) -> TestHTTPServer.Action?) {
        let policy = Self.policy(rule)
        state.withLockedValue { $0.policy = policy }
    }

    /// Image widths of the workflow requests received, in arrival order.
    public var requestWidths: [Int?] { state.withLockedValue { $0.widths } }

    /// Per-image tallies, keyed by the image's base64.
    public var perImage: [String: Tally] { state.withLockedValue { $0.tallies }.filter { !$0.key.hasPrefix("<") } }

    /// Requests currently or formerly held.
    public var heldCount: Int { state.withLockedValue { $0.held } }

    /// Waits until a request is held; false when none arrived within `bound`.
    public func waitForHeldRequest(bound: Duration = .seconds(60)) async -> Bool {
        await eventually(timeout: bound, every: .milliseconds(20)) { heldCount > 0 }
    }

    /// Lets held requests finish (with 503).
    public func release() { state.withLockedValue { $0.released = true } }

    /// Releases held requests and stops the proxy.
    public func shutdown() async {
        release()
        await server.shutdown()
        try? await upstream.shutdown()
    }

    private static func policy(_ rule: @escaping @Sendable (String?, Int) -> TestHTTPServer.Action?) -> Policy {
        { request in rule(request.image, request.attempt).map { .fault($0) } ?? .forward }
    }

    private static func forward(
        _ request: TestHTTPServer.Request, to base: String, with upstream: AsyncHTTPClientTransport,
        state: NIOLockedValueBox<State>, key: String?
    ) async -> TestHTTPServer.Action {
        let outgoing = TransportRequest(
            method: request.method, url: base + request.uri,
            headers: request.headers.filter { !["host", "content-length", "connection"].contains($0.name.lowercased()) },
            body: request.method == "GET" ? nil : request.body, timeout: .seconds(120), maxResponseBytes: 256 << 20
        )
        do {
            let response = try await upstream.send(outgoing)
            if let key, (200..<300).contains(response.status) {
                state.withLockedValue { $0.tallies[key, default: Tally()].successes += 1 }
            }
            let kept = response.headers.filter { !["content-length", "transfer-encoding", "connection"].contains($0.name.lowercased()) }
            return .respond(status: response.status, headers: kept.map { ($0.name, $0.value) }, body: response.body)
        } catch {
            return TestHTTPServer.json(502, #"{"message":"the fault proxy could not reach the real server"}"#)
        }
    }

    /// The `inputs.image.value` of a workflow request body.
    public static func imageKey(_ body: [UInt8]) -> String? {
        guard !body.isEmpty, let json = try? JSONValue(parsing: body) else { return nil }
        return json["inputs"]?["image"]?["value"]?.stringValue
    }

    private static func width(ofBase64 value: String) -> Int? {
        guard let bytes = try? Base64.decode(value) else { return nil }
        return ImageInfo.read(bytes)?.width
    }
}
