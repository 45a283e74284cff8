import InferenceSDK
import Testing

/// `WorkflowOutput.value(_:_:)` with each decoder, on hand-made outputs (no server).
struct OutputDecoderTests {
    static let image: JSONValue = ["type": "base64", "value": "iVBORw0KGgo="]

    @Test func absentAndNullAreNil() throws {
        let output = WorkflowOutput(fields: ["skipped": nil])
        #expect(try output.value("skipped", .integer) == nil)
        #expect(try output.value("absent", .detections) == nil)
        #expect(try output.value("skipped", .list(.image)) == nil)
    }

    @Test func scalarsDecode() throws {
        let output = WorkflowOutput(fields: ["i": 5, "whole": 5.0, "f": 0.5, "s": "x", "b": true, "any": ["k": [1]], "list": [1, "a", nil]])
        #expect(try output.value("i", .integer) == 5)
        #expect(try output.value("whole", .integer) == 5)
        #expect(try output.value("i", .float) == 5.0)
        #expect(try output.value("f", .float) == 0.5)
        #expect(try output.value("s", .string) == "x")
        #expect(try output.value("b", .boolean) == true)
        #expect(try output.value("any", .any) == ["k": [1]])
        #expect(try output.value("list", .array) == [1, "a", nil])
    }

    @Test func aValueOfAnotherKindNamesTheOutputTheKindAndWhatArrived() {
        let output = WorkflowOutput(fields: ["caption": "wide", "n": 2.5, "crops": ["a": 1], "pic": 3, "flag": "yes"])
        func failure<Value>(_ name: String, _ decoder: OutputDecoder<Value>) -> InferenceError? {
            do {
                _ = try output.value(name, decoder)
                return nil
            } catch {
                return error
            }
        }
        let failures = [
            failure("caption", .integer), failure("n", .integer), failure("crops", .list(.image)), failure("pic", .image),
            failure("flag", .boolean),
        ]
        #expect(failures.map { $0?.kind } == Array(repeating: .invalidResponse, count: 5))
        #expect(failures.map { $0?.message } == [
            "output 'caption' should be integer but the server sent a string: \"wide\"",
            "output 'n' should be integer but the server sent a number: 2.5",
            "output 'crops' should be list of image but the server sent an object with keys a",
            "output 'pic' should be image but the server sent an integer: 3",
            "output 'flag' should be boolean but the server sent a string: \"yes\"",
        ])
    }

    @Test func listsKeepNullElementsAsNilAndNameTheBadElement() throws {
        let good = WorkflowOutput(fields: ["crops": [Self.image, nil, Self.image]])
        let crops = try #require(try good.value("crops", .list(.image)))
        #expect(crops.count == 3 && crops[1] == nil && crops[0] != nil)
        let nested = WorkflowOutput(fields: ["crops": [[Self.image], [], nil]])
        let levels = try #require(try nested.value("crops", .list(.list(.image))))
        #expect(levels.map { $0?.count } == [1, 0, nil])
        let bad = WorkflowOutput(fields: ["crops": [Self.image, "oops"]])
        let error = #expect(throws: InferenceError.self) { try bad.value("crops", .list(.image)) }
        #expect(error?.message == "output 'crops[1]' should be image but the server sent a string: \"oops\"")
    }

    @Test func detectionsThatDoNotDecodeAreInvalidResponse() throws {
        let ok = WorkflowOutput(fields: ["p": ["image": ["width": 4, "height": 3], "predictions": []]])
        #expect(try ok.value("p", .detections)?.image == ImageSize(width: 4, height: 3))
        let wrongType = WorkflowOutput(fields: ["p": [1, 2]])
        let error = #expect(throws: InferenceError.self) { try wrongType.value("p", .detections) }
        #expect(error?.message == "output 'p' should be detections but the server sent an array of 2 elements")
        let wrongShape = WorkflowOutput(fields: ["p": ["predictions": [["x": "left"]]]])
        let shapeError = #expect(throws: InferenceError.self) { try wrongShape.value("p", .detections) }
        #expect(shapeError?.kind == .invalidResponse)
        #expect(shapeError?.message.hasPrefix("output 'p' should be detections but the server sent an object with keys predictions (") == true)
    }

    @Test func outputsDecodeThroughDecodableToo() throws {
        let outputs = try JSONValue(parsing: #"{"blurred": {"type": "base64", "value": "iVBORw0KGgo="}}"#).decode(as: Blur.Outputs.self)
        #expect(outputs.blurred?.bytes.count == 8)
        #expect(throws: InferenceError.self) { try JSONValue.array([]).decode(as: Blur.Outputs.self) }
    }

    /// The generated EdgeCases type (a saved workflow's interface with awkward names and kinds): inputs go out under
    /// their wire names, nested and wildcard outputs come back typed.
    @Test func edgeCasesKeepWireNamesAndNestLists() throws {
        let workflow = EdgeCases(_2dScale: 0.5, default: ["k": 1], flags: ["a", 2], image: .file("a.png"), init: "x", self2: 3, video: [.file("b.png")])
        #expect(workflow.parameters == ["2d_scale": 0.5, "default": ["k": 1], "flags": ["a", 2], "init": "x", "self": 3])
        #expect(workflow.imageInputs.keys.sorted() == ["image", "video"])
        guard case .saved(let workspace, let id) = try EdgeCases.workflowTarget() else {
            Issue.record("not a saved workflow")
            return
        }
        #expect(workspace == "acme" && id == "edge-cases")
        let output = WorkflowOutput(fields: [
            "crops_of_crops": [[Self.image, nil], nil, []], "numbers_per_crop": [1, nil, 3], "everything": ["a": 1],
            "kernel-size": 5, "kernelSize": 6, "raw": 7, "mixed": 1.5, "values": [], "init": "s",
            "classes": ["predictions": [["class": "cat", "class_id": 0, "confidence": 0.9]], "top": "cat", "confidence": 0.9],
        ])
        let outputs = try EdgeCases.Outputs(output: output)
        #expect(outputs.cropsOfCrops?.map { $0?.count } == [2, nil, 0])
        #expect(outputs.numbersPerCrop == [1, nil, 3])
        #expect(outputs.everything == ["a": 1] && outputs.classes?.top == "cat" && outputs.mixed == 1.5)
        #expect(outputs.kernelSize == 5 && outputs.kernelSize2 == 6 && outputs.raw2 == 7 && outputs.`init` == "s")
        #expect(outputs.values == [] && outputs.detections == nil && outputs.raw.names.count == 10)
        let bad = WorkflowOutput(fields: ["crops_of_crops": [[Self.image, 4]]])
        let error = #expect(throws: InferenceError.self) { try EdgeCases.Outputs(output: bad) }
        #expect(error?.message == "output 'crops_of_crops[0][1]' should be image but the server sent an integer: 4")
    }
}
