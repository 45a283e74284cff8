import Foundation

/// When and how long to wait before sending a request again.
///
/// Retries happen only for connection failures (refused, reset, closed before an answer) and HTTP
/// 429/502/503/504 by default, plus HTTP 500 for reads that change nothing on the server
/// (``retryableStatusesForReads``). Other 4xx statuses are never retried, whatever the sets say.
/// Waits grow exponentially with jitter; a server's `Retry-After` (seconds or HTTP date) is honoured,
/// capped by ``maxRetryAfter``. No retry starts after ``maxTotalTime`` has passed since the first attempt.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (1 = never retry). Default 4.
    public var maxAttempts: Int
    /// Wait before the first retry, before jitter. Default 0.25 s.
    public var initialBackoff: Duration
    /// Upper bound for one computed wait. Default 8 s.
    public var maxBackoff: Duration
    /// Growth factor between consecutive waits. Default 2.
    public var multiplier: Double
    /// Fraction of each wait that is randomised (0 = none, 1 = "full jitter"). Default 0.5.
    public var jitter: Double
    /// No retry is started after this much time since the first attempt. Default 120 s.
    public var maxTotalTime: Duration
    /// HTTP statuses that are retried. Default 429, 502, 503, 504. 4xx other than 429 are ignored here.
    public var retryableStatuses: Set<Int>
    /// Statuses retried, besides ``retryableStatuses``, for reads that change nothing on the server: the block
    /// catalogue, the definition schema, `/info`, the engine versions, the model registry. Never for workflow runs,
    /// model loads or pipeline commands (a pipeline's `consume` hands frames out once). Default 500: a freshly
    /// started 1.8.3 server answers `500 {"message":"Internal error."}` to some of its first concurrent catalogue
    /// reads (two threads building the same lazy pydantic schema), and the same read succeeds a moment later.
    public var retryableStatusesForReads: Set<Int>
    /// Retry when the connection fails or breaks. Default `true`.
    public var retryOnConnectionFailure: Bool
    /// Retry after a request timed out. Default `false`: the server may still be working on it.
    public var retryOnTimeout: Bool
    /// Longest `Retry-After` that is honoured as given; longer ones are cut to this. Default 30 s.
    public var maxRetryAfter: Duration

    /// Creates a policy; every argument has the documented default.
    public init(
        maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(250), maxBackoff: Duration = .seconds(8),
        multiplier: Double = 2, jitter: Double = 0.5, maxTotalTime: Duration = .seconds(120),
        retryableStatuses: Set<Int> = [429, 502, 503, 504], retryableStatusesForReads: Set<Int> = [500],
        retryOnConnectionFailure: Bool = true, retryOnTimeout: Bool = false, maxRetryAfter: Duration = .seconds(30)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = max(1, multiplier)
        self.jitter = min(1, max(0, jitter))
        self.maxTotalTime = maxTotalTime
        self.retryableStatuses = retryableStatuses
        self.retryableStatusesForReads = retryableStatusesForReads
        self.retryOnConnectionFailure = retryOnConnectionFailure
        self.retryOnTimeout = retryOnTimeout
        self.maxRetryAfter = maxRetryAfter
    }

    /// The default policy.
    public static let `default` = RetryPolicy()

    /// A single attempt, no retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Whether an error may be retried under this policy (attempt count and time aside). `read` says the request
    /// changes nothing on the server, which lets ``retryableStatusesForReads`` retry it too.
    public func isRetryable(_ error: InferenceError, read: Bool = false) -> Bool {
        switch error.kind {
        case .connectionFailed: return retryOnConnectionFailure
        case .timeout: return retryOnTimeout
        case .clientError, .serverFailure:
            guard let status = error.status else { return false }
            if (400..<500).contains(status) && status != 429 { return false }
            return retryableStatuses.contains(status) || (read && retryableStatusesForReads.contains(status))
        default: return false
        }
    }

    /// The wait before retry number `retry` (1 for the first retry), given the server's `Retry-After`.
    /// `random` returns a value in 0..<1 (injectable for tests).
    public func delay(beforeRetry retry: Int, retryAfter: Duration?, random: () -> Double = { Double.random(in: 0..<1) }) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), maxRetryAfter) }
        let exponent = Double(max(0, retry - 1))
        let base = min(initialBackoff.seconds * pow(multiplier, exponent), maxBackoff.seconds)
        let wait = base * (1 - jitter * random())
        return .nanoseconds(Int64(wait * 1e9))
    }

    /// Parses a `Retry-After` value: delta-seconds or an HTTP date.
    static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimming(" \t") , !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite, seconds >= 0 { return .nanoseconds(Int64(seconds * 1e9)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        let delta = date.timeIntervalSince(now)
        return .nanoseconds(Int64(max(0, delta) * 1e9))
    }
}
