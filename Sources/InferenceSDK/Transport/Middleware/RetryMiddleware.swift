import Tracing
import Logging

/// Sends a request again while the ``RetryPolicy`` says so: connection failures, timeouts when enabled, and the
/// statuses it lists (429/502/503/504; for reads also those of ``RetryPolicy/retryableStatusesForReads``), with
/// exponential backoff and jitter, honouring `Retry-After`, within ``RetryPolicy/maxTotalTime``. 4xx other than 429
/// are never retried. The last answer is returned (a non-2xx one too: the client turns it into an error that keeps
/// the server's body) or the last error thrown, each with the number of attempts.
struct RetryMiddleware: InferenceMiddleware {
    let policy: RetryPolicy
    let redact: Redactor
    let logger: Logger?

    func intercept(
        _ request: TransportRequest, next: @Sendable (TransportRequest) async throws -> TransportResponse
    ) async throws -> TransportResponse {
        let policy = request.retryPolicy ?? self.policy
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw InferenceError(.cancelled, "the request was cancelled", attempts: attempt - 1) }
            var current = request
            current.attempt = attempt
            let failure: InferenceError
            var retryAfter: Duration?
            var answer: TransportResponse?
            do {
                var response = try await next(current)
                response.attempts = attempt
                if (200..<300).contains(response.status) { return response }
                answer = response
                failure = WorkflowResponseDecoder.error(for: response, redact: redact)
                retryAfter = RetryPolicy.parseRetryAfter(response.header("retry-after"))
            } catch {
                failure = InferenceError.fromTransport(error)
            }
            let wait = policy.delay(beforeRetry: attempt, retryAfter: retryAfter)
            guard policy.isRetryable(failure, read: request.readOnly), attempt < policy.maxAttempts,
                  clock.now - start + wait < policy.maxTotalTime
            else {
                if let answer { return answer }
                var final = failure
                final.attempts = attempt
                throw final
            }
            RequestTracing.runSpan?.addEvent(SpanEvent(name: "retry", attributes: [
                "http.request.method": .string(request.method),
                "url.path": .string(URLComponentsPath.path(of: request.url)),
                "inference.attempt": .int64(Int64(attempt)),
                "inference.retry_in_ms": .int64(Int64(wait.seconds * 1000)),
                "error.type": .string(failure.status.map { String($0) } ?? failure.kind.description),
            ]))
            logger?.info("retrying \(request.method) \(redact(request.url)) in \(milliseconds(wait)) after \(failure.status.map { "HTTP \($0)" } ?? failure.kind.description) (attempt \(attempt) of \(policy.maxAttempts))")
            do {
                try await Task.sleep(for: wait)
            } catch {
                throw InferenceError(.cancelled, "cancelled while waiting to retry", attempts: attempt)
            }
        }
    }
}
