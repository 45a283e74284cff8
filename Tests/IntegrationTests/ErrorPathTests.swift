import ImageCodecs
import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// The real server's error answers become typed errors that keep its message.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct ErrorPathTests {
    @Test func invalidDefinitionIs400WithErrorType() async throws {
        let spec = WorkflowSpecification(object: [
            "version": "1.0", "inputs": [["type": "WorkflowImage", "name": "image"]],
            "steps": [["type": "roboflow_core/no_such_block@v1", "name": "x"]], "outputs": [],
        ])
        let error = await #expect(throws: InferenceError.self) {
            try await RealServer.withClient { try await $0.runWorkflow(specification: spec, images: ["image": .file(Fixture.swatch)]) }
        }
        #expect(error?.status == 400)
        #expect(error?.kind == .clientError)
        #expect(error?.attempts == 1)
        #expect(error?.serverError?.errorType != nil)
        #expect(error?.requestID != nil)
        #expect(error?.description.hasPrefix("HTTP 400 \(error?.serverError?.errorType ?? "?"): ") == true)
    }

    @Test func wrongParameterTypeIs400RuntimeInputError() async throws {
        let error = await #expect(throws: InferenceError.self) {
            try await RealServer.withClient {
                try await $0.runWorkflow(specification: try Fixture.spec("blur.json"), images: ["image": .file(Fixture.swatch)], parameters: ["kernel_size": "abc"])
            }
        }
        #expect(error?.status == 400)
        #expect(error?.serverError?.errorType == "RuntimeInputError")
        #expect(error?.serverError?.context == "workflow_execution | runtime_input_validation")
        #expect(error?.serverError?.innerErrorType == "ValidationError")
    }

    @Test func failingStepIs500AndNotRetried() async throws {
        // min_width has no default: the expression step compares with None and fails at run time.
        let error = await #expect(throws: InferenceError.self) {
            try await RealServer.withClient {
                try await $0.runWorkflow(specification: try Fixture.spec("scalars-and-parameters.json"), images: ["image": .file(Fixture.swatch)], parameters: ["label": "x"])
            }
        }
        #expect(error?.status == 500)
        #expect(error?.kind == .serverFailure)
        #expect(error?.attempts == 1)
        #expect(error?.serverError?.errorType == "EvaluationEngineError")
        #expect(error?.serverError?.innerErrorType == "TypeError")
        #expect(error?.description.contains("'>=' not supported") == true)
    }

    @Test func malformedBodyIs422WithoutEchoingImages() async throws {
        let client = try RealServer.client()
        let image = Base64.encode(try Fixture.bytes("template_scene.png"))
        // No "inputs": FastAPI answers 422 and echoes the request in detail[].input.
        let body: JSONValue = ["specification": .object(Fixture.echo.json), "images": .string(image)]
        let error = await #expect(throws: InferenceError.self) {
            _ = try await client.send(method: "POST", path: "/workflows/run", body: body.serialized())
        }
        try await client.shutdown()
        #expect(error?.status == 422)
        #expect(error?.serverError?.validationIssues.first?.location == ["body", "inputs"])
        #expect(error?.description == "HTTP 422: body.inputs: Field required (request \(error?.requestID ?? ""))")
        #expect(error?.description.contains(String(image.prefix(40))) == false)
        #expect(error?.serverError?.body?.jsonString.contains(String(image.prefix(40))) == false)
    }

    @Test func savedWorkflowOfflineIs503AfterRetries() async throws {
        let error = await #expect(throws: InferenceError.self) {
            try await RealServer.withClient({ $0.retry = RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(10)) }) {
                try await $0.runWorkflow(workspace: "some-workspace", id: "some-workflow", images: ["image": .file(Fixture.swatch)])
            }
        }
        #expect(error?.status == 503)
        #expect(error?.kind == .serverFailure)
        #expect(error?.attempts == 2)
        #expect(error?.serverError?.message == "Internal error. Could not connect to Roboflow API.")
    }
}
