import Foundation
import Tracing

/// A span per attempt (inside the retries, so each attempt is its own span), its context injected into the request's
/// headers. A pass-through when no tracer is active. See ``RequestTracing``.
struct TracingMiddleware: InferenceMiddleware {
    func intercept(
        _ request: TransportRequest, next: @Sendable (TransportRequest) async throws -> TransportResponse
    ) async throws -> TransportResponse {
        guard let tracer = RequestTracing.tracer else { return try await next(request) }
        let path = URLComponentsPath.path(of: request.url)
        let span = tracer.startSpan("\(request.method) \(path)", context: InstrumentationContext.current ?? .topLevel, ofKind: .client)
        defer { span.end() }
        span.attributes["http.request.method"] = request.method
        RequestTracing.describe(url: request.url, into: &span.attributes)
        if request.attempt > 1 { span.attributes["http.request.resend_count"] = request.attempt - 1 }
        if let size = request.payload?.count { span.attributes["http.request.body.size"] = size }
        var traced = request
        tracer.inject(span.context, into: &traced.headers, using: HeadersInjector())
        do {
            let response = try await RequestTracing.$attemptSpan.withValue(span) { try await next(traced) }
            span.attributes["http.response.status_code"] = response.status
            span.attributes["http.response.body.size"] = response.body.count
            if let id = response.header("x-request-id") { span.attributes["inference.request_id"] = id }
            if response.status >= 400 {
                span.attributes["error.type"] = String(response.status)
                span.setStatus(SpanStatus(code: .error))
            }
            return response
        } catch {
            RequestTracing.record(InferenceError.fromTransport(error), on: span)
            throw error
        }
    }
}

/// The path of a URL string, `/` when it has none.
enum URLComponentsPath {
    static func path(of url: String) -> String {
        guard let components = URLComponents(string: url) else { return "/" }
        return components.path.isEmpty ? "/" : components.path
    }
}
