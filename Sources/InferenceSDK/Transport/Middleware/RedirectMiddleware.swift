import Tracing
import Foundation

/// Follows HTTP redirects without letting a secret reach another origin.
///
/// Transports do not follow redirects themselves; this does, up to ``maximum`` hops:
/// - same origin (scheme, host, port): the request is sent again unchanged for 307/308, and for any
///   3xx of a `GET`;
/// - another origin: the `Authorization` header is dropped, and a request whose body holds the API key (decided
///   from the body's bytes, whatever the placement, only when such a hop happens) is not sent at all — an error
///   says where the server pointed;
/// - a `POST` answered 301/302/303 (which would turn it into a body-less `GET`) is not followed.
struct RedirectMiddleware: InferenceMiddleware {
    static let maximum = 5
    static let statuses: Set<Int> = [301, 302, 303, 307, 308]

    /// The API key, to recognise a body that carries it.
    let secret: String?

    func intercept(
        _ request: TransportRequest, next: @Sendable (TransportRequest) async throws -> TransportResponse
    ) async throws -> TransportResponse {
        var current = request
        for _ in 0...Self.maximum {
            let response = try await next(current)
            guard Self.statuses.contains(response.status), let location = response.header("location"),
                  let target = Self.resolve(location, against: current.url)
            else { return response }
            let shown = Redactor.maskQueryKey(target)
            if current.method != "GET" && !(response.status == 307 || response.status == 308) {
                throw InferenceError(
                    .invalidResponse,
                    "the server answered \(current.method) with HTTP \(response.status) to \(shown); not followed "
                        + "(it would drop the request body): set the API URL to the final address",
                    status: response.status, requestID: response.header("x-request-id")
                )
            }
            var redirected = current
            redirected.url = target
            if Self.origin(of: target) != Self.origin(of: current.url) {
                if InferenceHTTPClient.body(current.payload?.buffer, holds: secret) {
                    throw InferenceError(
                        .invalidConfiguration,
                        "the server redirected to another origin (\(shown)); not followed because the API key travels "
                            + "in the request body: set the API URL to the final address",
                        status: response.status, requestID: response.header("x-request-id")
                    )
                }
                redirected.headers.removeAll { $0.name.lowercased() == "authorization" }
            }
            RequestTracing.attemptSpan?.addEvent(SpanEvent(name: "redirect", attributes: [
                "http.response.status_code": .int64(Int64(response.status)),
                "url.full": .string(RequestTracing.originAndPath(target)),
                "inference.cross_origin": .bool(Self.origin(of: target) != Self.origin(of: current.url)),
            ]))
            current = redirected
        }
        throw InferenceError(.invalidResponse, "more than \(Self.maximum) redirects starting at \(Redactor.maskQueryKey(request.url))")
    }

    static func resolve(_ location: String, against base: String) -> String? {
        guard let baseURL = URL(string: base), let url = URL(string: location, relativeTo: baseURL)?.absoluteURL,
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { return nil }
        return url.absoluteString
    }

    static func origin(of text: String) -> String {
        guard let url = URL(string: text) else { return text }
        let scheme = url.scheme?.lowercased() ?? ""
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
    }
}
