import NIOCore

/// An HTTP request as the SDK hands it to a transport.
public struct TransportRequest: Sendable {
    /// `GET` or `POST`.
    public var method: String
    /// The absolute URL.
    public var url: String
    /// Header fields, in order.
    public var headers: [(name: String, value: String)]
    /// The body, if any, in the NIO buffer the SDK built it in; ``AsyncHTTPClientTransport`` sends it without
    /// copying. Workflow bodies come from a pool of buffers reused across requests: a transport must not keep
    /// it (or must copy it) once `send` has returned.
    public var bodyBuffer: ByteBuffer?
    /// The body bytes, if any (a copy of ``bodyBuffer``; setting it replaces the buffer).
    public var body: [UInt8]? {
        get { bodyBuffer.map { Array($0.readableBytesView) } }
        set { bodyBuffer = newValue.map { ByteBuffer(bytes: $0) } }
    }
    /// The body's length in bytes (0 without a body), without copying it.
    public var bodyCount: Int { bodyBuffer?.readableBytes ?? 0 }
    /// Deadline for the whole exchange (connect, send, receive).
    public var timeout: Duration
    /// The most response body bytes to accept; more is an ``InferenceError/Kind/invalidResponse``.
    public var maxResponseBytes: Int

    /// Creates a request.
    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        timeout: Duration, maxResponseBytes: Int
    ) {
        self.init(
            method: method, url: url, headers: headers, bodyBuffer: body.map { ByteBuffer(bytes: $0) },
            timeout: timeout, maxResponseBytes: maxResponseBytes)
    }

    /// Creates a request whose body is already in a NIO buffer.
    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], bodyBuffer: ByteBuffer?,
        timeout: Duration, maxResponseBytes: Int
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.bodyBuffer = bodyBuffer
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }
}

/// An HTTP response as a transport returns it: any status (non-2xx is not an error at this level).
public struct TransportResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields, in order.
    public var headers: [(name: String, value: String)]
    /// The whole body.
    public var body: [UInt8]
    /// Requests sent to get this response (set by the client's retry loop; 1 from a transport).
    public var attempts: Int

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The seam between the SDK and an HTTP stack: one method, `Sendable`.
///
/// The default is ``AsyncHTTPClientTransport`` (pooled keep-alive connections over SwiftNIO). On Apple
/// platforms a `URLSession`-based transport can be plugged in; tests can plug in their own.
/// A transport throws ``InferenceError`` with kind `.connectionFailed`, `.timeout`, `.invalidResponse`
/// or `.cancelled`; it does not retry — ``InferenceHTTPClient`` does.
public protocol InferenceTransport: Sendable {
    /// Sends one request and returns the response, whatever its status.
    func send(_ request: TransportRequest) async throws(InferenceError) -> TransportResponse

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
