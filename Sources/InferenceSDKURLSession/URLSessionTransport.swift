import Foundation
import InferenceSDK
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A transport over Foundation's `URLSession`: the natural choice on Apple platforms (system proxy and
/// certificate settings, background sessions). On Linux it works through FoundationNetworking (libcurl),
/// but `AsyncHTTPClientTransport` is 3–4× faster there and is the default.
public final class URLSessionTransport: InferenceTransport {
    private let session: URLSession

    /// Creates a transport with its own session (`.ephemeral` by default: no cookies, no cache).
    public init(configuration: URLSessionConfiguration = .ephemeral) {
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: configuration)
    }

    /// Sends a request; the whole exchange must finish within `request.timeout`.
    public func send(_ request: TransportRequest) async throws(InferenceError) -> TransportResponse {
        guard let url = URL(string: request.url) else {
            throw InferenceError(.invalidConfiguration, "invalid URL \(request.url)")  // the client masks the key
        }
        var outgoing = URLRequest(url: url)
        outgoing.httpMethod = request.method
        outgoing.timeoutInterval = Double(request.timeout.components.seconds) + Double(request.timeout.components.attoseconds) / 1e18
        for header in request.headers { outgoing.addValue(header.value, forHTTPHeaderField: header.name) }
        if let body = request.payload { outgoing.httpBody = body.withUnsafeBytes { Data($0) } }
        let prepared = outgoing
        let session = self.session
        let result: (Data, URLResponse)
        do {
            result = try await withTransportDeadline(request.timeout) { try await session.data(for: prepared) }
        } catch {
            throw Self.map(error, timeout: request.timeout)
        }
        guard let http = result.1 as? HTTPURLResponse else {
            throw InferenceError(.invalidResponse, "the answer is not an HTTP response")
        }
        guard result.0.count <= request.maxResponseBytes else {
            throw InferenceError(.invalidResponse, "response body larger than \(request.maxResponseBytes) bytes")
        }
        let headers = http.allHeaderFields.compactMap { key, value -> (name: String, value: String)? in
            guard let name = key as? String else { return nil }
            return (name, "\(value)")
        }
        return TransportResponse(status: http.statusCode, headers: headers, body: [UInt8](result.0))
    }

    /// `true`: URLSession decodes gzip/deflate answers itself.
    public var decodesCompressedResponses: Bool { true }

    /// Invalidates the session after running tasks finish.
    public func shutdown() async throws {
        session.finishTasksAndInvalidate()
    }

    static func map(_ error: any Error, timeout: Duration) -> InferenceError {
        if let error = error as? InferenceError { return error }
        if error is CancellationError { return InferenceError(.cancelled, "the request was cancelled") }
        guard let urlError = error as? URLError else {
            return InferenceError(.connectionFailed, "transport error (\(error.localizedDescription))", underlying: SendableDescription("\(error)"))
        }
        let cause = SendableDescription("URLError \(urlError.code.rawValue)")
        switch urlError.code {
        case .timedOut: return InferenceError(.timeout, "no complete response within \(timeout)", underlying: cause)
        case .cancelled: return InferenceError(.cancelled, "the request was cancelled", underlying: cause)
        case .cannotConnectToHost, .cannotFindHost, .networkConnectionLost, .notConnectedToInternet, .dnsLookupFailed:
            return InferenceError(.connectionFailed, "connection failed (URLError \(urlError.code.rawValue))", underlying: cause)
        case .badURL, .unsupportedURL:
            return InferenceError(.invalidConfiguration, "invalid URL", underlying: cause)
        default:
            return InferenceError(.connectionFailed, "transport error (URLError \(urlError.code.rawValue))", underlying: cause)
        }
    }
}
