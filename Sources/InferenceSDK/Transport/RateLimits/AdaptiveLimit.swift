/// The AIMD state behind ``AdaptiveConcurrency``: requests in flight, the limit, the 429 count. No lock and no clock:
/// ``ConcurrencyGate`` keeps it under its lock, and tests drive it step by step.
///
/// Windows are counted in decreases, not time: every request is stamped with the ``epoch`` it was sent in, and each
/// decrease starts a new epoch. A 429 to a request of an earlier epoch was sent before the last decrease took
/// effect, so it does not decrease the limit again.
struct AdaptiveLimit: Sendable {
    let policy: AdaptiveConcurrency
    /// Attempts between ``start()`` and ``finish(epoch:status:)``.
    private(set) var inFlight = 0
    /// The limit; `nil` while not limiting.
    private(set) var limit: Double?
    /// The most requests in flight while not limiting: what the limit never exceeds.
    private(set) var peak = 0
    /// The ceiling of the current limiting period (``peak`` when it began).
    private(set) var ceiling = 0
    /// Incremented by every decrease.
    private(set) var epoch = 0
    /// The epoch the current limiting period began with (its first decrease).
    private var firstEpoch = -1
    /// 429s seen.
    private(set) var rateLimited = 0
    /// Decreases made.
    private(set) var decreases = 0

    init(policy: AdaptiveConcurrency) { self.policy = policy }

    /// Places under the limit now (at least 1); `nil` while not limiting.
    var permits: Int? { limit.map { max(1, Int($0)) } }

    /// Whether another request may start now.
    var mayStart: Bool { permits.map { inFlight < $0 } ?? true }

    /// A request starts; returns its epoch (to hand back to ``finish(epoch:status:)``).
    mutating func start() -> Int {
        inFlight += 1
        if limit == nil { peak = max(peak, inFlight) }
        return epoch
    }

    /// A request started in `sent` ended with `status` (`nil`: no answer, e.g. a connection failure or cancellation).
    mutating func finish(epoch sent: Int, status: Int?) {
        defer { inFlight = max(0, inFlight - 1) }
        guard let status else { return }
        if status == 429 {
            rateLimited += 1
            guard policy.isEnabled else { return }
            let beta = policy.decreaseFactor
            if let current = limit {
                if sent == epoch {
                    decrease(to: current * beta)
                } else if epoch == firstEpoch && sent == firstEpoch - 1 {
                    // Another 429 of the burst that began limiting: the server did not accept this one either, so
                    // it leaves the base the first decrease was taken from.
                    limit = max(1, current - beta)
                }
            } else {
                ceiling = max(peak, inFlight)
                decrease(to: Double(inFlight) * beta)
                firstEpoch = epoch
            }
        } else if (200..<300).contains(status), let current = limit {
            let grown = current + policy.increasePerWindow / current
            if grown >= Double(ceiling) {
                // Back where the 429s began: stop limiting until the next one.
                limit = nil
                peak = inFlight - 1
            } else {
                limit = grown
            }
        }
    }

    private mutating func decrease(to value: Double) {
        limit = max(1, value)
        epoch += 1
        decreases += 1
    }
}
