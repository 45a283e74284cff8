/// How a client adapts the number of requests it has in flight when a server rate-limits it (HTTP 429).
///
/// Until the first 429 nothing is limited and nothing is measured but a counter. From the first 429 on, the client
/// keeps a limit on its requests in flight, AIMD style:
/// - **decrease**: on a 429 the limit is multiplied by ``decreaseFactor``, at most once per window (a 429 to a
///   request sent before the last decrease does not decrease it again, so one burst of 429s counts once). The first
///   decrease starts from the requests in flight when the first 429 arrived, less the other requests of that burst
///   the server also answered 429: what it did accept, times ``decreaseFactor``;
/// - **increase**: each 2xx answer raises the limit by ``increasePerWindow`` ÷ limit, so a window's worth of 2xx
///   answers raises it by ``increasePerWindow``;
/// - the limit is never below 1, and never above the most requests the client had in flight before the first 429:
///   once it grows back there, the client stops limiting until the next 429.
///
/// The limit applies to each attempt, inside the retries: a request waiting out a `Retry-After` holds no place. It
/// applies to every API request of the client (folder jobs, video runs, the chunks of a split batch, reads), not to
/// image downloads from other hosts. 429s are counted in ``InferenceHTTPClient/rateLimitStatistics`` whether or not
/// adaptation is enabled.
///
/// ```swift
/// var configuration = InferenceClientConfiguration.hosted(apiKey: key)
/// configuration.adaptiveConcurrency = .disabled   // keep every request in flight whatever the server says
/// ```
public struct AdaptiveConcurrency: Sendable, Equatable {
    /// Whether the client lowers its requests in flight on 429s. Default `true`.
    public var isEnabled: Bool
    /// What the limit is multiplied by on a 429 (at most once per window): 0.1 to 0.95. Default 0.7.
    public var decreaseFactor: Double
    /// How much a window's worth of 2xx answers (as many as the limit) raises the limit: 0.01 to 16. Default 0.05,
    /// one more request in flight per 20 windows: slow, so that a limit found just below the server's rate stays
    /// there for seconds between probes (each probe past the rate costs one 429).
    public var increasePerWindow: Double

    /// Creates settings; every argument has the documented default. Values out of range are brought into it.
    public init(isEnabled: Bool = true, decreaseFactor: Double = 0.7, increasePerWindow: Double = 0.05) {
        self.isEnabled = isEnabled
        self.decreaseFactor = decreaseFactor.isFinite ? min(0.95, max(0.1, decreaseFactor)) : 0.7
        self.increasePerWindow = increasePerWindow.isFinite ? min(16, max(0.01, increasePerWindow)) : 0.05
    }

    /// The default: enabled, decrease ×0.7, increase +0.05 per window.
    public static let `default` = AdaptiveConcurrency()

    /// Never limit: every request goes out as soon as its caller sends it (429s are still counted and retried).
    public static let disabled = AdaptiveConcurrency(isEnabled: false)
}
