import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The key-leak checks that ModelRegistryTests, WorkflowToolingTests, PipelineErrorTests and PipelineCLITests made
/// against the real server, which never repeats a key, could not fail (they are gone from there). Here the same calls
/// (models, workflow tooling, pipelines including start, `rfclient models load`) go to an in-process server that
/// quotes the key it was sent, wherever the client put it, in its error message: the key must come back masked,
/// never in clear.
@Suite struct EchoedKeyEndpointsTests {
    /// Answers every request 400 quoting the key it carried (header or body).
    static func echoServer() async throws -> TestHTTPServer {
        try await TestHTTPServer.start { request in
            let seen = SecretsTests.seenKey(request)
            return TestHTTPServer.json(400, #"{"message":"refused key \#(seen)","error_type":"EchoError","context":"ctx \#(seen)"}"#)
        }
    }

    static func expectMasked(_ error: InferenceError?, _ call: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let description = error?.description ?? "no error"
        #expect(error?.status == 400, "\(call): \(description)", sourceLocation: sourceLocation)
        // Echoed, so the check below can fail: the masked key is there.
        #expect(description.contains("***"), "\(call): the server's echo is missing: \(description)", sourceLocation: sourceLocation)
        Secret.expectAbsent(in: description, "\(call)'s error", sourceLocation: sourceLocation)
        Secret.expectAbsent(in: error?.serverError?.message ?? "", "\(call)'s server message", sourceLocation: sourceLocation)
    }

    static func client(_ server: TestHTTPServer, _ placement: InferenceClientConfiguration.APIKeyPlacement) throws -> InferenceHTTPClient {
        var configuration = InferenceClientConfiguration(apiURL: server.baseURL, apiKey: Secret.key, retry: .none)
        configuration.apiKeyPlacement = placement
        return try InferenceHTTPClient(configuration: configuration)
    }

    /// PipelineErrorTests' start: a saved workflow (the stream manager fetches it with the key).
    static let pipeline = InferencePipelineConfiguration(workflow: .saved(workspace: "acme", id: "count-cars"), video: .file("/v.mp4"))

    /// The key in the `Authorization` header (the default), which every one of these calls sends.
    @Test func modelsToolingAndPipelinesMaskAKeyEchoedFromTheHeader() async throws {
        let server = try await Self.echoServer()
        defer { Task { await server.shutdown() } }
        let client = try Self.client(server, .header)
        defer { Task { try? await client.shutdown() } }
        Self.expectMasked(await #expect(throws: InferenceError.self) { try await client.loadModel("coco/3") }, "loadModel")
        Self.expectMasked(await #expect(throws: InferenceError.self) { try await client.unloadModel("coco/3") }, "unloadModel")
        Self.expectMasked(await #expect(throws: InferenceError.self) {
            try await client.describeInterface(of: .saved(workspace: "acme", id: "count-cars"))
        }, "describeInterface")
        Self.expectMasked(await #expect(throws: InferenceError.self) { try await client.validateWorkflow(Fixture.echo) }, "validateWorkflow")
        Self.expectMasked(await #expect(throws: InferenceError.self) { _ = try await client.startPipeline(Self.pipeline) }, "startPipeline")
        Self.expectMasked(await #expect(throws: InferenceError.self) { try await client.listPipelines() }, "listPipelines")
        Self.expectMasked(await #expect(throws: InferenceError.self) { try await client.pipelineStatus("p-1") }, "pipelineStatus")
        Self.expectMasked(await #expect(throws: InferenceError.self) { try await client.terminatePipeline("p-1") }, "terminatePipeline")
        #expect(server.requests.count == 8 && server.requests.allSatisfy { SecretsTests.seenKey($0).contains(Secret.key) })
    }

    /// The key in the body (`.body`, as ModelRegistryTests' load sends it): the calls whose bodies carry it.
    @Test func callsWithTheKeyInTheBodyMaskItWhenEchoed() async throws {
        let server = try await Self.echoServer()
        defer { Task { await server.shutdown() } }
        let client = try Self.client(server, .body)
        defer { Task { try? await client.shutdown() } }
        Self.expectMasked(await #expect(throws: InferenceError.self) { try await client.loadModel("coco/3") }, "loadModel")
        Self.expectMasked(await #expect(throws: InferenceError.self) {
            try await client.describeInterface(of: .saved(workspace: "acme", id: "count-cars"))
        }, "describeInterface")
        Self.expectMasked(await #expect(throws: InferenceError.self) { _ = try await client.startPipeline(Self.pipeline) }, "startPipeline")
        #expect(server.requests.count == 3 && server.requests.allSatisfy { request in
            request.header("authorization") == nil && String(decoding: request.body, as: UTF8.self).contains(Secret.key)
        })
    }

    @Test func rfclientModelsLoadMasksAnEchoedKey() async throws {
        let server = try await Self.echoServer()
        defer { Task { await server.shutdown() } }
        let run = try await CLI.run(["models", "load", "coco/3", "--retries", "0", "--api-key", Secret.key, "--api-url", server.baseURL])
        #expect(run.status == 3, "\(run)")
        #expect(run.stderrText.contains("***"), "the server's echo is missing: \(run)")
        Secret.expectAbsent(in: run.stderrText + run.stdoutText, "rfclient models load's output")
        #expect(server.requests.count == 1)
    }
}
