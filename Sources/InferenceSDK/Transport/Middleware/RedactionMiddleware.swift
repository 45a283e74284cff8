/// The outermost step: whatever fails inside (a transport's own error type included) leaves as an
/// ``InferenceError`` whose message holds no API key.
struct RedactionMiddleware: InferenceMiddleware {
    let redact: Redactor

    func intercept(
        _ request: TransportRequest, next: @Sendable (TransportRequest) async throws -> TransportResponse
    ) async throws -> TransportResponse {
        do {
            return try await next(request)
        } catch {
            var mapped = InferenceError.fromTransport(error)
            mapped.message = redact(mapped.message)
            throw mapped
        }
    }
}
