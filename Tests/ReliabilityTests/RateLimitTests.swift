import Foundation
import InferenceSDK
import TestSupport
import Testing

/// ``AdaptiveConcurrency`` against servers that rate-limit: a token bucket (429 + `Retry-After` beyond its rate)
/// makes the client cut its requests in flight and grow them back once the limit is lifted; every 429 is counted;
/// with no 429 nothing is held back; other 4xx are neither retried nor taken for a rate limit.
@Suite(.serialized) struct RateLimitTests {
    /// A client for `url` with 16 requests in flight allowed, a probe on the wire, and enough attempts that
    /// 429s alone do not fail a request.
    static func client(
        _ url: String, probe: ConcurrencyProbe, adaptive: AdaptiveConcurrency = .default
    ) throws -> InferenceHTTPClient {
        var configuration = InferenceClientConfiguration(apiURL: url)
        configuration.maxConcurrentRequests = 16
        configuration.retry = RetryPolicy(maxAttempts: 50, maxTotalTime: .seconds(60))
        configuration.middlewares = [probe]
        configuration.adaptiveConcurrency = adaptive
        return try InferenceHTTPClient(configuration: configuration)
    }

    @Test func the429sOfATokenBucketCutRequestsInFlightWhichGrowBackOnceItIsLifted() async throws {
        // 20 requests/s, bursts of 16, 100 ms a run: 2 in flight is all the bucket sustains.
        let server = try await TokenBucketServer.start(rate: 20, capacity: 16, runTime: .milliseconds(100))
        let probe = ConcurrencyProbe()
        // A fast increase (+1 per window) so that growing back takes a second, not a minute.
        let client = try Self.client(server.baseURL, probe: probe, adaptive: AdaptiveConcurrency(increasePerWindow: 1))
        let limited = Task { try await sendRuns(client, count: 80, concurrency: 16) }
        #expect(await eventually(timeout: .seconds(20), every: .milliseconds(5)) { server.hasRejected })
        let before = probe.takePeak()
        try await Task.sleep(for: .milliseconds(800))  // the cuts of the first burst
        _ = probe.takePeak()
        let stats = client.rateLimitStatistics
        #expect(try await limited.value == 0, "every run succeeds in the end")
        let after = probe.takePeak()
        #expect(before == 16, "16 in flight before the first 429")
        #expect(after <= 8, "still \(after) in flight after the 429s (the bucket sustains 2)")
        #expect(stats.limit.map { $0 <= 8 } == true, "\(stats)")
        #expect(client.rateLimitStatistics.decreases >= 1)
        let rejected = server.rejected
        #expect(rejected > 0)
        #expect(client.rateLimitStatistics.rateLimitedResponses == rejected, "every 429 counted once")
        #expect(server.accepted == 80)

        server.limiting = false
        _ = probe.takePeak()
        #expect(try await sendRuns(client, count: 300, concurrency: 16) == 0)
        #expect(probe.takePeak() == 16, "grew back to the 16 in flight it had before the 429s")
        #expect(client.rateLimitStatistics.limit == nil, "back at its ceiling: no longer limiting")
        #expect(client.rateLimitStatistics.rateLimitedResponses == rejected)
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func disabledItKeepsEveryRequestInFlightAndStillCounts429s() async throws {
        let server = try await TokenBucketServer.start(rate: 20, capacity: 16, runTime: .milliseconds(100), retryAfter: "0.3")
        let probe = ConcurrencyProbe()
        let client = try Self.client(server.baseURL, probe: probe, adaptive: .disabled)
        #expect(try await sendRuns(client, count: 60, concurrency: 16) == 0)
        let stats = client.rateLimitStatistics
        #expect(stats.rateLimitedResponses == server.rejected)
        #expect(stats.rateLimitedResponses > 0)
        #expect(stats.limit == nil && stats.decreases == 0, "\(stats)")
        try await client.shutdown()
        await server.shutdown()
    }

    @Test func withNo429NothingIsHeldBack() async throws {
        let server = try await TokenBucketServer.start(rate: 20, capacity: 16, runTime: .milliseconds(300))
        server.limiting = false
        let probe = ConcurrencyProbe()
        let client = try Self.client(server.baseURL, probe: probe)
        #expect(try await sendRuns(client, count: 48, concurrency: 16) == 0)
        #expect(probe.takePeak() == 16)
        #expect(client.rateLimitStatistics == RateLimitStatistics(), "\(client.rateLimitStatistics)")
        try await client.shutdown()
        await server.shutdown()
    }

    @Test(arguments: [400, 401, 403, 404, 409, 422])
    func otherClientErrorsAreNotRetriedNorTakenForARateLimit(status: Int) async throws {
        let server = try await TestHTTPServer.start { _ in
            .delay(.milliseconds(50), then: TestHTTPServer.json(status, #"{"message":"refused"}"#, headers: [("Retry-After", "0")]))
        }
        let probe = ConcurrencyProbe()
        var configuration = InferenceClientConfiguration(apiURL: server.baseURL)
        configuration.maxConcurrentRequests = 16
        // Even listed as retryable (with a Retry-After), a 4xx other than 429 is not retried.
        configuration.retry = RetryPolicy(maxAttempts: 5, retryableStatuses: [status, 429, 502, 503, 504])
        configuration.middlewares = [probe]
        let client = try InferenceHTTPClient(configuration: configuration)
        #expect(try await sendRuns(client, count: 32, concurrency: 16) == 32)
        #expect(server.requests.count == 32, "one request per run: \(status) is not retried")
        #expect(probe.takePeak() == 16)
        #expect(client.rateLimitStatistics == RateLimitStatistics(), "\(client.rateLimitStatistics)")
        try await client.shutdown()
        await server.shutdown()
    }
}
