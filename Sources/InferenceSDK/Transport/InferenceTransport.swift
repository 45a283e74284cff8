import NIOCore

/// A request body as the SDK built it. Its bytes are read through ``withUnsafeBytes(_:)`` or copied with
/// ``bytes``; ``AsyncHTTPClientTransport`` sends it without any copy.
///
/// Workflow bodies come from a pool of buffers reused across requests: a transport or middleware must not keep a
/// body (or must copy it) once its `send` has returned.
public struct RequestBody: Sendable {
    /// The bytes, in the NIO buffer the SDK built them in (kept internal: no NIO type in the public shape).
    let buffer: ByteBuffer

    init(buffer: ByteBuffer) { self.buffer = buffer }

    /// A body holding a copy of `bytes`.
    public init(_ bytes: [UInt8]) { buffer = ByteBuffer(bytes: bytes) }

    /// The length in bytes.
    public var count: Int { buffer.readableBytes }

    /// A copy of the bytes.
    public var bytes: [UInt8] { Array(buffer.readableBytesView) }

    /// Calls `body` with the bytes, without copying them.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeReadableBytes(body)
    }
}

/// An HTTP request as the SDK hands it to its middleware and transport.
public struct TransportRequest: Sendable {
    /// `GET` or `POST`.
    public var method: String
    /// The absolute URL.
    public var url: String
    /// Header fields, in order.
    public var headers: [(name: String, value: String)]
    /// The body, if any (see ``RequestBody``: not to be kept after `send` returns).
    public var payload: RequestBody?
    /// Deadline for the whole exchange (connect, send, receive).
    public var timeout: Duration
    /// The most response body bytes to accept; more is an ``InferenceError/Kind/invalidResponse``.
    public var maxResponseBytes: Int

    /// Whether the request only reads (changes nothing on the server): ``RetryPolicy/retryableStatusesForReads``
    /// then apply to it too. Set by the client.
    var readOnly = false
    /// The retry policy for this request when not the client's own (pipeline commands that must not repeat).
    var retryPolicy: RetryPolicy?
    /// Which attempt this is (1 for the first), set by the retry middleware for the log.
    var attempt = 1

    /// Creates a request.
    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], payload: RequestBody? = nil,
        timeout: Duration, maxResponseBytes: Int
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.payload = payload
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// Creates a request with a copy of `body`.
    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]?,
        timeout: Duration, maxResponseBytes: Int
    ) {
        self.init(
            method: method, url: url, headers: headers, payload: body.map(RequestBody.init), timeout: timeout,
            maxResponseBytes: maxResponseBytes)
    }

    /// A copy of the body bytes, if any (setting it replaces ``payload``).
    public var body: [UInt8]? {
        get { payload?.bytes }
        set { payload = newValue.map(RequestBody.init) }
    }

    /// The body's length in bytes (0 without a body), without copying it.
    public var bodyCount: Int { payload?.count ?? 0 }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? { firstValue(of: name, in: headers) }
}

/// An HTTP response as a transport returns it: any status (non-2xx is not an error at this level).
public struct TransportResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields, in order.
    public var headers: [(name: String, value: String)]
    /// The whole body.
    public var body: [UInt8]
    /// Requests sent to get this response (set by the client's retry middleware; 1 from a transport).
    public var attempts: Int

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? { firstValue(of: name, in: headers) }
}

/// The seam between the SDK and an HTTP stack: one request in, one response out, `Sendable`.
///
/// The default is ``AsyncHTTPClientTransport`` (pooled keep-alive connections over SwiftNIO). On Apple
/// platforms a `URLSession`-based transport can be plugged in; tests can plug in their own. A transport sends
/// exactly what it is given and returns any status: it does not retry, follow redirects or log — the client's
/// middleware does (``InferenceMiddleware``). It honours ``TransportRequest/timeout`` (``withTransportDeadline(_:_:)``
/// helps) and ``TransportRequest/maxResponseBytes``. It may throw any error: an ``InferenceError`` is kept as it is
/// (kinds `.connectionFailed`, `.timeout`, `.invalidResponse`, `.cancelled`), `CancellationError` becomes
/// `.cancelled`, anything else `.connectionFailed` with the error as its ``InferenceError/underlying``.
public protocol InferenceTransport: Sendable {
    /// Sends one request and returns the response, whatever its status.
    func send(_ request: TransportRequest) async throws -> TransportResponse

    /// Releases the transport's resources (connections, threads). Called by whoever created the transport:
    /// ``InferenceHTTPClient/shutdown()`` for the transport a client made for itself; for one passed to
    /// ``InferenceHTTPClient/init(configuration:transport:)``, its creator, once no client uses it any more.
    func shutdown() async throws

    /// Whether gzip/deflate-encoded responses arrive decoded; only then does the SDK ask for compression
    /// (``CatalogueCompression``). Default `false`.
    var decodesCompressedResponses: Bool { get }
}

extension InferenceTransport {
    /// `false`: responses are taken as they arrive, so the SDK asks for `identity`.
    public var decodesCompressedResponses: Bool { false }
}

/// The first value of header `name` in `headers`, the name compared case-insensitively.
private func firstValue(of name: String, in headers: [(name: String, value: String)]) -> String? {
    let wanted = name.lowercased()
    return headers.first { $0.name.lowercased() == wanted }?.value
}
