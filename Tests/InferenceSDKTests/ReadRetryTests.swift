import NIOConcurrencyHelpers
import Testing
@testable import InferenceSDK
import InferenceSDKTesting

/// A 500 is retried for reads that change nothing on the server (a fresh 1.8.3 server answers some of its first
/// concurrent catalogue reads with `500 Internal error.`), and never for anything else.
@Suite struct ReadRetryTests {
    private static let internalError = ScriptedReply.status(500, message: "Internal error.")

    @Test func aCatalogueReadAnswered500OnceSucceedsOnTheSecondAttempt() async throws {
        let transport = ScriptedTransport(Self.internalError, .json(["blocks": [["manifest_type_identifier": "x"]], "declared_kinds": []]))
        let client = try InferenceHTTPClient.scripted(transport)
        let blocks = try await client.describeBlocks()
        #expect(blocks.blocks.map(\.identifier) == ["x"])
        #expect(transport.requests.map(\.path) == ["/workflows/blocks/describe", "/workflows/blocks/describe"])
    }

    @Test func infoVersionsRegistryAndSchemaAreReadsToo() async throws {
        let paths = ["/info", "/workflows/execution_engine/versions", "/model/registry", "/workflows/definition/schema"]
        let seen = FirstRequests()
        let flaky = ScriptedTransport { request, _ in
            seen.isFirst(request.path)
                ? Self.internalError
                : .json(["versions": ["1.5.0"], "name": "n", "version": "1.8.3", "uuid": "u", "models": [], "schema": [:]])
        }
        let client = try InferenceHTTPClient.scripted(flaky)
        _ = try await client.serverInfo()
        _ = try await client.executionEngineVersions()
        _ = try await client.listModels()
        _ = try await client.workflowDefinitionSchema()
        #expect(flaky.requests.map(\.path) == paths.flatMap { [$0, $0] })
    }

    @Test func a500IsFinalForARunAModelLoadAndAPipelineConsume() async throws {
        let transport = ScriptedTransport(routes: { _ in Self.internalError })
        let client = try InferenceHTTPClient.scripted(transport)
        let run = await #expect(throws: InferenceError.self) {
            _ = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        }
        #expect(run?.status == 500)
        #expect(run?.attempts == 1)
        #expect(run?.message.contains("Internal error.") == true)
        await #expect(throws: InferenceError.self) { _ = try await client.loadModel("m/1") }
        await #expect(throws: InferenceError.self) { _ = try await client.consumeOnce("p1", excludedFields: [], timeout: nil) }
        #expect(transport.requests.map(\.path) == ["/workflows/run", "/model/add", "/inference_pipelines/p1/consume"])
    }

    @Test func aReadThatKeeps500ingStopsAtMaxAttemptsWithTheServersMessage() async throws {
        let transport = ScriptedTransport(routes: { _ in Self.internalError })
        let client = try InferenceHTTPClient.scripted(transport) { $0.retry.maxAttempts = 3 }
        let error = await #expect(throws: InferenceError.self) { _ = try await client.describeBlocks() }
        #expect(error?.attempts == 3)
        #expect(error?.status == 500)
        #expect(error?.message.contains("Internal error.") == true)
        #expect(transport.requests.count == 3)
    }
}

/// Says `true` the first time it sees a path.
private final class FirstRequests: Sendable {
    private let seen = NIOLockedValueBox<Set<String>>([])
    func isFirst(_ path: String) -> Bool { seen.withLockedValue { $0.insert(path).inserted } }
}
