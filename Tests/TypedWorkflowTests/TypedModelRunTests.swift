import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The generated types of the model workflow fixtures, run on the real models (the model fixtures' server): typed
/// detections and classifications equal the untyped outputs, the crops' classifications nested one per crop.
/// (Not sdk-detector/1: ModelTests times a cold start of that model.)
@Suite(.enabled(if: ModelsServer.url != nil || RealServer.required, "needs INFERENCE_MODELS_SERVER_URL"))
struct TypedModelRunTests {
    static var server: String? { ModelsServer.url }
    static let scene = Fixture.path("scene-1.jpg")

    static func withClient<T: Sendable>(_ body: (InferenceHTTPClient) async throws -> T) async throws -> T {
        let url = try #require(server, "missing requirement: the model fixtures' server (INFERENCE_MODELS_SERVER_URL; scripts/test.sh starts it)")
        return try await InferenceHTTPClient.withClient(RealServer.configuration(url: url), body)
    }

    static func untyped(_ spec: String, _ client: InferenceHTTPClient) async throws -> WorkflowOutput {
        try await client.runWorkflow(specification: try Fixture.spec(spec), images: ["image": .file(scene)]).outputs[0]
    }

    @Test func detectSegmentAndKeypointsGiveTypedDetections() async throws {
        try await Self.withClient { client in
            let detect = try #require(try await client.run(Detect(image: .file(Self.scene))).first)
            let raw = try await Self.untyped("detect.json", client)
            #expect(detect.predictions?.predictions.map(\.className) == (try raw.detections("predictions"))?.predictions.map(\.className))
            #expect(detect.modelId == "yolov8n-640" && detect.inferenceId != nil)
            let segment = try #require(try await client.run(Segment(image: .file(Self.scene))).first)
            #expect((segment.predictions?.predictions ?? []).allSatisfy { ($0.points?.count ?? 0) >= 3 })
            #expect(!(segment.predictions?.predictions.isEmpty ?? true))
            let pose = try #require(try await client.run(Keypoints(image: .file(Self.scene))).first)
            #expect(!(pose.predictions?.predictions.isEmpty ?? true))
            #expect((pose.predictions?.predictions ?? []).allSatisfy { $0.keypoints?.count == 17 })
        }
    }

    @Test func classifiersGiveTypedClassifications() async throws {
        try await Self.withClient { client in
            let single = try #require(try await client.run(Classify(image: .file(Self.scene))).first?.predictions)
            let raw = try #require(try await Self.untyped("classify.json", client).classification("predictions"))
            #expect(!single.isMultiLabel && single.top == raw.top && single.confidence == raw.confidence)
            let multi = try #require(try await client.run(ClassifyMultilabel(image: .file(Self.scene))).first?.predictions)
            #expect(multi.isMultiLabel && !multi.predictions.isEmpty)
        }
    }

    @Test func cropsAndTheirClassificationsAreNestedLists() async throws {
        try await Self.withClient { client in
            let typed = try #require(try await client.run(DetectCropClassify(image: .file(Self.scene))).first)
            let boxes = try #require(typed.detections?.predictions)
            let crops = try #require(typed.crops)
            let classes = try #require(typed.classifications)
            #expect(!boxes.isEmpty && crops.count == boxes.count && classes.count == boxes.count)
            for (box, classification) in zip(boxes, classes) { #expect(classification?.model.parentID == box.detectionID) }
        }
    }
}

/// The model fixtures' server of this run (scripts/test.sh starts it).
enum ModelsServer {
    static let url: String? = ProcessInfo.processInfo.environment["INFERENCE_MODELS_SERVER_URL"].flatMap { $0.isEmpty ? nil : $0 }
}
