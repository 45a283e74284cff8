import InferenceSDK
import NIOConcurrencyHelpers

/// A transport for unit tests of code that calls the SDK: it answers each request from a script and records
/// every request it was sent, so a test runs without a server and can check what would have gone out.
///
/// ```swift
/// let transport = ScriptedTransport(.outputs([WorkflowOutput(fields: ["count": 3])]))
/// let client = try InferenceHTTPClient(configuration: .testing(), transport: transport)
/// let result = try await client.runWorkflow(workspace: "acme", id: "count", images: ["image": .bytes(jpeg)])
/// #expect(result.outputs[0].int("count") == 3)
/// #expect(transport.requests.first?.path == "/acme/workflows/count")
/// ```
///
/// An injected transport is its caller's: the client never shuts it down (``shutdown()`` does nothing here
/// anyway), so one script may serve several clients.
public final class ScriptedTransport: InferenceTransport {
    /// Decides the answer to one request: the request and its 0-based index among all requests sent.
    public typealias Handler = @Sendable (TransportRequest, Int) async -> ScriptedReply

    private let handler: Handler
    private let log = NIOLockedValueBox<[TransportRequest]>([])

    /// Answers with `handler` (the request and its index).
    public init(handler: @escaping Handler) { self.handler = handler }

    /// Answers the requests with `replies` in order; a request past the end fails with `.connectionFailed`
    /// ("no reply scripted for request N"), so a test notices an unexpected request.
    public convenience init(_ replies: ScriptedReply...) {
        self.init(replies: replies)
    }

    /// Answers the requests with `replies` in order (see ``init(_:)-(ScriptedReply...)``).
    public convenience init(replies: [ScriptedReply]) {
        self.init { request, index in
            index < replies.count
                ? replies[index]
                : .failure(InferenceError(
                    .connectionFailed, "ScriptedTransport: no reply scripted for request \(index + 1) (\(request.method) \(request.path))"))
        }
    }

    /// Answers by route: `routes` gets each request (use its `path` and `method`).
    public convenience init(routes: @escaping @Sendable (TransportRequest) -> ScriptedReply) {
        self.init { request, _ in routes(request) }
    }

    /// A synchronous answer as a `Result` (the form the SDK's own tests use).
    public convenience init(_ reply: @escaping @Sendable (TransportRequest, Int) -> Result<TransportResponse, InferenceError>) {
        self.init { request, index in
            switch reply(request, index) {
            case .success(let response): return .response(response)
            case .failure(let error): return .failure(error)
            }
        }
    }

    /// Every request sent so far, in order (bodies included).
    public var requests: [TransportRequest] { log.withLockedValue { $0 } }

    /// Forgets the requests recorded so far.
    public func reset() { log.withLockedValue { $0.removeAll() } }

    /// Records the request and answers it from the script.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        var recorded = request
        // The SDK reuses request buffers once `send` returns: keep a copy of our own.
        recorded.body = request.body
        let index = log.withLockedValue { log in
            log.append(recorded)
            return log.count - 1
        }
        return try await handler(request, index).response()
    }

    /// Does nothing: there is nothing to release.
    public func shutdown() async throws {}
}
