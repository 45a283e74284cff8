import Foundation
import InferenceSDK
import TestSupport
import Testing
import WorkflowCodegen

/// The committed generated types are what the generator makes of the committed interfaces (no server).
struct GenerationTests {
    @Test(arguments: try TypedFixtures.all())
    func committedFileIsWhatTheGeneratorWrites(_ entry: TypedFixtures.Entry) throws {
        let committed = try String(contentsOfFile: entry.generatedPath, encoding: .utf8)
        let generated = try entry.generate()
        #expect(generated == committed, "regenerate: rfclient codegen --spec Tests/Fixtures/workflows/\(entry.spec) --interface Tests/Fixtures/workflows/\(entry.interface) --name \(entry.typeName) -o \(entry.generatedPath)")
    }

    @Test func everyWorkflowFixtureHasAnInterfaceAndAGeneratedType() throws {
        let entries = try TypedFixtures.fixtures()
        #expect(entries.map(\.typeName) == [
            "Blur", "ClassifyMultilabel", "Classify", "DetectCropClassify", "Detect", "Keypoints", "ScalarsAndParameters", "Segment",
            "TemplateMatchingCrops",
        ])
        for entry in entries {
            #expect(FileManager.default.fileExists(atPath: Fixture.path(entry.interface)), "\(entry.interface)")
            #expect(FileManager.default.fileExists(atPath: entry.generatedPath), "\(entry.generatedPath)")
        }
    }

    /// Examples/TypedWorkflow builds its type from copies of the template-matching fixture's files: they stay equal.
    @Test func theExampleUsesTheFixturesFiles() throws {
        let example = BuiltRFClient.repositoryRoot + "/Examples/TypedWorkflow/"
        #expect(try Data(contentsOf: URL(fileURLWithPath: example + "template-matching.json")) == Data(try Fixture.bytes("template-matching-crops.json")))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: example + "template-matching.interface.json"))
                == Data(try Fixture.bytes("template-matching-crops.interface.json")))
    }

    @Test(arguments: try TypedFixtures.all())
    func generationIsDeterministic(_ entry: TypedFixtures.Entry) throws {
        let first = try entry.generate()
        for _ in 0..<5 { #expect(try entry.generate() == first) }
    }

    @Test func namesAreLowerCamelCaseAndWireNamesAreKept() throws {
        let interface = WorkflowInterfaceFile(
            inputs: ["kernel_size": ["integer"], "default": ["*"], "image": ["image"], "raw": ["string"]],
            outputs: ["class_names": ["*"], "raw": ["integer"], "2d_view": ["image"]])
        let code = try WorkflowCodeGenerator(
            typeName: "Names", interface: interface, source: .saved(workspace: "acme", id: "names"), sourceDescription: "acme/names"
        ).generate()
        #expect(code.contains("public var kernelSize: Int?"))
        #expect(code.contains("parameters[\"kernel_size\"] = .int(value)"))
        #expect(code.contains("public var `default`: JSONValue?"))
        #expect(code.contains("public var classNames: JSONValue?"))
        #expect(code.contains("self.classNames = try output.value(\"class_names\", .any)"))
        #expect(code.contains("public var raw2: Int?"), "an output named raw does not hide the raw outputs")
        #expect(code.contains("public var _2dView: ImageOutput?"))
        #expect(code.contains(".saved(workspace: \"acme\", id: \"names\")"))
        #expect(code.contains("public init(default: JSONValue? = nil, image: ImageInput, kernelSize: Int? = nil, raw: String? = nil)"))
    }

    @Test func aTypeNameMustBeAnIdentifier() {
        let interface = WorkflowInterfaceFile(inputs: [:], outputs: [:])
        for bad in ["", "2Fast", "has-dash", "struct", "Detections", "Outputs"] {
            #expect(throws: CodegenError.self) {
                try WorkflowCodeGenerator(typeName: bad, interface: interface, source: .saved(workspace: "a", id: "b"), sourceDescription: "a/b")
            }
        }
    }

    @Test func nestingComesFromTheBlocksDimensionalityOffsets() throws {
        let definition = try CodegenJSON.parse(try Fixture.bytes("template-matching-crops.json"), source: "spec")
        let blocks: [String: OutputNesting.Block] = [
            "roboflow_core/template_matching@v1": .init(outputOffset: 0),
            "roboflow_core/bounding_box_visualization@v1": .init(outputOffset: 0),
            "roboflow_core/label_visualization@v1": .init(outputOffset: 0),
            "roboflow_core/dynamic_crop@v1": .init(outputOffset: 1),
            "roboflow_core/property_definition@v1": .init(outputOffset: 0),
        ]
        #expect(try OutputNesting.compute(definition: definition, blocks: blocks) == ["crops": 1])
        #expect(throws: CodegenError.self) { try OutputNesting.compute(definition: definition, blocks: [:]) }
    }

    @Test func customPythonBlocksBringTheirOwnOffsets() throws {
        let definition = try CodegenJSON.parse(Array(#"""
            {"inputs": [{"type": "WorkflowImage", "name": "image"}],
             "dynamic_blocks_definitions": [{"type": "DynamicBlockDefinition", "manifest": {
                 "type": "ManifestDescription", "block_type": "Tiles", "output_dimensionality_offset": 1,
                 "inputs": {"image": {"type": "DynamicInputDefinition", "selector_types": ["input_image"]}}}}],
             "steps": [{"type": "Tiles", "name": "tiles", "image": "$inputs.image"}],
             "outputs": [{"type": "JsonField", "name": "tiles", "selector": "$steps.tiles.tiles"}]}
            """#.utf8), source: "definition")
        #expect(try OutputNesting.compute(definition: definition, blocks: [:]) == ["tiles": 1])
    }

    @Test func aCollapseAndAStitchUndoTheCrop() throws {
        let definition = CodegenJSON.object([
            "inputs": .array([.object(["type": .string("WorkflowImage"), "name": .string("image")])]),
            "steps": .array([
                .object(["type": .string("Crop"), "name": .string("crop"), "images": .string("$inputs.image")]),
                .object(["type": .string("Collapse"), "name": .string("collapse"), "data": .string("$steps.crop.crops")]),
                .object([
                    "type": .string("Stitch"), "name": .string("stitch"), "reference_image": .string("$inputs.image"),
                    "predictions": .string("$steps.crop.crops"),
                ]),
            ]),
            "outputs": .array([
                .object(["name": .string("crops"), "selector": .string("$steps.crop.crops")]),
                .object(["name": .string("collapsed"), "selector": .string("$steps.collapse.output")]),
                .object(["name": .string("stitched"), "selector": .string("$steps.stitch.predictions")]),
            ]),
        ])
        let blocks: [String: OutputNesting.Block] = [
            "Crop": .init(outputOffset: 1), "Collapse": .init(outputOffset: -1),
            "Stitch": .init(outputOffset: 0, inputOffsets: ["predictions": 1]),
        ]
        #expect(try OutputNesting.compute(definition: definition, blocks: blocks) == ["crops": 1])
    }
}
