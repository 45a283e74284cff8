import Foundation
@testable import InferenceSDK
import TestSupport
import Testing

/// Request shapes and error bodies checked on the wire with the in-process server: the Python SDK's exact
/// initialise/consume bodies (recorded from `inference_sdk` itself), and the manager-unreachable fault.
@Suite struct PipelineRequestTests {
    static let success = TestHTTPServer.json(
        200, #"{"status":"success","context":{"request_id":"r-1","pipeline_id":"p-1"},"outputs":[],"frames_metadata":[],"pipelines":["p-1"]}"#
    )

    static func configuration() -> InferencePipelineConfiguration {
        InferencePipelineConfiguration(
            workflow: .inline(WorkflowSpecification(object: ["version": "1.0", "inputs": [["type": "WorkflowImage", "name": "image"]]])),
            video: .list([.file("/videos/a.mp4"), .camera(0), .url("rtsp://camera.local:8554/live")]),
            maxFPS: 30, bufferFilling: .wait, bufferConsumption: .lazy,
            workflowParameters: ["a": "x", "b": 1], resultsBufferSize: 2000
        )
    }

    @Test(.enabled(if: Requirement.runs(VideoFixtures.python != nil), "needs INFERENCE_PYTHON (inference_sdk)"))
    func initialiseAndConsumeBodiesAreThePythonSDKs() async throws {
        let server = try await TestHTTPServer.start { _ in Self.success }
        let script = """
            import sys, warnings
            warnings.simplefilter("ignore")
            from inference_sdk import InferenceHTTPClient
            client = InferenceHTTPClient(api_url=sys.argv[1], api_key="KEY-PARITY-1")
            client.start_inference_pipeline_with_workflow(
                video_reference=["/videos/a.mp4", 0, "rtsp://camera.local:8554/live"],
                workflow_specification={"version": "1.0", "inputs": [{"type": "WorkflowImage", "name": "image"}]},
                max_fps=30, source_buffer_filling_strategy="WAIT", source_buffer_consumption_strategy="LAZY",
                workflows_parameters={"a": "x", "b": 1}, results_buffer_size=2000)
            client.consume_inference_pipeline_result("p-1", excluded_fields=["big_image"])
            """
        let python = try #require(VideoFixtures.python)
        let run = try await ChildProcess.run(python, ["-c", script, server.baseURL], environment: ProcessInfo.processInfo.environment, bound: .seconds(120))
        #expect(run.status == 0, "\(String(decoding: run.stderr, as: UTF8.self))")
        let fromPython = server.requests
        try #require(fromPython.count == 2)

        var configuration = InferenceClientConfiguration(apiURL: server.baseURL, apiKey: "KEY-PARITY-1")
        configuration.apiKeyPlacement = .body  // the Python SDK's default channel
        let client = try InferenceHTTPClient(configuration: configuration)
        #expect(try await client.startPipeline(Self.configuration()) == "p-1")
        #expect(try await client.consumePipelineResult("p-1", excludedFields: ["big_image"]).isEmpty)
        try await client.shutdown()
        let fromSwift = Array(server.requests.dropFirst(2))
        await server.shutdown()

        for (python, swift) in zip(fromPython, fromSwift) {
            #expect(swift.method == python.method && swift.uri == python.uri)
            // Same keys, same order, same values (JSONObject equality is order-sensitive).
            #expect(try JSONValue(parsing: swift.body) == JSONValue(parsing: python.body), "\(swift.uri)")
            #expect(swift.header("content-type") == "application/json")
        }
        #expect(fromSwift.first?.method == "POST" && fromSwift.first?.uri == "/inference_pipelines/initialise")
        #expect(fromSwift.last?.method == "GET" && fromSwift.last?.uri == "/inference_pipelines/p-1/consume")
    }

