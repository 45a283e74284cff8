import Testing
@testable import InferenceSDK

@Suite struct ServerErrorTests {
    @Test func parsesWorkflowErrorBodyTreatingNoneAsAbsent() throws {
        let body = #"{"message":"Failed to assemble `image`.\nDetails: bad","error_type":"RuntimeInputError","context":"workflow_execution | runtime_input_validation","inner_error_type":null,"inner_error_message":"None"}"#
        let error = try #require(ServerError.parse(Array(body.utf8)))
        #expect(error.errorType == "RuntimeInputError")
        #expect(error.innerErrorType == nil)
        #expect(error.innerErrorMessage == nil)
        #expect(error.context == "workflow_execution | runtime_input_validation")
        let response = TransportResponse(status: 400, headers: [("x-request-id", "abc")], body: Array(body.utf8))
        let inference = WorkflowResponseDecoder.error(for: response, redact: Redactor(secret: nil))
        #expect(inference.kind == .clientError)
        #expect(inference.requestID == "abc")
        #expect(inference.description == "HTTP 400 RuntimeInputError: Failed to assemble `image`. Details: bad [workflow_execution | runtime_input_validation] (request abc)")
        #expect(!inference.description.contains("\n"))
    }

    @Test func parsesBlocksErrors() throws {
        let body = #"{"message":"Step failed","error_type":"StepExecutionError","context":"step_execution","inner_error_type":"ValueError","inner_error_message":"bad kernel","blocks_errors":[{"block_id":"blur","block_type":"roboflow_core/image_blur@v1","block_details":"kernel must be odd","property_name":"None","property_details":null}]}"#
        let error = try #require(ServerError.parse(Array(body.utf8)))
        #expect(error.blocksErrors.count == 1)
        #expect(error.blocksErrors[0].blockID == "blur")
        #expect(error.blocksErrors[0].propertyName == nil)
        #expect(error.summary == "Step failed; (ValueError: bad kernel); block blur (roboflow_core/image_blur@v1): kernel must be odd")
    }

    @Test func dropsEchoedRequestFrom422Detail() throws {
        let base64 = String(repeating: "QUJD", count: 1000)
        let body = #"{"detail":[{"type":"missing","loc":["body","inputs"],"msg":"Field required","input":{"image":"\#(base64)"}}]}"#
        let error = try #require(ServerError.parse(Array(body.utf8)))
        #expect(error.validationIssues == [.init(type: "missing", location: ["body", "inputs"], message: "Field required")])
        #expect(!(error.body?.jsonString.contains("QUJD") ?? true))
        let inference = WorkflowResponseDecoder.error(for: TransportResponse(status: 422, body: Array(body.utf8)), redact: Redactor(secret: nil))
        #expect(inference.description == "HTTP 422: body.inputs: Field required")
    }

    @Test func nonJSONBodiesGiveAReadableLine() {
        let html = TransportResponse(status: 502, headers: [("Content-Type", "text/html")], body: Array("<html><body>Bad gateway</body></html>".utf8))
        #expect(WorkflowResponseDecoder.error(for: html, redact: Redactor(secret: nil)).description == "HTTP 502: Bad Gateway (an HTML page of 37 bytes)")
        let empty = TransportResponse(status: 503)
        #expect(WorkflowResponseDecoder.error(for: empty, redact: Redactor(secret: nil)).description == "HTTP 503: Service Unavailable")
    }

    @Test func redactsTheAPIKeyFromServerMessages() {
        let key = "rf_SECRET_KEY_123"
        let body = #"{"message":"Unauthorized api_key \#(key) for https://x/y?api_key=\#(key)&z=1"}"#
        let error = WorkflowResponseDecoder.error(for: TransportResponse(status: 401, body: Array(body.utf8)), redact: Redactor(secret: key))
        #expect(!error.description.contains(key))
        #expect(!(error.serverError?.message?.contains(key) ?? true))
        #expect(Redactor.maskQueryKey("http://h/p?a=1&api_key=abc&b=2") == "http://h/p?a=1&api_key=***&b=2")
    }
}
