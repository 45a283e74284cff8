/// What a client has met of a server's rate limit so far (``InferenceHTTPClient/rateLimitStatistics``).
public struct RateLimitStatistics: Sendable, Equatable {
    /// HTTP 429 answers received since the client was created, every attempt counted (a request retried twice after
    /// 429s counts 2), whether or not ``AdaptiveConcurrency`` is enabled.
    public var rateLimitedResponses: Int
    /// Times the limit on requests in flight was lowered.
    public var decreases: Int
    /// Requests the client lets be in flight at once now; `nil` while it does not limit them (before the first 429,
    /// after the limit grew back, or with ``AdaptiveConcurrency/disabled``).
    public var limit: Int?
    /// API requests (attempts) in flight now.
    public var requestsInFlight: Int
    /// Requests waiting for a place under ``limit`` now.
    public var waiting: Int

    /// Creates statistics (for tests of code that reads them).
    public init(rateLimitedResponses: Int = 0, decreases: Int = 0, limit: Int? = nil, requestsInFlight: Int = 0, waiting: Int = 0) {
        self.rateLimitedResponses = rateLimitedResponses
        self.decreases = decreases
        self.limit = limit
        self.requestsInFlight = requestsInFlight
        self.waiting = waiting
    }
}

extension InferenceHTTPClient {
    /// The 429s this client has met, and the limit on its requests in flight now (see ``AdaptiveConcurrency``).
    /// Folder and video jobs report the 429s of their run in their summaries.
    public var rateLimitStatistics: RateLimitStatistics { gate.statistics }
}
