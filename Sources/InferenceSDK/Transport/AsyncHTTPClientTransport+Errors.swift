import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension AsyncHTTPClientTransport {
    /// What an error from AsyncHTTPClient, NIO or NIOSSL means to the SDK. `url` is the request's (its host is
    /// named in TLS failures); `proxy`, the proxy the request went through (named in connection failures).
    static func map(_ error: any Error, limit: Int, timeout: Duration, url: String, proxy: ProxyEndpoint?) -> InferenceError {
        let mapped = map(error, limit: limit, timeout: timeout, url: url)
        guard let proxy, [.connectionFailed, .timeout, .invalidConfiguration].contains(mapped.kind), mapped.status == nil else {
            return mapped
        }
        var viaProxy = mapped
        viaProxy.message += " (through the proxy \(proxy.display))"
        return viaProxy
    }

    private static func map(_ error: any Error, limit: Int, timeout: Duration, url: String) -> InferenceError {
        if let error = error as? InferenceError { return error }
        if let failure = TLSFailure(error, url: url) { return failure.error }
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
            case .proxyAuthenticationRequired:
                // Not retried: the same credentials get the same answer.
                return InferenceError(
                    .invalidConfiguration, "the proxy asks for credentials (407): give them in the proxy URL (http://user:password@host:port)",
                    underlying: error)
            case .invalidProxyResponse:
                return InferenceError(.connectionFailed, "the proxy refused to open a tunnel to the server", underlying: error)
            case .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
                return InferenceError(.timeout, "the proxy did not open a tunnel within the connect timeout", underlying: error)
            case .tlsHandshakeTimeout:
                return InferenceError(.timeout, "the TLS handshake did not finish within the connect timeout", underlying: error)
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

