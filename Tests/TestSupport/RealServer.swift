import Foundation
import InferenceSDK

/// The real `inference` server started by `scripts/inference-server.sh` (`scripts/test.sh` exports its URL).
public enum RealServer {
    /// `INFERENCE_SERVER_URL`, when a server was started for this run.
    public static let url: String? = {
        let value = ProcessInfo.processInfo.environment["INFERENCE_SERVER_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    /// Whether this run must have the real server (set by `scripts/test.sh` and CI).
    public static let required = ProcessInfo.processInfo.environment["INFERENCE_REQUIRE_SERVER"] == "1"

    /// Whether suites that need the server run: when a URL is set, and also when ``required`` is set without one,
    /// so that they fail (they cannot reach a server) instead of being skipped.
    public static var available: Bool { url != nil || required }

    /// A client configuration for `url` (default: this server) with a 300 s request timeout, then `configure`.
    /// (Every suite starts at once, and with them servers of their own: on a slow 2-core machine the shared server
    /// answered nothing for over 60 s at the start of a CI run. A hang still fails, later.)
    public static func configuration(
        url: String? = RealServer.url, _ configure: (inout InferenceClientConfiguration) -> Void = { _ in }
    ) -> InferenceClientConfiguration {
        var configuration = InferenceClientConfiguration(apiURL: url ?? "http://127.0.0.1:9", apiKey: nil)
        configuration.timeout.request = .seconds(300)
        configure(&configuration)
        return configuration
    }

    /// A client for this server (see ``configuration(url:_:)``); the caller shuts it down.
    public static func client(_ configure: (inout InferenceClientConfiguration) -> Void = { _ in }) throws -> InferenceHTTPClient {
        try InferenceHTTPClient(configuration: configuration(configure))
    }

    /// Runs `body` with a client and shuts it down.
    public static func withClient<T: Sendable>(
        _ configure: (inout InferenceClientConfiguration) -> Void = { _ in },
        _ body: (InferenceHTTPClient) async throws -> T
    ) async throws -> T {
        try await InferenceHTTPClient.withClient(configuration(configure), body)
    }
}

/// Test fixtures: the shared model-free workflows and their images (copied under Tests/Fixtures).
public enum Fixture {
    public static let directory: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/workflows").path
    }()

    public static func path(_ name: String) -> String { directory + "/" + name }

    public static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name)))) }

    public static func spec(_ name: String) throws -> WorkflowSpecification {
        try WorkflowSpecification(contentsOfFile: path(name))
    }

    public static var swatch: String { path("swatch.png") }
    public static var scene: String { path("template_scene.png") }
    public static var template: String { path("template.png") }

    /// A spec whose only output echoes the input image.
    public static let echo = WorkflowSpecification(object: [
        "version": "1.0",
        "inputs": [["type": "WorkflowImage", "name": "image"]],
        "steps": [],
        "outputs": [["type": "JsonField", "name": "echo", "selector": "$inputs.image"]],
    ])

    /// One parameter `x` through a custom Python block (step `echo`, output `out`) whose `run` is `code`: 1.8.3 runs
    /// such blocks locally by default, which the `debug` tests need.
    public static func pythonEcho(_ code: String) -> WorkflowSpecification {
        WorkflowSpecification(object: [
            "version": "1.0",
            "inputs": [["type": "WorkflowParameter", "name": "x"]],
            "dynamic_blocks_definitions": [[
                "type": "DynamicBlockDefinition",
                "manifest": [
                    "type": "ManifestDescription", "block_type": "DebugEcho",
                    "inputs": ["value": ["type": "DynamicInputDefinition", "selector_types": ["input_parameter"]]],
                    "outputs": ["out": ["type": "DynamicOutputDefinition", "kind": []]],
                ],
                "code": ["type": "PythonCode", "run_function_code": .string(code)],
            ]],
            "steps": [["type": "DebugEcho", "name": "echo", "value": "$inputs.x"]],
            "outputs": [["type": "JsonField", "name": "out", "selector": "$steps.echo.out"]],
        ])
    }

    /// An RGB gradient for pixel-input tests.
    public static func gradient(width: Int = 64, height: Int = 48, format: PixelFormat = .rgb8) throws -> PixelBuffer {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(width * height * format.channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<format.channels { bytes.append(UInt8((x * 4 + y * 2 + c * 60) & 0xFF)) }
            }
        }
        return try PixelBuffer(width: width, height: height, format: format, bytes: bytes)
    }
}
