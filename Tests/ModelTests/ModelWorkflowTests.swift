import Foundation
import InferenceSDK
import TestSupport
import Testing

/// Workflows built around real models (object detection, segmentation, keypoints, single- and multi-label
/// classification, and a detector → dynamic_crop → classifier chain), typed, equal to the Python SDK's outputs.
extension ModelSuites {
@Suite struct ModelWorkflowTests {
    static func run(_ spec: String, _ images: [WorkflowImage] = [.file(ModelServer.scene1)]) async throws -> WorkflowRunResult {
        try await ModelServer.withClient { client in
            try await client.runWorkflow(
                specification: try Fixture.spec(spec), images: ["image": images.count == 1 ? .image(images[0]) : .batch(images.map { .image($0) })])
        }
    }

    @Test(arguments: ["detect.json", "segment.json", "keypoints.json", "classify.json", "classify-multilabel.json", "detect-crop-classify.json"])
    func sameOutputsAsThePythonSDK(_ spec: String) async throws {
        let ours = try await Self.run(spec)
        let theirs = try await ModelServer.pythonWorkflow(spec: Fixture.path(spec), image: ModelServer.scene1)
        #expect(ModelServer.masked(ModelServer.withoutImageBytes(ours.rawOutputs)) == ModelServer.masked(ModelServer.withoutImageBytes(theirs)), "\(spec)")
    }

    @Test func typedOutputsOfEachTask() async throws {
        let detect = try await Self.run("detect.json").outputs[0]
        let boxes = try #require(try detect.detections("predictions"))
        #expect((1...15).contains(boxes.predictions.count))
        #expect(detect.string("model_id") == "yolov8n-640")
        #expect(detect.string("inference_id") != nil)

        let segment = try #require(try await Self.run("segment.json").outputs[0].detections("predictions"))
        #expect(!segment.predictions.isEmpty && segment.predictions.allSatisfy { ($0.points?.count ?? 0) >= 3 })

        let pose = try #require(try await Self.run("keypoints.json").outputs[0].detections("predictions"))
        #expect(!pose.predictions.isEmpty && pose.predictions.allSatisfy { $0.keypoints?.count == 17 })

        let single = try #require(try await Self.run("classify.json").outputs[0].classification("predictions"))
        #expect(!single.isMultiLabel && single.top != nil && single.predictedClasses == [single.top ?? ""])
        #expect(single.model.predictionType == "classification")

        let multi = try #require(try await Self.run("classify-multilabel.json").outputs[0].classification("predictions"))
        #expect(multi.isMultiLabel && multi.top == nil)
        #expect(Set(multi.predictedClasses).isSubset(of: Set(multi.predictions.map(\.className))))
    }

    /// One classification per crop, each pointing at its detection.
    @Test func detectorCropClassifierNestsOneClassificationPerCrop() async throws {
        let output = try await Self.run("detect-crop-classify.json").outputs[0]
        let detections = try #require(try output.detections("detections")).predictions
        let crops = try output.images("crops")
        let classes = try output.classifications("classifications")
        #expect(!detections.isEmpty)
        #expect(crops.count == detections.count && classes.count == detections.count)
        for (detection, classification) in zip(detections, classes) {
            #expect(classification?.model.parentID == detection.detectionID)
            #expect(classification?.top != nil)
        }
    }

    /// A batch of two pictures: two outputs, in order.
    @Test func batchOfTwo() async throws {
        let batch = try await Self.run("detect.json", [.file(ModelServer.scene1), .file(ModelServer.scene2)])
        let single = try await Self.run("detect.json", [.file(ModelServer.scene2)])
        #expect(batch.outputs.count == 2)
        let second = try #require(try batch.outputs[1].detections("predictions"))
        let alone = try #require(try single.outputs[0].detections("predictions"))
        #expect(second.predictions.map(\.className) == alone.predictions.map(\.className))
    }
}
}
