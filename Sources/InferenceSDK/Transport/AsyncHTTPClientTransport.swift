import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The default transport: AsyncHTTPClient with pooled keep-alive connections reused by every request of the client
/// that owns it. With ``ProxySettings``, one pool per proxy and one for direct requests, each request taking the
/// pool its URL calls for (`NO_PROXY`); every pool uses the same ``TLSSettings``.
public final class AsyncHTTPClientTransport: InferenceTransport {
    /// Requests that go directly to their host.
    private let client: HTTPClient
    /// Requests through a proxy: its URL as configured, where it is, its pool.
    private let proxied: [(url: String, endpoint: ProxyEndpoint, client: HTTPClient)]
    private let proxy: ProxySettings
    private let ownsClient: Bool

    /// Creates a transport with its own `HTTPClient` on the shared NIO event loop group: the system's trust roots,
    /// no proxy.
    /// - Parameters:
    ///   - connectTimeout: time allowed to establish a TCP (and TLS) connection.
    ///   - maxConnectionsPerHost: keep-alive connections kept per host (HTTP/1.1).
    ///   - idleTimeout: how long an idle pooled connection is kept open.
    public convenience init(connectTimeout: Duration, maxConnectionsPerHost: Int = 8, idleTimeout: Duration = .seconds(60)) {
        self.init(
            connectTimeout: connectTimeout, maxConnectionsPerHost: maxConnectionsPerHost, idleTimeout: idleTimeout,
            tlsConfiguration: nil, proxy: .none, endpoints: [])
    }

    /// Creates a transport with its own `HTTPClient`s, verifying servers per `tls` and reaching them per `proxy`.
    /// Throws `.invalidConfiguration` when a certificate, key or CA file cannot be read, or a proxy URL is not one
    /// (naming the file or the setting), before anything is sent.
    /// - Parameters:
    ///   - connectTimeout: time allowed to establish a TCP (and TLS) connection, through the proxy when there is one.
    ///   - maxConnectionsPerHost: keep-alive connections kept per host (HTTP/1.1).
    ///   - idleTimeout: how long an idle pooled connection is kept open.
    ///   - tls: trust roots, client certificate, verification.
    ///   - proxy: which requests go through which proxy.
    public convenience init(
        connectTimeout: Duration, maxConnectionsPerHost: Int = 8, idleTimeout: Duration = .seconds(60),
        tls: TLSSettings, proxy: ProxySettings
    ) throws(InferenceError) {
        let tlsConfiguration = tls == TLSSettings() ? nil : try tls.makeConfiguration()
        var endpoints: [(String, ProxyEndpoint)] = []
        for (url, source) in [(proxy.httpsProxy, "for https:// URLs"), (proxy.httpProxy, "for http:// URLs")] {
            guard let url, !endpoints.contains(where: { $0.0 == url }) else { continue }
            endpoints.append((url, try ProxyEndpoint(url, source: source)))
        }
        self.init(
            connectTimeout: connectTimeout, maxConnectionsPerHost: maxConnectionsPerHost, idleTimeout: idleTimeout,
            tlsConfiguration: tlsConfiguration, proxy: proxy, endpoints: endpoints)
    }

