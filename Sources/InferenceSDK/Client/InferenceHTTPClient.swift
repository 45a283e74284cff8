import Foundation
import Logging
import NIOCore

/// A client for a Roboflow `inference` server: runs saved and inline workflows, turning every kind of
/// image into the server's wire format and the answers into typed results.
///
/// Create one client and reuse it: it keeps a pool of keep-alive connections. Call ``shutdown()`` when
/// done (or use ``withClient(_:transport:_:)``). A transport passed in (``init(configuration:transport:)``) stays its
/// caller's: the client never shuts it down, so several clients may share one.
///
/// ```swift
/// try await InferenceHTTPClient.withClient(.init(apiURL: "http://127.0.0.1:9001")) { client in
///     let result = try await client.runWorkflow(
///         workspace: "my-workspace", id: "my-workflow",
///         images: ["image": .file("photo.jpg")], parameters: ["confidence": 0.4])
///     print(try result.outputs[0].detections("predictions")?.predictions.count ?? 0)
/// }
/// ```
public final class InferenceHTTPClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: InferenceClientConfiguration
    /// The base URL, normalised (no trailing slash).
    public let baseURL: String
    let transport: any InferenceTransport
    /// Every API request's way out: redaction, retries, the limit on requests in flight, the configured middleware,
    /// redirects, logging, transport.
    let chain: MiddlewareChain
    /// Image downloads' way out: redirects, then the transport.
    let downloads: MiddlewareChain
    /// Whether ``transport`` was created by this client (and so is shut down by ``shutdown()``).
    let ownsTransport: Bool
    let redact: Redactor
    /// Buffers workflow request bodies are built in, reused across requests.
    let bodyBuffers: BodyBufferPool
    /// The task of each model `infer(_:model:task:options:)` looked up in the registry.
    let modelTasks = ModelTaskCache()
    /// The limit on requests in flight after 429s, and their count (``AdaptiveConcurrency``).
    let gate: ConcurrencyGate

    /// Creates a client. With no `transport`, an ``AsyncHTTPClientTransport`` is created and owned by the client:
    /// ``shutdown()`` shuts it down. A `transport` passed in is the caller's (as with AsyncHTTPClient, whoever
    /// creates it shuts it down): the client only sends through it, so several clients may share one, and the
    /// caller calls its ``InferenceTransport/shutdown()`` once every client using it is done.
    /// Throws when the API URL is not an absolute http(s) URL, or a TLS file or proxy URL of the configuration is
    /// unusable (``TLSSettings``, ``ProxySettings``).
    public init(
        configuration: InferenceClientConfiguration = InferenceClientConfiguration(),
        transport: (any InferenceTransport)? = nil
    ) throws(InferenceError) {
        self.configuration = configuration
        self.baseURL = try configuration.normalizedBaseURL()
        self.redact = Redactor(secret: configuration.apiKey)
        if let transport {
            self.transport = transport
            self.ownsTransport = false
        } else {
            self.transport = try AsyncHTTPClientTransport(
                connectTimeout: configuration.timeout.connect,
                maxConnectionsPerHost: max(configuration.maxConcurrentRequests, 1),
                tls: configuration.tls, proxy: configuration.proxy
            )
            self.ownsTransport = true
        }
        self.bodyBuffers = BodyBufferPool(inFlight: max(configuration.maxConcurrentRequests, 8))
        let redact = self.redact
        self.gate = ConcurrencyGate(policy: configuration.adaptiveConcurrency)
        var middlewares: [any InferenceMiddleware] = [
            RedactionMiddleware(redact: redact),
            RetryMiddleware(policy: configuration.retry, redact: redact, logger: configuration.logger),
            AdaptiveConcurrencyMiddleware(gate: gate),
            TracingMiddleware(),
        ]
        middlewares += configuration.middlewares
        middlewares.append(RedirectMiddleware(secret: configuration.apiKey))
        if let logger = configuration.logger { middlewares.append(LoggingMiddleware(logger: logger, redact: redact)) }
        self.chain = MiddlewareChain(middlewares: middlewares, transport: self.transport)
        self.downloads = MiddlewareChain(middlewares: [RedirectMiddleware(secret: nil)], transport: self.transport)
    }

    /// Creates a client for `apiURL` with an API key (default none; see
    /// ``InferenceClientConfiguration/fromEnvironment(_:)`` to read `ROBOFLOW_API_KEY`).
    public convenience init(apiURL: String, apiKey: String? = nil) throws(InferenceError) {
        try self.init(configuration: InferenceClientConfiguration(apiURL: apiURL, apiKey: apiKey))
    }

    /// Closes the pooled connections of the transport the client created for itself. A transport passed to
    /// ``init(configuration:transport:)`` is left untouched: it is its caller's to shut down.
    public func shutdown() async throws {
        if ownsTransport { try await transport.shutdown() }
    }

    /// Runs `body` with a new client and shuts it down afterwards, whether `body` returns or throws.
    ///
    /// With no `transport`, the ``AsyncHTTPClientTransport`` the client made for itself is shut down when `body`
    /// ends. An injected `transport` is not: it stays the caller's (shared with other clients, reused after `body`),
    /// who calls its ``InferenceTransport/shutdown()`` when done with it.
    public static func withClient<T: Sendable>(
        _ configuration: InferenceClientConfiguration = InferenceClientConfiguration(),
        transport: (any InferenceTransport)? = nil,
        _ body: (InferenceHTTPClient) async throws -> T
    ) async throws -> T {
        let client = try InferenceHTTPClient(configuration: configuration, transport: transport)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }


    /// Headers every request carries: user agent, accept, and the API key when it travels in the header.
    func headers(json: Bool) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("User-Agent", configuration.userAgent), ("Accept", "application/json")]
        if json { headers.append(("Content-Type", "application/json")) }
        if let key = configuration.apiKey, configuration.apiKeyPlacement != .body {
            headers.append(("Authorization", "Bearer \(key)"))
        }
        return headers
    }

    /// The API key to put in a JSON body, per ``InferenceClientConfiguration/apiKeyPlacement``.
    var apiKeyForBody: String? {
        configuration.apiKeyPlacement == .header ? nil : configuration.apiKey
    }

    /// Sends a JSON request (retries per policy) and returns the 2xx response.
    func send(method: String, path: String, body: [UInt8]?) async throws(InferenceError) -> TransportResponse {
        try await send(method: method, path: path, bodyBuffer: body.map { ByteBuffer(bytes: $0) })
    }

    /// Sends a JSON body built in a pooled buffer, then hands the buffer back to the pool whatever the outcome.
    func send(method: String, path: String, pooledBody body: ByteBuffer) async throws(InferenceError) -> TransportResponse {
        defer { bodyBuffers.give(body) }
        return try await send(method: method, path: path, bodyBuffer: body)
    }

    /// Sends a request and returns the 2xx response: the one place requests are put together (the client's
    /// headers plus `extraHeaders`, the body size limit, the configured timeout and retry policy unless given).
    /// `read`: the request changes nothing on the server (see ``RetryPolicy/retryableStatusesForReads``).
    func send(
        method: String, path: String, bodyBuffer body: ByteBuffer?, extraHeaders: [(name: String, value: String)] = [],
        timeout: Duration? = nil, retry: RetryPolicy? = nil, read: Bool = false
    ) async throws(InferenceError) -> TransportResponse {
        if let limit = configuration.maxRequestBytes, let size = body?.readableBytes, size > limit {
            throw InferenceError(
                .requestTooLarge,
                "the request body would be \(size) bytes, more than the configured limit of \(limit) bytes; "
                    + "send fewer or smaller images (maxBatchSize splits batches)"
            )
        }
        var request = TransportRequest(
            method: method, url: baseURL + path, headers: headers(json: body != nil) + extraHeaders,
            payload: body.map(RequestBody.init(buffer:)), timeout: timeout ?? configuration.timeout.request,
            maxResponseBytes: configuration.maxResponseBytes
        )
        request.readOnly = read
        request.retryPolicy = retry
        let response: TransportResponse
        do {
            response = try await chain.send(request)
        } catch {
            throw InferenceError.fromTransport(error)
        }
        guard (200..<300).contains(response.status) else {
            var error = WorkflowResponseDecoder.error(for: response, redact: redact)
            error.attempts = response.attempts
            throw error
        }
        return response
    }

    /// Whether `body` holds the API key, decided from its bytes, whatever the placement and whichever call built it:
    /// such a body is never sent to another origin on a redirect (``RedirectMiddleware``, which asks only for a
    /// cross-origin hop: the search costs ~0.3 ms per MB of base64).
    static func body(_ body: ByteBuffer?, holds key: String?) -> Bool {
        guard let body, let key, !key.isEmpty else { return false }
        let needle = Array(key.utf8)
        return body.withUnsafeReadableBytes { raw in
            guard let base = raw.baseAddress, raw.count >= needle.count else { return false }
            var offset = 0
            let last = raw.count - needle.count
            // memchr for the key's first byte, then compare the rest (memmem is not imported on Glibc).
            while offset <= last, let hit = memchr(base + offset, Int32(needle[0]), last - offset + 1) {
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at, needle, needle.count) == 0 { return true }
                offset = at + 1
            }
            return false
        }
    }

    /// `GET` a JSON document.
    func getJSON(_ path: String) async throws(InferenceError) -> (JSONValue, TransportResponse) {
        let response = try await send(method: "GET", path: path, bodyBuffer: nil, read: true)
        return (try Self.parseJSON(response), response)
    }

    /// `POST` a JSON document and parse the JSON answer.
    func postJSON(_ path: String, _ body: JSONValue) async throws(InferenceError) -> (JSONValue, TransportResponse) {
        let response = try await send(method: "POST", path: path, body: body.serialized())
        return (try Self.parseJSON(response), response)
    }

    static func parseJSON(_ response: TransportResponse) throws(InferenceError) -> JSONValue {
        do {
            return try JSONParser.parse(response.body)
        } catch {
            throw InferenceError(
                .invalidResponse, "expected JSON, got \(response.body.count) bytes that are not JSON: \(error)",
                status: response.status, requestID: response.header("x-request-id"), attempts: response.attempts
            )
        }
    }
}
