import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// The count the client expects for a batch, against the real 1.8.3 server: one output per image when some output
/// derives from an image, exactly one when none does (no outputs, parameters only, steps fed by parameters only).
/// Each definition runs with a batch of three, unsplit and split in chunks of two, through the client's count check.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct BatchOutputCountTests {
    static let definitions: [(name: String, spec: JSONObject, parameters: [String: JSONValue])] = [
        ("echo", ["version": "1.0", "inputs": [["type": "WorkflowImage", "name": "image"]], "steps": [],
                  "outputs": [["type": "JsonField", "name": "e", "selector": "$inputs.image"]]], [:]),
        ("no outputs", ["version": "1.0", "inputs": [["type": "WorkflowImage", "name": "image"]], "steps": [], "outputs": []], [:]),
        ("parameter only", ["version": "1.0", "inputs": [["type": "WorkflowImage", "name": "image"], ["type": "WorkflowParameter", "name": "p"]],
                            "steps": [], "outputs": [["type": "JsonField", "name": "p", "selector": "$inputs.p"]]], ["p": 5]),
        ("step fed by a parameter", [
            "version": "1.0", "inputs": [["type": "WorkflowImage", "name": "image"], ["type": "WorkflowParameter", "name": "p"]],
            "steps": [["type": "roboflow_core/expression@v1", "name": "x", "data": ["v": "$inputs.p"],
                       "switch": ["type": "CasesDefinition", "cases": [], "default": ["type": "DynamicCaseResult", "parameter_name": "v"]]]],
            "outputs": [["type": "JsonField", "name": "x", "selector": "$steps.x.output"]],
        ], ["p": 7]),
    ]

    @Test(arguments: 0..<4)
    func theClientExpectsTheCountTheServerAnswers(index: Int) async throws {
        let (name, object, parameters) = Self.definitions[index]
        let spec = WorkflowSpecification(object: object)
        let images: [String: ImageInput] = ["image": .files([Fixture.swatch, Fixture.template, Fixture.scene])]
        try await RealServer.withClient { client in
            let whole = try await client.runWorkflow(specification: spec, images: images, parameters: parameters)
            #expect(whole.outputs.count == (spec.hasPerElementOutputs ? 3 : 1), "\(name)")
            let split = try await client.runWorkflow(
                specification: spec, images: images, parameters: parameters, options: WorkflowRunOptions(maxBatchSize: 2))
            #expect(split.outputs.count == (spec.hasPerElementOutputs ? 3 : 2), "\(name)")
        }
        #expect(spec.hasPerElementOutputs == (index == 0), "\(name)")
    }

    @Test(arguments: ["blur.json", "scalars-and-parameters.json", "template-matching-crops.json"])
    func theSharedWorkflowsHaveAnOutputPerImage(file: String) async throws {
        let spec = try Fixture.spec(file)
        #expect(spec.hasPerElementOutputs)
    }
}
