/// Holds each attempt to the client's limit on requests in flight (``AdaptiveConcurrency``) and reports its status
/// back: placed just inside the retries, so a request waiting out a `Retry-After` holds no place, and outside the
/// redirects, so a redirect's hops count as one request and the final status is the one reported.
struct AdaptiveConcurrencyMiddleware: InferenceMiddleware {
    let gate: ConcurrencyGate

    func intercept(
        _ request: TransportRequest, next: @Sendable (TransportRequest) async throws -> TransportResponse
    ) async throws -> TransportResponse {
        let epoch: Int
        do {
            epoch = try await gate.enter()
        } catch {
            throw InferenceError(.cancelled, "the request was cancelled while waiting for a place under the rate limit", underlying: error)
        }
        do {
            let response = try await next(request)
            gate.leave(epoch: epoch, status: response.status)
            return response
        } catch {
            gate.leave(epoch: epoch, status: nil)
            throw error
        }
    }
}
