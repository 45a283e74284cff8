import Foundation
import InferenceSDK
import TestSupport

/// The second real server, started by `scripts/test.sh` with `ENABLE_STREAM_API=true` (video pipelines).
enum StreamServer {
    /// `INFERENCE_STREAM_SERVER_URL`, when such a server runs for this test run.
    static let url: String? = {
        let value = ProcessInfo.processInfo.environment["INFERENCE_STREAM_SERVER_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    /// Whether suites that need it run: with a URL, or with `INFERENCE_REQUIRE_SERVER=1` (then they fail without one).
    static var available: Bool { url != nil || RealServer.required }

    static func client(_ configure: (inout InferenceClientConfiguration) -> Void = { _ in }) throws -> InferenceHTTPClient {
        try InferenceHTTPClient(configuration: RealServer.configuration(url: url, configure))
    }

    /// Runs `body` with a client and shuts it down.
    static func withClient<T: Sendable>(
        _ configure: (inout InferenceClientConfiguration) -> Void = { _ in },
        _ body: (InferenceHTTPClient) async throws -> T
    ) async throws -> T {
        try await InferenceHTTPClient.withClient(RealServer.configuration(url: url, configure), body)
    }
}

/// Small workflows that run offline on every frame.
enum PipelineSpecs {
    /// Outputs the frame's width and echoes the `tag` parameter.
    static let width = WorkflowSpecification(object: [
        "version": "1.0",
        "inputs": [
            ["type": "WorkflowImage", "name": "image"],
            ["type": "WorkflowParameter", "name": "tag", "default_value": "none"],
        ],
        "steps": [[
            "type": "roboflow_core/property_definition@v1", "name": "width", "data": "$inputs.image",
            "operations": [["type": "ExtractImageProperty", "property_name": "width"]],
        ]],
        "outputs": [
            ["type": "JsonField", "name": "width", "selector": "$steps.width.output"],
            ["type": "JsonField", "name": "tag", "selector": "$inputs.tag"],
        ],
    ])

    /// Outputs the frame's dominant colour: the generated videos encode the frame index in it.
    static let colour = WorkflowSpecification(object: [
        "version": "1.0",
        "inputs": [["type": "WorkflowImage", "name": "image"]],
        "steps": [[
            "type": "roboflow_core/dominant_color@v1", "name": "dominant", "image": "$inputs.image",
            "color_clusters": 1, "max_iterations": 5, "target_size": 10,
        ]],
        "outputs": [["type": "JsonField", "name": "color", "selector": "$steps.dominant.rgb_color"]],
    ])
}
