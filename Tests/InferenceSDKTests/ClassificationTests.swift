import InferenceSDKTesting
import Testing
@testable import InferenceSDK

/// Both forms of the server's `classification_prediction` kind, as a 1.8.3 server sends them (shapes from
/// ../shared/docs/real-models.md), and the model metadata beside them.
@Suite struct ClassificationTests {
    static let single: JSONValue = [
        "inference_id": "abc", "time": 0.015, "image": ["width": 640, "height": 480],
        "resolved_model": ["model_id": "sdk-cls/1", "model_package_id": "onnxfp32", "backend": "onnx", "quantization": "fp32"],
        "predictions": [["class": "cat", "class_id": 0, "confidence": 0.2], ["class": "dog", "class_id": 1, "confidence": 0.7],
                        ["class": "bird", "class_id": 2, "confidence": 0.1]],
        "top": "dog", "confidence": 0.7, "prediction_type": "classification", "parent_id": "p1", "root_parent_id": "r1",
    ]
    static let multi: JSONValue = [
        "inference_id": "def", "image": ["width": 224, "height": 224],
        "predictions": ["cat": ["confidence": 0.9, "class_id": 0], "dog": ["confidence": 0.2, "class_id": 1], "car": ["confidence": 0.6, "class_id": 2]],
        "predicted_classes": ["cat", "car"], "prediction_type": "classification",
    ]

    @Test func singleLabel() throws {
        let output = WorkflowOutput(fields: ["predictions": Self.single])
        let result = try #require(try output.classification("predictions"))
        #expect(!result.isMultiLabel)
        #expect(result.top == "dog" && result.confidence == 0.7)
        #expect(result.predictions.map(\.className) == ["dog", "cat", "bird"])
        #expect(result.predictedClasses == ["dog"])
        #expect(result.confidence(of: "cat") == 0.2)
        #expect(result.image == ImageSize(width: 640, height: 480))
        #expect(result.model.inferenceID == "abc" && result.model.time == 0.015 && result.model.predictionType == "classification")
        #expect(result.model.parentID == "p1" && result.model.rootParentID == "r1")
        #expect(result.model.resolvedModel?["model_id"]?.stringValue == "sdk-cls/1")
        #expect(result.extra.isEmpty, "\(result.extra)")
    }

    @Test func multiLabel() throws {
        let result = try #require(try WorkflowOutput(fields: ["p": Self.multi]).classification("p"))
        #expect(result.isMultiLabel)
        #expect(result.top == nil)
        #expect(result.predictedClasses == ["cat", "car"])
        #expect(result.predictions.map(\.className) == ["cat", "car", "dog"])
        #expect(result.predictions.first?.classID == 0)
    }

    /// Encoding gives back the server's form; the builder makes fixtures from it.
    @Test func roundTripsThroughTheBuilder() throws {
        for value in [Self.single, Self.multi] {
            var decoded = try value.decode(as: Classification.self)
            var again = try JSONValue.classification(decoded).decode(as: Classification.self)
            // Objects compare in order; an encoder round trip need not keep the order of a nested object's keys.
            #expect(again.model.resolvedModel?["model_id"] == decoded.model.resolvedModel?["model_id"])
            #expect(again.model.resolvedModel?.objectValue?.count == decoded.model.resolvedModel?.objectValue?.count)
            again.model.resolvedModel = nil
            decoded.model.resolvedModel = nil
            #expect(again == decoded)
        }
        let built = JSONValue.classification(Classification(
            predictedClasses: ["a"], predictions: [.init(className: "a", classID: 0, confidence: 0.8)]))
        #expect(built["predicted_classes"] == ["a"])
        #expect(built["predictions"]?["a"]?["confidence"] == 0.8)
    }

    /// One classification per crop: a list, nulls kept.
    @Test func perCropLists() throws {
        let output = WorkflowOutput(fields: ["classes": [Self.single, .null, Self.multi]])
        let list = try output.classifications("classes")
        #expect(list.count == 3 && list[1] == nil && list[0]?.top == "dog" && list[2]?.isMultiLabel == true)
    }

    @Test func detectionsAreNotAClassification() {
        let output = WorkflowOutput(fields: ["d": ["image": ["width": 1, "height": 1], "predictions": [["x": 1, "y": 1, "width": 1, "height": 1]]]])
        #expect(throws: InferenceError.self) { _ = try output.classification("d") }
        let broken = WorkflowOutput(fields: ["c": ["predictions": ["cat": "high"]]])
        #expect {
            _ = try broken.classification("c")
        } throws: { error in
            (error as? InferenceError)?.kind == .invalidResponse && "\(error)".contains("output 'c'")
        }
    }

    /// `/infer/*` detections carry the model's metadata beside the boxes.
    @Test func detectionsKeepModelMetadata() throws {
        let value: JSONValue = ["inference_id": "i1", "time": 0.08, "image": ["width": 640, "height": 480], "predictions": []]
        let detections = try value.decode(as: Detections.self)
        #expect(detections.model.inferenceID == "i1" && detections.model.time == 0.08)
        #expect(try JSONValue(encoding: detections)["inference_id"] == "i1")
    }
}
