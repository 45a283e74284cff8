import Foundation
import InferenceSDK
import Testing
import TestSupport

/// Every request the client builds, redirected (307) by the server to a second origin: the key never reaches it,
/// whatever the placement. A request is followed there only without its `Authorization` header, and only when its
/// body does not hold the key (decided from what the request carries, not from the configured placement alone).
@Suite(.serialized) struct RedirectSecretTests {
    /// One call the client can make, and whether its body holds the key under `.body`/`.both` placement.
    struct Call: Sendable, CustomTestStringConvertible {
        let name: String
        let bodyHoldsKeyWhenPlacedInBody: Bool
        let run: @Sendable (InferenceHTTPClient) async throws -> Void
        var testDescription: String { name }
    }

    static let spec: WorkflowSpecification = {
        let json: JSONObject = [
            "version": "1.0", "inputs": [["type": "WorkflowImage", "name": "image"]], "steps": [],
            "outputs": [["type": "JsonField", "name": "echo", "selector": "$inputs.image"]],
        ]
        return WorkflowSpecification(object: json)
    }()

    static let png: [UInt8] = (try? Images.png(seed: 1)) ?? []

    static let calls: [Call] = [
        Call(name: "run inline", bodyHoldsKeyWhenPlacedInBody: true) { _ = try await $0.runWorkflow(specification: spec, images: ["image": .bytes(png)]) },
        Call(name: "run saved", bodyHoldsKeyWhenPlacedInBody: true) { _ = try await $0.runWorkflow(workspace: "acme", id: "count", images: ["image": .bytes(png)]) },
        Call(name: "describe inline", bodyHoldsKeyWhenPlacedInBody: true) { _ = try await $0.describeInterface(of: .inline(spec)) },
        Call(name: "describe saved", bodyHoldsKeyWhenPlacedInBody: true) { _ = try await $0.describeInterface(of: .saved(workspace: "acme", id: "count")) },
        Call(name: "validate", bodyHoldsKeyWhenPlacedInBody: false) { try await $0.validateWorkflow(spec) },
        Call(name: "info", bodyHoldsKeyWhenPlacedInBody: false) { _ = try await $0.serverInfo() },
        Call(name: "engine versions", bodyHoldsKeyWhenPlacedInBody: false) { _ = try await $0.executionEngineVersions() },
        Call(name: "pipeline start", bodyHoldsKeyWhenPlacedInBody: true) {
            _ = try await $0.startPipeline(.init(workflow: .saved(workspace: "acme", id: "count"), video: .file("/v.mp4")))
        },
        Call(name: "pipeline list", bodyHoldsKeyWhenPlacedInBody: false) { _ = try await $0.listPipelines() },
        Call(name: "pipeline status", bodyHoldsKeyWhenPlacedInBody: false) { _ = try await $0.pipelineStatus("p1") },
        Call(name: "pipeline consume", bodyHoldsKeyWhenPlacedInBody: true) { _ = try await $0.consumePipelineResult("p1") },
        Call(name: "pipeline pause", bodyHoldsKeyWhenPlacedInBody: false) { try await $0.pausePipeline("p1") },
        Call(name: "pipeline terminate", bodyHoldsKeyWhenPlacedInBody: false) { try await $0.terminatePipeline("p1") },
        Call(name: "models list", bodyHoldsKeyWhenPlacedInBody: false) { _ = try await $0.listModels() },
        Call(name: "model load", bodyHoldsKeyWhenPlacedInBody: true) { _ = try await $0.loadModel("some-project/3") },
        Call(name: "model unload", bodyHoldsKeyWhenPlacedInBody: false) { _ = try await $0.unloadModel("some-project/3") },
        Call(name: "models clear", bodyHoldsKeyWhenPlacedInBody: false) { _ = try await $0.unloadAllModels() },
    ]

