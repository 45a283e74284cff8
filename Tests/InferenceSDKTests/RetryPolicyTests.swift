import Testing
@testable import InferenceSDK

@Suite struct RetryPolicyTests {
    @Test(arguments: [400, 401, 403, 404, 405, 409, 413, 422])
    func neverRetriesClientErrorsOtherThan429(status: Int) {
        var policy = RetryPolicy()
        policy.retryableStatuses.insert(status)  // even when asked to
        #expect(!policy.isRetryable(InferenceError(.clientError, "x", status: status)))
    }

    @Test(arguments: [429, 502, 503, 504])
    func retriesTransientStatuses(status: Int) {
        let kind: InferenceError.Kind = status < 500 ? .clientError : .serverFailure
        #expect(RetryPolicy().isRetryable(InferenceError(kind, "x", status: status)))
    }

    @Test func a500IsRetriedOnlyForReads() {
        let error = InferenceError(.serverFailure, "Internal error.", status: 500)
        #expect(RetryPolicy().isRetryable(error, read: true))
        #expect(!RetryPolicy().isRetryable(error, read: false))
        #expect(!RetryPolicy(retryableStatusesForReads: []).isRetryable(error, read: true))
        // A 4xx stays final for reads too, even when a policy lists it.
        #expect(!RetryPolicy(retryableStatusesForReads: [404]).isRetryable(InferenceError(.clientError, "x", status: 404), read: true))
    }

    @Test func retriesConnectionFailuresButNotTimeoutsByDefault() {
        #expect(RetryPolicy().isRetryable(InferenceError(.connectionFailed, "refused")))
        #expect(!RetryPolicy().isRetryable(InferenceError(.timeout, "slow")))
        #expect(RetryPolicy(retryOnTimeout: true).isRetryable(InferenceError(.timeout, "slow")))
        #expect(!RetryPolicy().isRetryable(InferenceError(.serverFailure, "boom", status: 500)))
        #expect(!RetryPolicy().isRetryable(InferenceError(.invalidInput, "bad")))
    }

    @Test func backoffGrowsExponentiallyWithinJitterBoundsAndCaps() {
        let policy = RetryPolicy(initialBackoff: .milliseconds(100), maxBackoff: .seconds(1), multiplier: 2, jitter: 0.5)
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: { 0 }) == .milliseconds(100))
        // Jitter takes off at most half: random 0.5 gives exactly 75 ms, the largest random just over 50 ms.
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: { 0.5 }) == .milliseconds(75))
        let smallest = policy.delay(beforeRetry: 1, retryAfter: nil, random: { 0.999999 })
        #expect(smallest > .milliseconds(50) && smallest < .microseconds(50_001))
        // With the real generator every delay lies in [base·(1−jitter), base], and the spread is used.
        let waits = (0..<500).map { _ in policy.delay(beforeRetry: 2, retryAfter: nil) }
        #expect(waits.allSatisfy { $0 > .milliseconds(100) && $0 <= .milliseconds(200) }, "\(waits.min()!)…\(waits.max()!)")
        #expect(waits.max()! - waits.min()! > .milliseconds(80), "jitter should spread 100–200 ms: \(waits.min()!)…\(waits.max()!)")
        // The cap applies before jitter: retry 10 with jitter stays within [0.5 s, 1 s].
        #expect(policy.delay(beforeRetry: 10, retryAfter: nil, random: { 0.999999 }) > .milliseconds(500))
        #expect(policy.delay(beforeRetry: 3, retryAfter: nil, random: { 0 }) == .milliseconds(400))
        #expect(policy.delay(beforeRetry: 10, retryAfter: nil, random: { 0 }) == .seconds(1))
    }

    @Test func honoursRetryAfterUpToTheCap() {
        let policy = RetryPolicy(maxRetryAfter: .seconds(5))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(2)) == .seconds(2))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(60)) == .seconds(5))
        #expect(RetryPolicy.parseRetryAfter("3") == .seconds(3))
        #expect(RetryPolicy.parseRetryAfter("0.5") == .milliseconds(500))
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        #expect(RetryPolicy.parseRetryAfter(nil) == nil)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
    }
}

import Foundation
