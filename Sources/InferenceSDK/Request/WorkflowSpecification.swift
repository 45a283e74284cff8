import Foundation

/// An inline workflow definition (the JSON with `version`, `inputs`, `steps`, `outputs`).
///
/// Create it from JSON bytes, a file, a ``JSONValue`` or any `Encodable` value. Each initialiser checks
/// that the definition is a JSON object and throws an ``InferenceError`` of kind `.invalidInput` otherwise.
public struct WorkflowSpecification: Sendable, Equatable {
    /// The definition.
    public let json: JSONObject
    /// Whether some output is per batch element (``perElementOutputs(in:)``), read once here rather than on every run.
    let hasPerElementOutputs: Bool

    /// A definition given as a JSON value; it must be an object.
    public init(_ value: JSONValue) throws(InferenceError) {
        guard case .object(let object) = value else {
            throw InferenceError(
                .invalidInput, "the workflow specification is JSON but not an object (it is \(value.typeName))",
                input: "specification"
            )
        }
        self.init(object: object)
    }

    /// A definition given as a JSON object.
    public init(object: JSONObject) {
        self.json = object
        self.hasPerElementOutputs = Self.perElementOutputs(in: object)
    }

    /// A definition given as JSON text.
    public init(json data: some ContiguousBytes) throws(InferenceError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(data)
        } catch {
            throw InferenceError(.invalidInput, "the workflow specification is not valid JSON: \(error)", input: "specification")
        }
        try self.init(value)
    }

    /// A definition read from a JSON file.
    public init(contentsOfFile path: String) throws(InferenceError) {
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(path, maxBytes: 64 << 20)
        } catch {
            throw InferenceError(.invalidInput, "specification file \(path) \(error.reason)", input: "specification")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InferenceError(
                .invalidInput, "specification file \(path) is not valid JSON: \(error)", input: "specification"
            )
        }
        guard case .object(let object) = value else {
            throw InferenceError(
                .invalidInput, "specification file \(path) is JSON but not an object (it is \(value.typeName))",
                input: "specification"
            )
        }
        self.init(object: object)
    }

    /// A definition from any `Encodable` value (for example your own Codable workflow model).
    public init(encoding value: some Encodable) throws(InferenceError) {
        let json: JSONValue
        do {
            json = try JSONValue(encoding: value)
        } catch {
            throw InferenceError(
                .invalidInput, "the workflow specification could not be encoded: \(error.underlying.map { "\($0)" } ?? error.message)",
                input: "specification", underlying: error.underlying)
        }
        try self.init(json)
    }

    /// The names of the definition's declared inputs, in order.
    public var inputNames: [String] {
        (json["inputs"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }
}
