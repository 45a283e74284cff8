import Foundation
import InferenceSDK
import TestSupport
import Testing

/// Direct model inference on real ONNX models served offline by the real 1.8.3 server (models made on this machine
/// by scripts/model-fixtures.sh): every task typed, equal to what the Python SDK gets on the same server.
extension ModelSuites {
@Suite struct ModelInferenceRealTests {
    /// Each model, through `client.infer` (task from the registry) and the Python SDK: the same answer, ids masked.
    @Test(arguments: ["yolov8n-640", "sdk-detector/1", "sdk-seg/1", "sdk-pose/1", "sdk-cls/1", "sdk-multilabel/1"])
    func sameAnswerAsThePythonSDK(_ model: String) async throws {
        let ours = try await ModelServer.withClient { try await $0.infer(.file(ModelServer.scene1), model: model) }
        let theirs = try await ModelServer.pythonInfer(model: model, image: ModelServer.scene1)
        #expect(ModelServer.masked(ours.raw) == ModelServer.masked(theirs), "\(model)")
        // Typed, per task.
        switch ours.task {
        case .objectDetection:
            let detections = try ours.detections()
            #expect((1...15).contains(detections.predictions.count), "\(detections.predictions.count) boxes")
            #expect(detections.predictions.allSatisfy { $0.className != nil && ($0.confidence ?? 0) > 0 })
            #expect(detections.image == ImageSize(width: 640, height: 480))
            #expect(detections.model.inferenceID != nil)
        case .instanceSegmentation:
            let detections = try ours.detections()
            #expect(!detections.predictions.isEmpty)
            #expect(detections.predictions.allSatisfy { ($0.points?.count ?? 0) >= 3 }, "every mask is a polygon")
        case .keypointsDetection:
            let detections = try ours.detections()
            #expect(!detections.predictions.isEmpty)
            #expect(detections.predictions.allSatisfy { $0.keypoints?.count == 17 })
            #expect(detections.predictions.first?.keypoints?.first?.className == "nose")
        case .classification:
            let classification = try ours.classification()
            #expect(!classification.predictions.isEmpty)
            #expect(classification.isMultiLabel == (model == "sdk-multilabel/1"))
            if classification.isMultiLabel {
                #expect(classification.predictedClasses == (theirs["predicted_classes"]?.arrayValue ?? []).compactMap(\.stringValue))
            } else {
                #expect(classification.top == theirs["top"]?.stringValue && classification.confidence == theirs["confidence"]?.doubleValue)
            }
        }
        let expectedTask: ModelTask = switch model {
        case "sdk-seg/1": .instanceSegmentation
        case "sdk-pose/1": .keypointsDetection
        case "sdk-cls/1", "sdk-multilabel/1": .classification
        default: .objectDetection
        }
        #expect(ours.task == expectedTask)
    }

    /// A batch of three in one request and split into requests of one: the same answers, in order.
    @Test func batchOfSeveralImages() async throws {
        let images: [WorkflowImage] = [.file(ModelServer.scene1), .file(ModelServer.scene2), .file(ModelServer.scene1)]
        let (together, split) = try await ModelServer.withClient { client in
            (try await client.infer(images, model: "sdk-detector/1", task: .objectDetection),
             try await client.infer(images, model: "sdk-detector/1", task: .objectDetection, options: .init(maxBatchSize: 1)))
        }
        #expect(together.predictions.count == 3 && split.predictions.count == 3)
        #expect(together.requestIDs.count == 1 && split.requestIDs.count == 3)
        let masked = together.predictions.map { ModelServer.masked($0.raw) }
        #expect(masked[0] == masked[2] && masked[0] != masked[1])
        #expect(masked == split.predictions.map { ModelServer.masked($0.raw) })
    }

    /// Options reach the server: a confidence above every box leaves none; a class filter keeps that class only.
    @Test func optionsChangeTheAnswer() async throws {
        try await ModelServer.withClient { client in
            let all = try await client.infer(.file(ModelServer.scene1), model: "sdk-detector/1", task: .objectDetection).detections()
            let first = try #require(all.predictions.first?.className)
            let none = try await client.infer(.file(ModelServer.scene1), model: "sdk-detector/1", task: .objectDetection,
                                              options: .init(confidence: 0.999)).detections()
            #expect(none.predictions.isEmpty)
            let filtered = try await client.infer(.file(ModelServer.scene1), model: "sdk-detector/1", task: .objectDetection,
                                                  options: .init(classFilter: [first])).detections()
            #expect(!filtered.predictions.isEmpty && filtered.predictions.allSatisfy { $0.className == first })
            let one = try await client.infer(.file(ModelServer.scene1), model: "sdk-detector/1", task: .objectDetection,
                                             options: .init(maxDetections: 1)).detections()
            #expect(one.predictions.count == 1)
        }
    }

    /// An unknown model: the server's error, typed, its message kept. An offline 1.8.3 server answers 503 "Could not
    /// connect to Roboflow API" (it would ask Roboflow about the id): a 503, which the retry policy retries like any
    /// other (an online server's 4xx for an unknown model is never retried: ModelInferenceTests).
    @Test func unknownModelIsTheServersErrorTyped() async throws {
        let error = await #expect(throws: InferenceError.self) {
            try await ModelServer.withClient({ $0.retry = RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(10)) }) {
                try await $0.infer(.file(ModelServer.scene1), model: "no-such-project/7", task: .objectDetection)
            }
        }
        let failure = try #require(error)
        #expect(failure.kind == .serverFailure && failure.status == 503, "\(failure)")
        #expect(failure.message.contains("Could not connect to Roboflow API"), "\(failure)")
        #expect(failure.attempts == 2, "\(failure)")
    }

    /// The first request for a model that is not loaded says so in its headers.
    @Test func coldStartIsSurfaced() async throws {
        try await ModelServer.withClient { client in
            // sdk-detector/1: no test outside these serialized suites loads it (TypedModelRunTests runs the others).
            _ = try await client.unloadModel("sdk-detector/1")
            let cold = try await client.infer([.file(ModelServer.scene1)], model: "sdk-detector/1", task: .objectDetection)
            let warm = try await client.infer([.file(ModelServer.scene1)], model: "sdk-detector/1", task: .objectDetection)
            #expect(cold.serverMetadata.first?.modelColdStart == true, "\(cold.serverMetadata)")
            #expect(warm.serverMetadata.first?.modelColdStart == false, "\(warm.serverMetadata)")
        }
    }
}
}
