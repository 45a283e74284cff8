import Foundation
import Testing
import InferenceJobs
@testable import InferenceSDK
import InferenceSDKTesting

/// The 429s a run met reach its summary: a folder job's, and the client's statistics for a split batch.
@Suite struct RateLimitSummaryTests {
    /// Answers its first `rejections` requests 429 (`Retry-After: 0`), then one output per image.
    static func transport(rejecting rejections: Int) -> ScriptedTransport {
        ScriptedTransport { request, index in
            if index < rejections { return .status(429, message: "slow down", retryAfter: 0) }
            return .outputs(request.images("image").map { _ in WorkflowOutput(fields: [:]) })
        }
    }

    @Test func aFolderJobsSummaryCountsThe429sOfItsRun() async throws {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("rate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: input) }
        for index in 0..<4 { try Data(Fixtures.png).write(to: URL(fileURLWithPath: "\(input)/\(index).png")) }
        let client = try InferenceHTTPClient(configuration: .testing(), transport: Self.transport(rejecting: 3))
        let job = DirectoryJob(.init(inputDirectory: input, outputDirectory: input + "/out", workflow: .inline(Fixtures.spec), concurrency: 2))
        let summary = try await job.run(client: client)
        #expect(summary.complete)
        #expect(summary.progress.done == 4)
        #expect(summary.rateLimitedResponses == 3)
        // A second run of the same client counts only its own (none: every image is done).
        let again = try await job.run(client: client)
        #expect(again.rateLimitedResponses == 0)
        #expect(client.rateLimitStatistics.rateLimitedResponses == 3)
    }

    @Test func aSplitBatchMeets429sThroughTheSameLimit() async throws {
        let transport = Self.transport(rejecting: 2)
        var configuration = InferenceClientConfiguration.testing()
        configuration.maxConcurrentRequests = 4
        let client = try InferenceHTTPClient(configuration: configuration, transport: transport)
        let result = try await client.runWorkflow(
            specification: Fixtures.spec, images: ["image": .batch(Array(repeating: .bytes(Fixtures.png), count: 8))],
            options: WorkflowRunOptions(maxBatchSize: 2))
        #expect(result.outputs.count == 8)
        let stats = client.rateLimitStatistics
        #expect(stats.rateLimitedResponses == 2)
        #expect(stats.decreases >= 1, "\(stats)")
        #expect(stats.requestsInFlight == 0)
        #expect(transport.requests.count == 6)
    }
}