    private init(
        connectTimeout: Duration, maxConnectionsPerHost: Int, idleTimeout: Duration, tlsConfiguration: TLSConfiguration?,
        proxy: ProxySettings, endpoints: [(String, ProxyEndpoint)]
    ) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .nanoseconds(connectTimeout.nanoseconds), read: nil)
        configuration.connectionPool = .init(
            idleTimeout: .nanoseconds(idleTimeout.nanoseconds),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maxConnectionsPerHost)
        )
        // A refused connection must fail the request now: ``RetryPolicy`` decides about retries. With AHC's own
        // connection retries, every attempt after the first waited out the whole connect timeout (10 s) instead.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow  // followed by Redirects, which keeps secrets on their origin
        // gzip/deflate answers are decoded (only asked for where it pays: CatalogueCompression); a body may grow
        // at most 100×, and the response size limit applies to the decoded bytes.
        configuration.decompression = .enabled(limit: .ratio(100))
        if let tlsConfiguration { configuration.tlsConfiguration = tlsConfiguration }
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.proxied = endpoints.map { url, endpoint in
            var viaProxy = configuration
            switch endpoint.kind {
            case .http:
                let authorization = endpoint.username.map { HTTPClient.Authorization.basic(username: $0, password: endpoint.password ?? "") }
                viaProxy.proxy = .server(host: endpoint.host, port: endpoint.port, authorization: authorization)
            case .socks5:
                viaProxy.proxy = .socksServer(host: endpoint.host, port: endpoint.port)
            }
            return (url, endpoint, HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: viaProxy))
        }
        self.proxy = proxy
        self.ownsClient = true
        self.decodesCompressedResponses = true
    }

    /// Wraps an existing `HTTPClient` (for example `HTTPClient.shared`); the caller keeps ownership, and its own
    /// TLS and proxy settings apply.
    public init(client: HTTPClient) {
        self.client = client
        self.proxied = []
        self.proxy = .none
        self.ownsClient = false
        self.decodesCompressedResponses = false
    }

    /// The pool for `url` and the proxy it goes through, if any.
    private func route(_ url: String) -> (HTTPClient, ProxyEndpoint?) {
        guard !proxied.isEmpty, let proxyURL = proxy.proxy(for: url),
              let match = proxied.first(where: { $0.url == proxyURL })
        else { return (client, nil) }
        return (match.client, match.endpoint)
    }

    /// Sends a request; the whole exchange (head and body) must finish within `request.timeout`.
    public func send(_ request: TransportRequest) async throws(InferenceError) -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.payload?.buffer { outgoing.body = .bytes(body) }  // sent as built, no copy
        let timeout = request.timeout
        let (client, endpoint) = route(request.url)
        let prepared = outgoing
        let limit = request.maxResponseBytes
        do {
            // The racing timer is an event-loop timer: freed as soon as it is cancelled. With `Task.sleep`, each
            // finished request left ~0.8 KB alive for the whole timeout (RSS grew over a 10 000-image process).
            let eventLoop = client.eventLoopGroup.any()
            return try await withDeadline(timeout, sleep: { try await TimerWaiter.sleep($0, on: eventLoop) }) {
                let response = try await client.execute(prepared, timeout: .nanoseconds(timeout.nanoseconds))
                let buffer = try await response.body.collect(upTo: limit)
                return TransportResponse(
                    status: Int(response.status.code),
                    headers: response.headers.map { ($0.name, $0.value) },
                    body: Array(buffer.readableBytesView)
                )
            }
        } catch {
            throw Self.map(error, limit: limit, timeout: timeout, url: request.url, proxy: endpoint)
        }
    }

    /// `true` for the `HTTPClient` this transport creates (decompression enabled); `false` for a wrapped one,
    /// whose settings cannot be read back.
    public let decodesCompressedResponses: Bool

    /// Shuts the owned `HTTPClient` down (a wrapped client is left to its owner).
    public func shutdown() async throws {
        guard ownsClient else { return }
        for pool in proxied { try await pool.client.shutdown() }
        try await client.shutdown()
    }

    /// A transport dropped without ``shutdown()`` (a task that threw before it got there) still closes its pooled
    /// connections: the owned `HTTPClient` is shut down in the background. Without this, AsyncHTTPClient stops a
    /// debug build's whole process ("Client not shut down before the deinit") and a release build leaks the pool.
    /// The shutdown keeps the `HTTPClient` alive until it has finished; after ``shutdown()`` it is a no-op.
    deinit {
        guard ownsClient else { return }
        client.shutdown(queue: .global()) { _ in }
        for pool in proxied { pool.client.shutdown(queue: .global()) { _ in } }
    }
}

/// A sleep on an event-loop timer whose cancellation cancels the timer (and resumes the sleeper) at once.
final class TimerWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, any Error>?
    private var timer: Scheduled<Void>?
    private var cancelledEarly = false

    /// Sleeps `duration` on `eventLoop`; throws `CancellationError` when the task is cancelled first.
    static func sleep(_ duration: Duration, on eventLoop: any EventLoop) async throws {
        let waiter = TimerWaiter()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                waiter.start(continuation) {
                    eventLoop.scheduleTask(in: .nanoseconds(duration.nanoseconds)) { waiter.finish(nil) }
                }
            }
        } onCancel: {
            waiter.finish(CancellationError())
        }
    }

    private func start(_ continuation: CheckedContinuation<Void, any Error>, timer makeTimer: () -> Scheduled<Void>) {
        lock.lock()
        if cancelledEarly {
            lock.unlock()
            continuation.resume(throwing: CancellationError())
            return
        }
        self.continuation = continuation
        lock.unlock()
        let scheduled = makeTimer()
        lock.lock()
        let stillWaiting = self.continuation != nil
        if stillWaiting { timer = scheduled }
        lock.unlock()
        if !stillWaiting { scheduled.cancel() }
    }

    private func finish(_ error: (any Error)?) {
        lock.lock()
        guard let continuation else {
            if error != nil { cancelledEarly = true }
            lock.unlock()
            return
        }
        self.continuation = nil
        let scheduled = timer
        timer = nil
        lock.unlock()
        scheduled?.cancel()
        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
    }
}

/// A lower-level error kept only by its description (for errors that are not `Sendable`).
public struct SendableDescription: Error, Sendable, CustomStringConvertible {
    /// The original error's description.
    public let description: String
    /// Keeps `description`.
    public init(_ description: String) { self.description = description }
}
