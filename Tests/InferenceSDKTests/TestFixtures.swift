import ImageCodecs
import Foundation
@testable import InferenceSDK
import InferenceSDKTesting

extension ScriptedTransport {
    /// Always answers 200 with `{"outputs":[{}...]}`, one output per image in the request's first batch.
    static func echoing() -> ScriptedTransport {
        ScriptedTransport { request, _ in
            let json = (try? JSONValue(parsing: request.body ?? [])) ?? .null
            let count = json["inputs"]?.objectValue?.values.compactMap { $0.arrayValue?.count }.max() ?? 1
            let outputs = (0..<count).map { i -> JSONValue in ["index": .int(i), "first": json["inputs"]?["image"]?[i]?["value"] ?? .null] }
            let body: JSONValue = ["outputs": .array(outputs), "profiler_trace": []]
            return .success(TransportResponse(status: 200, headers: [("x-request-id", "r\(count)")], body: body.serialized()))
        }
    }
}

extension InferenceHTTPClient {
    static func scripted(_ transport: ScriptedTransport, _ configure: (inout InferenceClientConfiguration) -> Void = { _ in }) throws -> InferenceHTTPClient {
        var configuration = InferenceClientConfiguration(apiURL: "http://127.0.0.1:9", apiKey: "rf_TEST_KEY_0123456789")
        configuration.retry = RetryPolicy(initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5))
        configure(&configuration)
        return try InferenceHTTPClient(configuration: configuration, transport: transport)
    }
}

enum Fixtures {
    /// A tiny valid PNG (2×1 RGB), made by the SDK's own encoder.
    static let png: [UInt8] = {
        guard let pixels = try? PixelBuffer(width: 2, height: 1, format: .rgb8, bytes: [255, 0, 0, 0, 255, 0]),
              let png = try? PNGCodec.encode(pixels) else { return [] }
        return png
    }()

    static func temporaryFile(_ bytes: [UInt8], name: String = "img.png") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sdk-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// One image input echoed as the one output: one output per image, as the server answers it.
    static let spec: WorkflowSpecification = {
        WorkflowSpecification(object: [
            "version": "1.0", "inputs": [["type": "WorkflowImage", "name": "image"]], "steps": [],
            "outputs": [["type": "JsonField", "name": "image", "selector": "$inputs.image"]],
        ])
    }()
}
