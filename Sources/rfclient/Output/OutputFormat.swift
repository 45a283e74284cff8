import ArgumentParser
import InferenceSDK
import RFClientCommon

/// How JSON goes to stdout.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// One compact JSON document.
    case json
    /// One compact JSON value per line (each output of a batch on its own line).
    case ndjson
    /// Indented JSON.
    case pretty

    /// Prints `values` (the elements of a list) per the format.
    func print(list values: [JSONValue]) {
        switch self {
        case .json: Terminal.writeLine(JSONValue.array(values).serialized())
        case .pretty: Terminal.writeLine(JSONValue.array(values).serialized(pretty: true))
        case .ndjson: for value in values { Terminal.writeLine(value.serialized()) }
        }
    }

    /// Prints one document.
    func print(_ value: JSONValue) {
        switch self {
        case .json, .ndjson: Terminal.writeLine(value.serialized())
        case .pretty: Terminal.writeLine(value.serialized(pretty: true))
        }
    }
}
