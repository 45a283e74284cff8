import Foundation
import InferenceSDK
import TestSupport
import Testing

/// Every model suite, one test at a time: one server holds the models, and the cold-start test unloads one that
/// the others use (in parallel they also only queue on its two cores).
@Suite(.serialized, .enabled(if: ModelServer.runs, "needs the model fixtures' server (INFERENCE_MODELS_SERVER_URL)"))
struct ModelSuites {}

/// The server serving the model fixtures (scripts/model-fixtures.sh, started by scripts/test.sh with
/// `INFERENCE_MODELS=1`): its URL, and the Python SDK of the server's venv for parity.
enum ModelServer {
    static let url: String? = {
        let value = ProcessInfo.processInfo.environment["INFERENCE_MODELS_SERVER_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    /// Whether the model suites run: with the server, or under `INFERENCE_REQUIRE_SERVER=1` (then they fail when it
    /// is missing, naming it).
    static var runs: Bool { url != nil || RealServer.required }

    static func requireURL(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(url, "missing requirement: the model fixtures' server (INFERENCE_MODELS_SERVER_URL; scripts/test.sh starts it)", sourceLocation: sourceLocation)
    }

    static func client(_ configure: (inout InferenceClientConfiguration) -> Void = { _ in }) throws -> InferenceHTTPClient {
        try InferenceHTTPClient(configuration: RealServer.configuration(url: try requireURL(), configure))
    }

    static func withClient<T: Sendable>(
        _ configure: (inout InferenceClientConfiguration) -> Void = { _ in }, _ body: (InferenceHTTPClient) async throws -> T
    ) async throws -> T {
        try await InferenceHTTPClient.withClient(RealServer.configuration(url: try requireURL(), configure), body)
    }

    static let scene1 = Fixture.path("scene-1.jpg")
    static let scene2 = Fixture.path("scene-2.jpg")

    /// What the Python SDK (`InferenceHTTPClient(api_url).infer(image, model_id=…)`) gets for the same request.
    static func pythonInfer(model: String, image: String) async throws -> JSONValue {
        let python = try #require(ProcessInfo.processInfo.environment["INFERENCE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 },
                                  "missing requirement: INFERENCE_PYTHON (the server venv's python; scripts/test.sh sets it)")
        let script = """
            import json, sys
            from inference_sdk import InferenceHTTPClient
            client = InferenceHTTPClient(api_url=sys.argv[1], api_key="parity-key")
            print(json.dumps(client.infer(sys.argv[3], model_id=sys.argv[2])))
            """
        let run = try await ChildProcess.run(python, ["-c", script, try requireURL(), model, image],
                                             environment: ProcessInfo.processInfo.environment, bound: .seconds(180))
        try #require(run.status == 0, "the Python SDK failed: \(String(decoding: run.stderr, as: UTF8.self).suffix(1500))")
        return try JSONValue(parsing: run.stdout)
    }

    /// `value` with what differs between two requests for the same picture (ids, timings) replaced, keys sorted.
    static func masked(_ value: JSONValue) -> String {
        func walk(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let fields):
                var out = JSONObject()
                for key in fields.keys.sorted() {
                    guard let item = fields[key] else { continue }
                    let volatile: Set<String> = ["inference_id", "detection_id", "parent_id", "root_parent_id", "time"]
                    out[key] = volatile.contains(key) ? .string("<masked>") : walk(item)
                }
                return .object(out)
            case .array(let items): return .array(items.map(walk))
            default: return value
            }
        }
        return String(decoding: walk(value).serialized(), as: UTF8.self)
    }
}

extension ModelServer {
    /// The Python SDK's `run_workflow(specification=…, images={"image": path})` outputs for the same request.
    static func pythonWorkflow(spec: String, image: String) async throws -> JSONValue {
        let python = try #require(ProcessInfo.processInfo.environment["INFERENCE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 },
                                  "missing requirement: INFERENCE_PYTHON (the server venv's python; scripts/test.sh sets it)")
        let script = """
            import json, sys
            from inference_sdk import InferenceHTTPClient
            client = InferenceHTTPClient(api_url=sys.argv[1], api_key="parity-key")
            spec = json.load(open(sys.argv[2]))
            print(json.dumps(client.run_workflow(specification=spec, images={"image": sys.argv[3]})))
            """
        let run = try await ChildProcess.run(python, ["-c", script, try requireURL(), spec, image],
                                             environment: ProcessInfo.processInfo.environment, bound: .seconds(180))
        try #require(run.status == 0, "the Python SDK failed: \(String(decoding: run.stderr, as: UTF8.self).suffix(1500))")
        return try JSONValue(parsing: run.stdout)
    }

    /// Images reduced to a marker: the Python SDK hands crops back as bare base64 strings, this SDK as the server's
    /// image objects (with their parent metadata); the pixels are the server's either way.
    static func withoutImageBytes(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields):
            if fields["type"] == "base64" { return .string("<image>") }
            var out = fields
            for key in fields.keys { if let item = fields[key] { out[key] = withoutImageBytes(item) } }
            return .object(out)
        case .array(let items): return .array(items.map(withoutImageBytes))
        case .string(let text) where text.utf8.count > 512 && text.hasPrefix("/9j/"): return .string("<image>")
        default: return value
        }
    }
}