    /// Whatever the request, a plausible 200 from the second origin (the client may still reject its shape:
    /// only what reaches the second origin matters here).
    static func answer(_ request: TestHTTPServer.Request) -> TestHTTPServer.Action {
        let path = request.uri.split(separator: "?").first.map(String.init) ?? request.uri
        if path.hasSuffix("/describe_interface") { return TestHTTPServer.json(200, #"{"inputs":{},"outputs":{},"typing_hints":{},"kinds_schemas":{}}"#) }
        if path == "/workflows/validate" { return TestHTTPServer.json(200, #"{"status":"ok"}"#) }
        if path == "/info" { return TestHTTPServer.json(200, #"{"name":"x","version":"1.8.3","uuid":"u"}"#) }
        if path.hasPrefix("/inference_pipelines") { return TestHTTPServer.json(200, #"{"status":"success","context":{"request_id":"r","pipeline_id":"p1"},"pipelines":[],"outputs":[],"frames_metadata":[]}"#) }
        if path.hasPrefix("/model") { return TestHTTPServer.json(200, #"{"models":[]}"#) }
        if path.hasPrefix("/workflows/execution_engine") { return TestHTTPServer.json(200, #"{"versions":["1.0.0"]}"#) }
        return TestHTTPServer.json(200, #"{"outputs":[{"echo":1}],"profiler_trace":[]}"#)
    }

    @Test(arguments: calls, InferenceClientConfiguration.APIKeyPlacement.allCases)
    func theKeyNeverReachesAnotherOrigin(call: Call, placement: InferenceClientConfiguration.APIKeyPlacement) async throws {
        let other = try await TestHTTPServer.start { Self.answer($0) }
        let otherURL = other.baseURL
        let first = try await TestHTTPServer.start { request in
            .respond(status: 307, headers: [("Location", otherURL + request.uri)])
        }
        var configuration = InferenceClientConfiguration(apiURL: first.baseURL, apiKey: Secret.key)
        configuration.apiKeyPlacement = placement
        configuration.retry = .none
        let client = try InferenceHTTPClient(configuration: configuration)
        let outcome: Result<Void, any Error>
        do {
            try await call.run(client)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        try await client.shutdown()
        await first.shutdown()
        await other.shutdown()

        #expect(first.requests.count == 1, "\(call.name): the first origin got \(first.requests.count) requests")
        for request in other.requests {
            Secret.expectAbsent(in: request.uri, "\(call.name) (\(placement)): the URL sent to the other origin")
            Secret.expectAbsent(in: request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n"), "\(call.name) (\(placement)): headers sent to the other origin")
            Secret.expectAbsent(in: String(decoding: request.body, as: UTF8.self), "\(call.name) (\(placement)): the body sent to the other origin")
        }
        let refused = placement != .header && call.bodyHoldsKeyWhenPlacedInBody
        if refused {
            #expect(other.requests.isEmpty, "\(call.name) (\(placement)): a body holding the key went to another origin")
            guard case .failure(let error) = outcome else {
                Issue.record("\(call.name) (\(placement)): a redirect of a body holding the key was followed")
                return
            }
            let failure = try #require(error as? InferenceError)
            #expect(failure.kind == .invalidConfiguration)
            #expect(failure.description.contains("redirected to another origin"))
            Secret.expectAbsent(in: failure.description, "the error")
        } else {
            // Followed, without the key: the first origin's key-free request went on to the second.
            #expect(other.requests.count == 1, "\(call.name) (\(placement)): not followed (\(outcome))")
        }
    }

    /// The describe body holds the key only when the placement says so; with no key at all the 1.8.3 server
    /// still wants a (non-null) `api_key` string there.
    @Test func describeSendsTheKeyInTheBodyOnlyWhenPlacedThere() async throws {
        let server = try await TestHTTPServer.start { Self.answer($0) }
        defer { Task { await server.shutdown() } }
        for (key, placement, expected) in [
            (Secret.key as String?, InferenceClientConfiguration.APIKeyPlacement.header, nil as String?),
            (Secret.key, .body, Secret.key), (Secret.key, .both, Secret.key), (nil, .header, ""),
        ] {
            var configuration = InferenceClientConfiguration(apiURL: server.baseURL, apiKey: key)
            configuration.apiKeyPlacement = placement
            let client = try InferenceHTTPClient(configuration: configuration)
            _ = try await client.describeInterface(of: .inline(Self.spec))
            try await client.shutdown()
            let body = try #require(server.requests.last?.json)
            #expect(body["api_key"] as? String == expected, "placement \(placement), key \(key == nil ? "none" : "set")")
            #expect(body["specification"] != nil)
        }
    }
}
