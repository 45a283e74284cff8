import Foundation
import Logging

/// Sends a request through the transport with the retry policy, turning non-2xx answers into
/// ``InferenceError``s that keep the server's error body. The last error is the one thrown, with
/// the attempt count; the server's body survives retries.
struct RequestExecutor: Sendable {
    let transport: any InferenceTransport
    let policy: RetryPolicy
    let redact: Redactor
    let logger: Logger?
    /// Whether a request's body holds the API key: asked only when a redirect points to another origin (such a
    /// request is then not followed), so the body is not searched on the way of every request.
    var bodyCarriesSecret: @Sendable (TransportRequest) -> Bool = { _ in false }
    /// Whether the request only reads (changes nothing on the server), so the policy's
    /// ``RetryPolicy/retryableStatusesForReads`` apply to it.
    var read = false

    func execute(_ request: TransportRequest) async throws(InferenceError) -> TransportResponse {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw InferenceError(.cancelled, "the request was cancelled", attempts: attempt - 1) }
            let failure: InferenceError
            var retryAfter: Duration?
            let sent = clock.now
            do {
                var response = try await Redirects.send(request, via: transport, bodyCarriesSecret: bodyCarriesSecret)
                response.attempts = attempt
                logger?.debug("\(request.method) \(redact(request.url)) -> \(response.status) in \(ms(clock.now - sent)) (\(request.bodyCount) B out, \(response.body.count) B in, attempt \(attempt))")
                if (200..<300).contains(response.status) { return response }
                failure = WorkflowResponseDecoder.error(for: response, redact: redact)
                retryAfter = RetryPolicy.parseRetryAfter(response.header("retry-after"))
            } catch {
                var error = error
                error.message = redact(error.message)
                logger?.debug("\(request.method) \(redact(request.url)) failed: \(error.kind) \(error.message) (attempt \(attempt))")
                failure = error
            }
            var final = failure
            final.attempts = attempt
            guard policy.isRetryable(failure, read: read), attempt < policy.maxAttempts else { throw final }
            let wait = policy.delay(beforeRetry: attempt, retryAfter: retryAfter)
            let elapsed = clock.now - start
            guard elapsed + wait < policy.maxTotalTime else { throw final }
            logger?.info("retrying \(request.method) \(redact(request.url)) in \(ms(wait)) after \(failure.status.map { "HTTP \($0)" } ?? failure.kind.description) (attempt \(attempt) of \(policy.maxAttempts))")
            do {
                try await Task.sleep(for: wait)
            } catch {
                throw InferenceError(.cancelled, "cancelled while waiting to retry", attempts: attempt)
            }
        }
    }

    private func ms(_ d: Duration) -> String { String(format: "%.1f ms", d.seconds * 1000) }
}
