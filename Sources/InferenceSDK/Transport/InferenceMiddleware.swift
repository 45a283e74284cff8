/// A step every request of a client passes through on its way to the transport, as in swift-openapi-runtime's
/// `ClientMiddleware`: it may change the request, call `next` (zero, one or several times) and change or replace
/// the response.
///
/// The client composes its own policies as middleware, outermost first:
/// 1. redaction — every error leaves the client as an ``InferenceError`` whose message holds no API key;
/// 2. retries (``RetryPolicy``: backoff, `Retry-After`, the attempt count);
/// 3. the limit on requests in flight after 429s (``AdaptiveConcurrency``), per attempt;
/// 4. tracing: a client span per attempt, its context injected into the request (only with a tracer active);
/// 5. **your middleware** (``InferenceClientConfiguration/middlewares``, in order) — once per attempt;
/// 6. redirects, with the secret rules (no `Authorization` to another origin; a body holding the key is never sent
///    there);
/// 7. logging (one debug line per HTTP exchange, the key masked);
/// 8. the transport.
///
/// So a middleware of yours sees each attempt (a tracing span per attempt, a header on every request) and never a
/// redirect hop's stripped request. It must not keep a request's ``TransportRequest/payload`` after it returns.
///
/// ```swift
/// struct RequestTagger: InferenceMiddleware {
///     func intercept(
///         _ request: TransportRequest, next: @Sendable (TransportRequest) async throws -> TransportResponse
///     ) async throws -> TransportResponse {
///         var request = request
///         request.headers.append(("X-Job", "nightly"))
///         return try await next(request)
///     }
/// }
/// ```
public protocol InferenceMiddleware: Sendable {
    /// Handles one request: calls `next` for the rest of the chain (the next middleware, at the end the transport).
    func intercept(
        _ request: TransportRequest,
        next: @Sendable (TransportRequest) async throws -> TransportResponse
    ) async throws -> TransportResponse
}

/// Middleware in order, then the transport: what a client sends every request through.
struct MiddlewareChain: Sendable {
    let middlewares: [any InferenceMiddleware]
    let transport: any InferenceTransport

    /// Sends `request` through every middleware, then the transport.
    func send(_ request: TransportRequest) async throws -> TransportResponse {
        try await send(request, from: 0)
    }

    private func send(_ request: TransportRequest, from index: Int) async throws -> TransportResponse {
        guard index < middlewares.count else { return try await transport.send(request) }
        return try await middlewares[index].intercept(request) { try await self.send($0, from: index + 1) }
    }
}

extension InferenceError {
    /// What any error from a transport or middleware means to the SDK: an ``InferenceError`` as it is,
    /// `CancellationError` `.cancelled`, anything else `.connectionFailed` keeping the error as `underlying`.
    static func fromTransport(_ error: any Error) -> InferenceError {
        if let error = error as? InferenceError { return error }
        if error is CancellationError { return InferenceError(.cancelled, "the request was cancelled", underlying: error) }
        return InferenceError(
            .connectionFailed, "transport error (\(error))",
            underlying: error
        )
    }
}
