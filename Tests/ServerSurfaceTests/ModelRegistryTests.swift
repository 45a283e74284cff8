import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The model registry on the real (offline) server, and a registry with loaded models from a recorded shape.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL (scripts/test.sh starts the real server)"))
struct ModelRegistryTests {
    @Test func anOfflineServerListsNoModels() async throws {
        let registry = try await RealServer.withClient { try await $0.listModels() }
        #expect(registry.models.isEmpty)
        #expect(registry.raw["models"] == [])
        #expect(registry.gpuMemoryTotal == nil)  // CPU server
    }

    @Test func loadingAModelOfflineIsATransient503WithTheServersMessage() async throws {
        let secret = "sk-model-secret-4242"
        let error = await #expect(throws: InferenceError.self) {
            try await RealServer.withClient({
                $0.apiKey = secret
                $0.apiKeyPlacement = .body
                $0.retry = RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(10))
            }) { try await $0.loadModel("coco/3") }
        }
        #expect(error?.kind == .serverFailure && error?.status == 503)
        #expect(error?.serverError?.message == "Internal error. Could not connect to Roboflow API.")
        #expect(error?.isTransient == true)
        #expect(error?.attempts == 2)
        // Whether the key is masked is checked by ReliabilityTests' EchoedKeyEndpointsTests: this server never
        // repeats a key, so a check here could not fail.
        #expect(error?.pipelineErrorKind == nil)
    }

    @Test func unloadingAndClearingAnswerTheRegistry() async throws {
        let (unloaded, cleared) = try await RealServer.withClient { client in
            // 1.8.3 answers success for a model that is not loaded.
            (try await client.unloadModel("not-loaded/1"), try await client.unloadAllModels())
        }
        #expect(unloaded.models.isEmpty)
        #expect(cleared.models.isEmpty)
    }

    @Test func emptyModelIDsAreRefusedBeforeSending() async throws {
        try await RealServer.withClient { client in
            let load = await #expect(throws: InferenceError.self) { _ = try await client.loadModel(" ") }
            #expect(load?.kind == .invalidInput && load?.attempts == 0)
            let unload = await #expect(throws: InferenceError.self) { _ = try await client.unloadModel("") }
            #expect(unload?.kind == .invalidInput)
        }
    }
}

/// Loading needs Roboflow's cloud, so a registry with models is served in-process, in the server's shape.
@Suite struct LoadedModelsShapeTests {
    static let registry = #"""
        {"models":[{"model_id":"coco/3","task_type":"object-detection","batch_size":8,"input_height":640,"input_width":640,
        "vram_bytes":123456,"request_aliases":["yolov8n-640"],"request_paths":["/coco/3"]},
        {"model_id":"flowers/2","task_type":"classification","batch_size":null,"input_height":224,"input_width":224,
        "vram_bytes":null,"request_aliases":[],"request_paths":[]}],
        "total_vram_bytes":123456,"gpu_memory_used":1000,"gpu_memory_total":8000,"torch_cuda_allocated":null,
        "torch_cuda_reserved":null,"torch_cuda_allocator_cache":null,"non_torch_gpu_memory":null}
        """#

    @Test func loadSendsTheModelIDAndKeyAndDecodesTheRegistry() async throws {
        let server = try await TestHTTPServer.start { _ in TestHTTPServer.json(200, Self.registry) }
        var configuration = InferenceClientConfiguration(apiURL: server.baseURL, apiKey: "KEY-MODELS-9")
        configuration.apiKeyPlacement = .body
        let client = try InferenceHTTPClient(configuration: configuration)
        let loaded = try await client.loadModel("coco/3")
        _ = try await client.unloadModel("coco/3")
        _ = try await client.unloadAllModels()
        _ = try await client.listModels()
        try await client.shutdown()
        let requests = server.requests
        await server.shutdown()

        #expect(loaded.modelIDs == ["coco/3", "flowers/2"])
        let coco = try #require(loaded.models.first)
        #expect(coco.taskType == "object-detection" && coco.batchSize == 8)
        #expect(coco.inputWidth == 640 && coco.inputHeight == 640 && coco.vramBytes == 123456)
        #expect(coco.requestAliases == ["yolov8n-640"] && coco.requestPaths == ["/coco/3"])
        #expect(loaded.models.last?.batchSize == nil)
        #expect(loaded.totalVRAMBytes == 123456 && loaded.gpuMemoryTotal == 8000)

        #expect(requests.map { "\($0.method) \($0.uri)" } == [
            "POST /model/add", "POST /model/remove", "POST /model/clear", "GET /model/registry",
        ])
        #expect(try JSONValue(parsing: requests[0].body) == ["model_id": "coco/3", "api_key": "KEY-MODELS-9"])
        #expect(try JSONValue(parsing: requests[1].body) == ["model_id": "coco/3"])
        #expect(requests[2].body.isEmpty)
    }
}
