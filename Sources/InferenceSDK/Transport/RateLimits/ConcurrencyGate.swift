import Foundation

/// A client's places for requests in flight under its ``AdaptiveLimit``: a request takes one before each attempt
/// (at once while the client is not limiting) and gives it back with the answer's status. Requests over the limit
/// wait in order of arrival; cancelling a waiting request's task ends its wait with `CancellationError`.
final class ConcurrencyGate: @unchecked Sendable {
    /// A waiting request: reserved (between deciding to wait and parking), parked, or cancelled before it parked.
    private enum Waiter {
        case reserved
        case parked(CheckedContinuation<Int, any Error>)
        case cancelled
    }

    private let lock = NSLock()
    // Guarded by `lock`:
    private var state: AdaptiveLimit
    private var waiters: [Int: Waiter] = [:]
    /// Waiting requests' ids in arrival order; ids no longer in `waiters` (cancelled) are skipped.
    private var queue: [Int] = []
    private var nextID = 0

    init(policy: AdaptiveConcurrency) { state = AdaptiveLimit(policy: policy) }

    /// Takes a place, waiting while the limit is reached; returns the epoch to pass to ``leave(epoch:status:)``.
    func enter() async throws -> Int {
        let id: Int
        switch startOrReserve() {
        case .started(let epoch): return epoch
        case .reserved(let reserved): id = reserved
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                lock.lock()
                guard case .reserved = waiters[id] else {
                    waiters[id] = nil
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                waiters[id] = .parked(continuation)
                queue.append(id)
                let ready = admit()
                lock.unlock()
                resume(ready)
            }
        } onCancel: {
            lock.lock()
            let waiter = waiters[id]
            switch waiter {
            case .reserved: waiters[id] = .cancelled
            case .parked: waiters[id] = nil
            case .cancelled, nil: break  // already cancelled, or admitted: the request goes on
            }
            lock.unlock()
            if case .parked(let continuation) = waiter { continuation.resume(throwing: CancellationError()) }
        }
    }

    private enum Entry {
        case started(epoch: Int)
        case reserved(id: Int)
    }

    /// Starts the request if nobody waits and the limit allows, else reserves it a place in the queue.
    private func startOrReserve() -> Entry {
        lock.lock()
        defer { lock.unlock() }
        if waiters.isEmpty && state.mayStart { return .started(epoch: state.start()) }
        let id = nextID
        nextID += 1
        waiters[id] = .reserved
        return .reserved(id: id)
    }

    /// Gives a place back: `status` is the attempt's HTTP status, `nil` when it got no answer.
    func leave(epoch: Int, status: Int?) {
        lock.lock()
        state.finish(epoch: epoch, status: status)
        let ready = admit()
        lock.unlock()
        resume(ready)
    }

    /// The counters and the limit now.
    var statistics: RateLimitStatistics {
        lock.lock()
        defer { lock.unlock() }
        return RateLimitStatistics(
            rateLimitedResponses: state.rateLimited, decreases: state.decreases, limit: state.permits,
            requestsInFlight: state.inFlight, waiting: waiters.count
        )
    }

    /// Starts the waiting requests the limit now allows, in order (called under the lock; resume them after it).
    private func admit() -> [(CheckedContinuation<Int, any Error>, Int)] {
        var ready: [(CheckedContinuation<Int, any Error>, Int)] = []
        while !queue.isEmpty && state.mayStart {
            let id = queue.removeFirst()
            guard case .parked(let continuation) = waiters.removeValue(forKey: id) else { continue }
            ready.append((continuation, state.start()))
        }
        return ready
    }

    private func resume(_ ready: [(CheckedContinuation<Int, any Error>, Int)]) {
        for (continuation, epoch) in ready { continuation.resume(returning: epoch) }
    }
}
