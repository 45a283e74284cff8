import InferenceSDKTesting
import Testing
@testable import InferenceSDK

/// Direct model calls against a scripted server: the route and body, the registry lookup, batches and their
/// splitting, counts checked, errors typed and not retried.
@Suite struct ModelInferenceTests {
    static func detections(_ count: Int) -> JSONValue {
        let list: [JSONValue] = (0..<count).map { index in
            ["inference_id": .string("i\(index)"), "image": ["width": 2, "height": 1],
             "predictions": [["x": 1, "y": 0.5, "width": 1, "height": 1, "class": "car", "class_id": 2, "confidence": 0.9]]]
        }
        return count == 1 ? list[0] : .array(list)
    }

    static func reply(_ json: JSONValue, status: Int = 200) -> Result<TransportResponse, InferenceError> {
        .success(TransportResponse(status: status, headers: [("x-request-id", "r1")], body: json.serialized()))
    }

    @Test func oneImageWithAGivenTask() async throws {
        let transport = ScriptedTransport { _, _ in Self.reply(Self.detections(1)) }
        let client = try InferenceHTTPClient.scripted(transport)
        let prediction = try await client.infer(
            .bytes(Fixtures.png), model: "yolov8n-640", task: .objectDetection,
            options: .init(confidence: 0.4, iouThreshold: 0.5, classFilter: ["car"], maxDetections: 10, keypointConfidence: 0.3,
                           disablePreprocessing: [.contrast]))
        #expect(try prediction.detections().predictions.first?.className == "car")
        #expect(prediction.model.inferenceID == "i0")
        let sent = try #require(transport.requests.first)
        #expect(sent.url == "http://127.0.0.1:9/infer/object_detection")
        let body = try JSONValue(parsing: try #require(sent.body))
        #expect(body["model_id"] == "coco/3", "a public alias goes out as its canonical id, as the Python SDK sends it")
        #expect(body["confidence"] == 0.4 && body["iou_threshold"] == 0.5 && body["max_detections"] == 10)
        #expect(body["class_filter"] == ["car"] && body["disable_preproc_contrast"] == true)
        #expect(body["keypoint_confidence"] == nil, "an option of another task is left out")
        #expect(body["image"]?["type"] == "base64")
        #expect(body["api_key"] == nil, "the key travels in the header by default")
    }

    /// No task: the registry says, once per model; a model not loaded is loaded first.
    @Test func taskFromTheRegistry() async throws {
        let transport = ScriptedTransport { request, _ in
            if request.url.hasSuffix("/model/registry") { return Self.reply(["models": []]) }
            if request.url.hasSuffix("/model/add") {
                return Self.reply(["models": [["model_id": "coco/3", "task_type": "instance-segmentation", "request_aliases": []]]])
            }
            return Self.reply(Self.detections(1))
        }
        let client = try InferenceHTTPClient.scripted(transport)
        _ = try await client.infer(.bytes(Fixtures.png), model: "yolov8n-640")
        _ = try await client.infer(.bytes(Fixtures.png), model: "yolov8n-640")
        #expect(transport.requests.map(\.url) == [
            "http://127.0.0.1:9/model/registry", "http://127.0.0.1:9/model/add",
            "http://127.0.0.1:9/infer/instance_segmentation", "http://127.0.0.1:9/infer/instance_segmentation",
        ])
    }

    @Test func batchesAreSplitAndMergedInOrder() async throws {
        let transport = ScriptedTransport { request, _ in
            let body = (try? JSONValue(parsing: request.body ?? [])) ?? .null
            let count = body["image"]?.arrayValue?.count ?? 1
            return Self.reply(Self.detections(count))
        }
        let client = try InferenceHTTPClient.scripted(transport) { $0.maxConcurrentRequests = 2 }
        let images = (0..<5).map { _ in WorkflowImage.bytes(Fixtures.png) }
        let result = try await client.infer(images, model: "m/1", task: .objectDetection, options: .init(maxBatchSize: 2))
        #expect(result.predictions.count == 5)
        #expect(result.predictions.map { $0.model.inferenceID } == ["i0", "i1", "i0", "i1", "i0"])
        #expect(transport.requests.count == 3)
        #expect(result.requestIDs == ["r1", "r1", "r1"])
    }

    /// Fewer answers than images: none kept, the counts named.
    @Test func answerCountMustMatch() async throws {
        let transport = ScriptedTransport { _, _ in Self.reply(Self.detections(1)) }
        let client = try InferenceHTTPClient.scripted(transport)
        let error = await #expect(throws: InferenceError.self) {
            try await client.infer([.bytes(Fixtures.png), .bytes(Fixtures.png)], model: "m/1", task: .objectDetection)
        }
        #expect(error?.kind == .invalidResponse && error?.message.contains("1 predictions for 2 images") == true, "\(String(describing: error))")
    }

    /// An unknown model: the server's 4xx, its message kept, one attempt.
    @Test func unknownModelIsTypedAndNotRetried() async throws {
        let transport = ScriptedTransport { _, _ in
            Self.reply(["message": "Model with id nope/9 not found", "error_type": "ModelNotFoundError"], status: 404)
        }
        let client = try InferenceHTTPClient.scripted(transport)
        let error = await #expect(throws: InferenceError.self) {
            try await client.infer(.bytes(Fixtures.png), model: "nope/9", task: .classification)
        }
        #expect(error?.kind == .clientError && error?.status == 404 && error?.attempts == 1)
        #expect(error?.description.contains("nope/9 not found") == true)
        #expect(transport.requests.count == 1)
    }

    /// Bad input is refused before anything is sent, naming it.
    @Test func badInputBeforeSending() async throws {
        let transport = ScriptedTransport { _, _ in Self.reply(Self.detections(1)) }
        let client = try InferenceHTTPClient.scripted(transport)
        let cases: [(() async throws -> Void, String)] = [
            ({ _ = try await client.infer([], model: "m/1", task: .objectDetection) }, "image"),
            ({ _ = try await client.infer(.bytes(Fixtures.png), model: " ", task: .objectDetection) }, "model_id"),
            ({ _ = try await client.infer(.bytes(Fixtures.png), model: "m/1", task: .objectDetection, options: .init(confidence: 1.5)) }, "confidence"),
            ({ _ = try await client.infer(.file("/nonexistent/x.jpg"), model: "m/1", task: .objectDetection) }, "image[0]"),
        ]
        for (call, input) in cases {
            await #expect {
                try await call()
            } throws: { error in
                (error as? InferenceError)?.kind == .invalidInput && (error as? InferenceError)?.input == input
            }
        }
        #expect(transport.requests.isEmpty)
    }

    @Test func taskNames() {
        #expect(ModelTask(taskType: "object-detection") == .objectDetection)
        #expect(ModelTask(taskType: "keypoint-detection") == .keypointsDetection)
        #expect(ModelTask(taskType: "multi-label-classification") == .classification)
        #expect(ModelTask(taskType: "lmm") == nil)
    }
}
