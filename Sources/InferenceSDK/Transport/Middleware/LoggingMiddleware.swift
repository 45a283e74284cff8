import Foundation
import Logging

/// One debug line per HTTP exchange (each redirect hop too): method, URL (key masked), status or failure, time,
/// bytes both ways and the attempt.
struct LoggingMiddleware: InferenceMiddleware {
    let logger: Logger
    let redact: Redactor

    func intercept(
        _ request: TransportRequest, next: @Sendable (TransportRequest) async throws -> TransportResponse
    ) async throws -> TransportResponse {
        let clock = ContinuousClock()
        let sent = clock.now
        do {
            let response = try await next(request)
            logger.debug("\(request.method) \(redact(request.url)) -> \(response.status) in \(milliseconds(clock.now - sent)) (\(request.bodyCount) B out, \(response.body.count) B in, attempt \(request.attempt))")
            return response
        } catch {
            let failure = InferenceError.fromTransport(error)
            logger.debug("\(request.method) \(redact(request.url)) failed: \(failure.kind) \(redact(failure.message)) (attempt \(request.attempt))")
            throw error
        }
    }
}

/// `12.3 ms`.
func milliseconds(_ duration: Duration) -> String { String(format: "%.1f ms", duration.seconds * 1000) }