    @Test func byDefaultTheKeyTravelsInTheHeaderAndOptionalFieldsOnlyWhenSet() async throws {
        let server = try await TestHTTPServer.start { _ in Self.success }
        let client = try InferenceHTTPClient(configuration: InferenceClientConfiguration(apiURL: server.baseURL, apiKey: "KEY-HEADER-2"))
        var configuration = Self.configuration()
        _ = try await client.startPipeline(configuration)
        configuration.workflow = .saved(workspace: "acme", id: "cars")
        configuration.workflowVersionID = "7"
        configuration.decodingBufferSize = 2
        configuration.consumptionTimeout = .seconds(30)
        _ = try await client.startPipeline(configuration)
        _ = try await client.consumePipelineResult("p-1")
        _ = try await client.listPipelines()
        try await client.shutdown()
        let requests = server.requests
        await server.shutdown()
        try #require(requests.count == 4)

        let plain = try JSONValue(parsing: requests[0].body)
        #expect(plain["api_key"] == nil)
        #expect(requests[0].header("authorization") == "Bearer KEY-HEADER-2")
        #expect(plain.objectValue?.keys.elementsEqual(["video_configuration", "processing_configuration", "sink_configuration"]) == true)

        let saved = try JSONValue(parsing: requests[1].body)
        #expect(saved["processing_configuration"]?["workflow_specification"] == .null)
        #expect(saved["processing_configuration"]?["workspace_name"] == "acme")
        #expect(saved["processing_configuration"]?["workflow_id"] == "cars")
        #expect(saved["processing_configuration"]?["workflow_version_id"] == "7")
        #expect(saved["decoding_buffer_size"] == 2)
        #expect(saved["consumption_timeout"] == 30.0)

        // consume and list carry no body when there is nothing to say.
        #expect(requests[2].body.isEmpty && requests[2].method == "GET")
        #expect(requests[3].body.isEmpty && requests[3].uri == "/inference_pipelines/list")
        for request in requests { #expect(!String(decoding: request.body, as: UTF8.self).contains("KEY-HEADER-2")) }
    }

    @Test func anUnreachableManagerIsTypedAndNotRetried() async throws {
        // The body the real server sends when its manager process is not listening (recorded from 1.8.3).
        let body = #"{"message":"Could not establish communication with InferencePipeline Manager","error_type":"ConnectivityError","inner_error_type":"ConnectionRefusedError"}"#
        let server = try await TestHTTPServer.start { _ in TestHTTPServer.json(500, body) }
        let client = try InferenceHTTPClient(configuration: InferenceClientConfiguration(apiURL: server.baseURL, apiKey: nil))
        let error = await #expect(throws: InferenceError.self) { _ = try await client.listPipelines() }
        try await client.shutdown()
        #expect(server.requests.count == 1)
        await server.shutdown()
        #expect(error?.pipelineErrorKind == .managerUnreachable)
        #expect(error?.kind == .serverFailure && error?.status == 500)
        #expect(error?.serverError?.innerErrorType == "ConnectionRefusedError")
        #expect(error?.description.contains("Could not establish communication with InferencePipeline Manager") == true)
    }

    @Test func consumeAnswersBecomeFramesPerSource() throws {
        let body: JSONValue = [
            "status": "success", "context": ["request_id": "r", "pipeline_id": "p"],
            "outputs": [["width": 64], nil, ["width": 32]],
            "frames_metadata": [
                ["frame_timestamp": "2026-01-01T00:00:00.5", "frame_id": 7, "source_id": 0], nil,
                ["frame_timestamp": "2026-01-01T00:00:00.6", "frame_id": 3, "source_id": 2],
            ],
        ]
        let frames = try PipelineFrame.frames(fromConsumeResponse: body)
        #expect(frames.map(\.frameID) == [7, 3])
        #expect(frames.map(\.sourceID) == [0, 2])
        #expect(frames.first?.output?.int("width") == 64)
        #expect(frames.first?.json()["frame_timestamp"] == "2026-01-01T00:00:00.5")
        #expect(throws: InferenceError.self) { _ = try PipelineFrame.frames(fromConsumeResponse: ["status": "success"]) }
    }
}
