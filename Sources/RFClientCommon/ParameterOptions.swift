import ArgumentParser
import Foundation
import InferenceSDK

/// `--param NAME=VALUE` (repeat) and `--params FILE`: the workflow parameters of every command that runs a
/// workflow (`run`, `process`, `bench`, `pipeline start`/`watch`, `process-video`), declared once.
package struct ParameterOptions: ParsableArguments {
    /// Creates the options with their defaults (ArgumentParser fills them in).
    package init() {}

    @Option(name: .customLong("param"), help: ArgumentHelp(
        "Workflow parameter NAME=VALUE (repeat). VALUE is parsed as JSON when valid (-5, 0.3, true, [1,2], \"quoted\"), else taken as a string.",
        valueName: "name=value"))
    package var params: [String] = []

    @Option(name: .customLong("params"), help: ArgumentHelp("JSON object file of parameters; --param overrides.", valueName: "file"))
    package var paramsFile: String?

    /// Parameters: `--params` file first, `--param` on top.
    package func parameters() throws -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        if let paramsFile {
            guard let data = FileManager.default.contents(atPath: paramsFile) else {
                throw InferenceError(.invalidInput, "--params file \(paramsFile) cannot be read", input: "--params")
            }
            let json: JSONValue
            do {
                json = try JSONValue(parsing: data)
            } catch {
                throw InferenceError(.invalidInput, "--params file \(paramsFile) is not valid JSON: \(error.message)", input: "--params")
            }
            guard case .object(let object) = json else {
                throw InferenceError(.invalidInput, "--params file \(paramsFile) must hold a JSON object, not \(json.typeName)", input: "--params")
            }
            for (key, value) in object { result[key] = value }
        }
        result.merge(try InputOptions.keyValues(params, option: "--param", example: "confidence=0.4")) { $1 }
        return result
    }
}
