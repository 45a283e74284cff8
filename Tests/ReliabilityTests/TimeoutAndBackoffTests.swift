import Foundation
import InferenceSDK
import TestSupport
import Testing

/// Time-bound faults: a stalled or dribbling server ends in a timeout close to the configured one (never a
/// hang), and retries wait what the server asked (`Retry-After`) or the policy's backoff. Bounds are loose
/// (a loaded 2-core machine): they prove "did not hang" and "did wait", not speed.
@Suite struct TimeoutAndBackoffTests {
    @Test func stallBeforeHeadersTimesOutWithoutRetrying() async throws {
        let outcome = try await FaultHarness.run(requestTimeout: .seconds(1)) { _, _ in
            .delay(.seconds(30), then: FaultHarness.success)
        }
        let error = try #require(outcome.error)
        #expect(error.kind == .timeout)
        #expect(error.description == "timed out: no complete response within 1 s")
        #expect(outcome.requests.count == 1, "a timed-out request is not retried by default")
        #expect(outcome.elapsed >= .seconds(0.9))
        #expect(outcome.elapsed < .seconds(25), "hung for \(outcome.elapsed) past a 1 s timeout (the stall lasts 30 s)")
        FaultHarness.expectNoLeak(outcome)
    }

    @Test func stallIsRetriedWhenThePolicySaysSo() async throws {
        let outcome = try await FaultHarness.run(requestTimeout: .seconds(5), configure: { $0.retry.retryOnTimeout = true }) { _, attempt in
            attempt == 0 ? .delay(.seconds(30), then: FaultHarness.success) : FaultHarness.success
        }
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(outcome.requests.count == 2)
        #expect(outcome.elapsed >= .seconds(4.9))
        #expect(outcome.elapsed < .seconds(25))
    }

    @Test func bodyDribbledSlowerThanTheTimeoutTimesOut() async throws {
        // 47 bytes, 4 at a time, 3 s apart: about 33 s for a 1 s timeout. Headers arrive at once.
        let body = Array(#"{"outputs":[{"answer":42}],"profiler_trace":[]}"#.utf8)
        let outcome = try await FaultHarness.run(requestTimeout: .seconds(1)) { _, _ in
            .dribble(status: 200, body: body, chunkSize: 4, interval: .seconds(3))
        }
        let error = try #require(outcome.error)
        #expect(error.kind == .timeout, "\(error)")
        #expect(error.description == "timed out: no complete response within 1 s")
        #expect(outcome.requests.count == 1)
        #expect(outcome.elapsed >= .seconds(0.9))
        #expect(outcome.elapsed < .seconds(25), "waited for the whole dribble (\(outcome.elapsed)) instead of timing out")
        FaultHarness.expectNoLeak(outcome)
    }

    @Test func retryAfterSecondsIsHonoured() async throws {
        let outcome = try await FaultHarness.run { _, attempt in
            attempt == 0 ? .respond(status: 429, headers: [("Retry-After", "1")], body: []) : FaultHarness.success
        }
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(outcome.requests.count == 2)
        let gap = try #require(outcome.gaps.first)
        #expect(gap >= .seconds(0.95), "retried after \(gap), before the server's Retry-After: 1")
        #expect(gap < .seconds(15))
        #expect(outcome.logs.contains { $0.contains("retrying POST") && $0.contains("after HTTP 429") }, "\(outcome.logs)")
    }

    @Test func retryAfterHTTPDateIsHonoured() async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let outcome = try await FaultHarness.run { _, attempt in
            // HTTP dates have 1 s resolution: 3 s ahead means a wait of more than 2 s.
            attempt == 0
                ? .respond(status: 503, headers: [("Retry-After", formatter.string(from: Date().addingTimeInterval(3)))], body: [])
                : FaultHarness.success
        }
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        let gap = try #require(outcome.gaps.first)
        #expect(gap >= .seconds(1.9), "retried after \(gap)")
        #expect(gap < .seconds(15))
    }

    @Test func retryAfterBeyondTheTotalTimeIsNotWaitedFor() async throws {
        let outcome = try await FaultHarness.run(configure: { $0.retry.maxTotalTime = .seconds(5) }) { _, _ in
            .respond(status: 503, headers: [("Retry-After", "3600")], body: Array(#"{"message":"down for maintenance"}"#.utf8))
        }
        let error = try #require(outcome.error)
        #expect(error.status == 503)
        #expect(error.attempts == 1)
        #expect(error.serverError?.message == "down for maintenance", "the server's body survives")
        #expect(outcome.requests.count == 1)
        #expect(outcome.elapsed < .seconds(20), "waited \(outcome.elapsed) (the server asked for 3600 s)")
    }

    @Test func retryAfterIsCappedByMaxRetryAfter() async throws {
        let outcome = try await FaultHarness.run(configure: { $0.retry.maxRetryAfter = .milliseconds(300) }) { _, attempt in
            attempt == 0 ? .respond(status: 429, headers: [("Retry-After", "120")], body: []) : FaultHarness.success
        }
        #expect(outcome.error == nil)
        // The wait the client chose is exact in its log; the wall-clock gap only shows it was waited (the 2-core CI
        // machine has stretched a 300 ms sleep past 2 s under load).
        #expect(Self.plannedWaits(outcome.logs) == [300], "\(outcome.logs)")
        let gap = try #require(outcome.gaps.first)
        #expect(gap >= .milliseconds(280))
        #expect(gap < .seconds(30), "waited \(gap) instead of the 300 ms cap (the server asked for 120 s)")
    }

    @Test func backoffWithoutRetryAfterGrowsAndStopsAtTheCap() async throws {
        // ×4 from 200 ms, capped at 300 ms: waits of 200, 300, 300, 300 ms (without the cap 200, 800, 3 200 and
        // 12 800 ms). The client's log states each wait exactly; the wall-clock gaps prove each was actually waited.
        let outcome = try await FaultHarness.run(configure: {
            $0.retry = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(200), maxBackoff: .milliseconds(300), multiplier: 4, jitter: 0)
        }) { _, _ in .respond(status: 429, body: []) }
        let error = try #require(outcome.error)
        #expect(error.status == 429)
        #expect(error.attempts == 5)
        #expect(outcome.requests.count == 5)
        let gaps = outcome.gaps
        #expect(gaps.count == 4)
        #expect(Self.plannedWaits(outcome.logs) == [200, 300, 300, 300], "\(outcome.logs)")
        for (gap, wait) in zip(gaps, [0.2, 0.3, 0.3, 0.3]) {
            #expect(gap >= .seconds(wait * 0.95), "gap \(gap) shorter than the \(wait) s backoff")
            #expect(gap < .seconds(30), "gap \(gap) for a \(wait) s wait")
        }
        FaultHarness.expectNoLeak(outcome)
    }

    /// The waits, in milliseconds, that the client's retry log lines name ("retrying POST … in 300.0 ms after …").
    static func plannedWaits(_ logs: [String]) -> [Double] {
        logs.compactMap { line -> Double? in
            guard line.contains("retrying "), let start = line.range(of: " in "), let end = line.range(of: " ms after ", range: start.upperBound..<line.endIndex)
            else { return nil }
            return Double(line[start.upperBound..<end.lowerBound])
        }
    }
}
