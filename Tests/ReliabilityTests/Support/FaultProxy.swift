import Foundation
import InferenceSDK
import TestSupport

/// A fault injector in front of the real server: each workflow request is answered by a fault (a
/// ``TestHTTPServer/Action``) when the current rule says so, and otherwise forwarded to the real server
/// unchanged (AsyncHTTPClient). Every request is counted per image (by the base64 of its `image` input),
/// so tests can prove that no image was lost or done twice.
final class FaultProxy: Sendable {
    /// Decides, for one request, whether to inject a fault: the image's base64 (nil when the body has none) and
    /// the attempt number for that image (1 for its first request). Return nil to forward.
    typealias Rule = @Sendable (_ image: String?, _ attempt: Int) -> TestHTTPServer.Action?

    /// What happened to the requests for one image.
    struct Tally: Sendable, Equatable {
        var requests = 0
        var faults = 0
        /// Forwarded requests the real server answered 2xx.
        var successes = 0
    }

    let server: TestHTTPServer
    private let rule: Locked<Rule>
    private let tallies: Locked<[String: Tally]>
    private let upstreamTransport: AsyncHTTPClientTransport

    var baseURL: String { server.baseURL }

    private init(server: TestHTTPServer, rule: Locked<Rule>, tallies: Locked<[String: Tally]>, transport: AsyncHTTPClientTransport) {
        self.server = server
        self.rule = rule
        self.tallies = tallies
        self.upstreamTransport = transport
    }

    /// Starts a proxy to `upstream` (the real server's base URL).
    static func start(upstream: String, rule initial: @escaping Rule = { _, _ in nil }) async throws -> FaultProxy {
        let rule = Locked<Rule>(initial)
        let tallies = Locked<[String: Tally]>([:])
        let transport = AsyncHTTPClientTransport(connectTimeout: .seconds(5))
        let base = upstream.hasSuffix("/") ? String(upstream.dropLast()) : upstream
        let server = try await TestHTTPServer.start { request in
            let image = Self.imageKey(request.body)
            let key = image ?? "<\(request.method) \(request.uri)>"
            let attempt = tallies.withLock { tallies -> Int in
                tallies[key, default: Tally()].requests += 1
                return tallies[key, default: Tally()].requests
            }
            if let fault = rule.current(image, attempt) {
                tallies.withLock { $0[key, default: Tally()].faults += 1 }
                return fault
            }
            let forwarded = TransportRequest(
                method: request.method, url: base + request.uri,
                headers: request.headers.filter { !["host", "content-length", "connection"].contains($0.name.lowercased()) },
                body: request.method == "GET" ? nil : request.body, timeout: .seconds(120), maxResponseBytes: 256 << 20
            )
            do {
                let response = try await transport.send(forwarded)
                if (200..<300).contains(response.status) { tallies.withLock { $0[key, default: Tally()].successes += 1 } }
                let headers = response.headers.filter {
                    !["content-length", "transfer-encoding", "connection"].contains($0.name.lowercased())
                }
                return .respond(status: response.status, headers: headers.map { ($0.name, $0.value) }, body: response.body)
            } catch {
                return TestHTTPServer.json(599, #"{"message":"fault proxy could not reach the real server"}"#)
            }
        }
        return FaultProxy(server: server, rule: rule, tallies: tallies, transport: transport)
    }

    /// Replaces the rule (e.g. to clear the fault before a rerun).
    func setRule(_ newRule: @escaping Rule) { rule.withLock { $0 = newRule } }

    /// Per-image tallies, keyed by the image's base64.
    var perImage: [String: Tally] { tallies.current.filter { !$0.key.hasPrefix("<") } }

    /// Forgets the counts (not the rule).
    func resetCounts() { tallies.withLock { $0 = [:] } }

    func shutdown() async {
        await server.shutdown()
        try? await upstreamTransport.shutdown()
    }

    /// The `inputs.image.value` of a workflow request body.
    static func imageKey(_ body: [UInt8]) -> String? {
        guard !body.isEmpty, let json = try? JSONValue(parsing: body) else { return nil }
        return json["inputs"]?["image"]?["value"]?.stringValue
    }
}
