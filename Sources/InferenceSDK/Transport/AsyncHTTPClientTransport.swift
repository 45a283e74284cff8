import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The default transport: AsyncHTTPClient with one pooled set of keep-alive connections reused by every
/// request of the client that owns it.
public final class AsyncHTTPClientTransport: InferenceTransport {
    private let client: HTTPClient
    private let ownsClient: Bool

    /// Creates a transport with its own `HTTPClient` on the shared NIO event loop group.
    /// - Parameters:
    ///   - connectTimeout: time allowed to establish a TCP (and TLS) connection.
    ///   - maxConnectionsPerHost: keep-alive connections kept per host (HTTP/1.1).
    ///   - idleTimeout: how long an idle pooled connection is kept open.
    public init(connectTimeout: Duration, maxConnectionsPerHost: Int = 8, idleTimeout: Duration = .seconds(60)) {
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
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.ownsClient = true
        self.decodesCompressedResponses = true
    }

    /// Wraps an existing `HTTPClient` (for example `HTTPClient.shared`); the caller keeps ownership.
    public init(client: HTTPClient) {
        self.client = client
        self.ownsClient = false
        self.decodesCompressedResponses = false
    }

    /// Sends a request; the whole exchange (head and body) must finish within `request.timeout`.
    public func send(_ request: TransportRequest) async throws(InferenceError) -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.payload?.buffer { outgoing.body = .bytes(body) }  // sent as built, no copy
        let timeout = request.timeout
        let client = self.client
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
            throw Self.map(error, limit: limit, timeout: timeout)
        }
    }

    /// `true` for the `HTTPClient` this transport creates (decompression enabled); `false` for a wrapped one,
    /// whose settings cannot be read back.
    public let decodesCompressedResponses: Bool

    /// Shuts the owned `HTTPClient` down (a wrapped client is left to its owner).
    public func shutdown() async throws {
        if ownsClient { try await client.shutdown() }
    }

    /// A transport dropped without ``shutdown()`` (a task that threw before it got there) still closes its pooled
    /// connections: the owned `HTTPClient` is shut down in the background. Without this, AsyncHTTPClient stops a
    /// debug build's whole process ("Client not shut down before the deinit") and a release build leaks the pool.
    /// The shutdown keeps the `HTTPClient` alive until it has finished; after ``shutdown()`` it is a no-op.
    deinit {
        if ownsClient { client.shutdown(queue: .global()) { _ in } }
    }

    static func map(_ error: any Error, limit: Int, timeout: Duration) -> InferenceError {
        if let error = error as? InferenceError { return error }
        if error is CancellationError { return InferenceError(.cancelled, "the request was cancelled", underlying: error) }
        if error is DeadlineExceeded {
            return InferenceError(.timeout, "no complete response within \(timeout.formattedSeconds)", underlying: error)
        }
        if error is NIOTooManyBytesError {
            return InferenceError(.invalidResponse, "response body larger than \(limit) bytes", underlying: error)
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout:
                return InferenceError(.timeout, "could not connect within the connect timeout", underlying: error)
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return InferenceError(.timeout, "no complete response within \(timeout.formattedSeconds)", underlying: error)
            case .cancelled:
                return InferenceError(.cancelled, "the request was cancelled", underlying: error)
            case .invalidURL, .emptyHost, .emptyScheme:
                return InferenceError(.invalidConfiguration, "invalid URL (\(error))", underlying: error)
            case .remoteConnectionClosed:
                return InferenceError(.connectionFailed, "the server closed the connection before answering", underlying: error)
            default:
                return InferenceError(.connectionFailed, "\(error)", underlying: error)
            }
        }
        if let error = error as? HTTPParserError, error == .invalidEOFState {
            // The connection closed before the body reached its Content-Length (a truncated answer).
            return InferenceError(
                .connectionFailed, "the connection closed before the whole response arrived (truncated body)", underlying: error)
        }
        if let error = error as? IOError {
            return InferenceError(.connectionFailed, Self.describe(errno: error.errnoCode), underlying: error)
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout:
                return InferenceError(.timeout, "could not connect within the connect timeout", underlying: error)
            default:
                return InferenceError(.connectionFailed, "connection error (\(error))", underlying: error)
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") {
            return InferenceError(.connectionFailed, "connection refused", underlying: SendableDescription(text))
        }
        return InferenceError(.connectionFailed, "transport error (\(text))", underlying: SendableDescription(text))
    }

    static func describe(errno code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ECONNRESET: return "connection reset by the server"
        case EPIPE: return "connection closed while sending (broken pipe)"
        case ETIMEDOUT: return "connection timed out"
        default: return String(cString: strerror(code))
        }
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
