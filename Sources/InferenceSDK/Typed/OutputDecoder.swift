/// How a typed output is read from its JSON value: the kind it stands for and the conversion.
///
/// Generated code reads each output with ``WorkflowOutput/value(_:_:)`` and one of these:
/// `.image`, `.detections`, `.classification`, `.integer`, `.float`, `.string`, `.boolean`, `.any`, `.array`, and `.list(_:)` for nested
/// outputs (crops, slices: one element per crop, `nil` where the server sent `null`).
public struct OutputDecoder<Value: Sendable>: Sendable {
    /// The kind, as written in error messages: `image`, `integer`, `list of image`, ….
    public let kind: String
    private let convert: @Sendable (JSONValue, String) throws(InferenceError) -> Value

    /// A decoder for `kind`; `convert` receives a non-null value and the output's name (with its path for list
    /// elements) and throws `.invalidResponse` when the value does not fit.
    public init(kind: String, convert: @escaping @Sendable (JSONValue, String) throws(InferenceError) -> Value) {
        self.kind = kind
        self.convert = convert
    }

    /// Converts a non-null value; `name` is used in error messages.
    public func decode(_ value: JSONValue, name: String) throws(InferenceError) -> Value {
        try convert(value, name)
    }

    /// The error for a value that does not fit `kind`: names the output, the kind and what arrived.
    public static func mismatch(_ name: String, expected kind: String, got value: JSONValue) -> InferenceError {
        InferenceError(.invalidResponse, "output '\(name)' should be \(kind) but the server sent \(OutputDecoding.describe(value))")
    }

    /// A decoder that takes values `extract` accepts and reports a mismatch for the others.
    static func scalar(_ kind: String, _ extract: @escaping @Sendable (JSONValue) -> Value?) -> OutputDecoder {
        OutputDecoder(kind: kind) { value, name throws(InferenceError) in
            guard let converted = extract(value) else { throw mismatch(name, expected: kind, got: value) }
            return converted
        }
    }
}

extension OutputDecoder where Value == ImageOutput {
    /// Kind `image`: a serialized image.
    public static var image: OutputDecoder {
        OutputDecoder(kind: "image") { value, name throws(InferenceError) in
            guard ImageOutput.isImageValue(value) else { throw mismatch(name, expected: "image", got: value) }
            return try ImageOutput(value, name: name)
        }
    }
}

extension OutputDecoder where Value == Detections {
    /// Detection kinds (`object_detection_prediction`, `instance_segmentation_prediction`,
    /// `keypoint_detection_prediction`, `qr_code_detection`, `bar_code_detection`): ``Detections``.
    public static var detections: OutputDecoder { .decodable("detections", as: Detections.self) }
}

extension OutputDecoder where Value == Classification {
    /// Kind `classification_prediction`: a ``Classification`` (single- or multi-label).
    public static var classification: OutputDecoder { .decodable("classification_prediction", as: Classification.self) }
}

extension OutputDecoder where Value == Int {
    /// Kind `integer`: an integer (a number with no fractional part).
    public static var integer: OutputDecoder { .scalar("integer") { $0.intValue } }
}

extension OutputDecoder where Value == Double {
    /// Kind `float`: any number.
    public static var float: OutputDecoder { .scalar("float") { $0.doubleValue } }
}

extension OutputDecoder where Value == String {
    /// Kind `string`: a string.
    public static var string: OutputDecoder { .scalar("string") { $0.stringValue } }
}

extension OutputDecoder where Value == Bool {
    /// Kind `boolean`: `true` or `false`.
    public static var boolean: OutputDecoder { .scalar("boolean") { $0.boolValue } }
}

extension OutputDecoder where Value == JSONValue {
    /// Kind `*` and kinds without a Swift type: the value as sent.
    public static var any: OutputDecoder { OutputDecoder(kind: "any value") { value, _ in value } }
}

extension OutputDecoder where Value == [JSONValue] {
    /// Kind `list_of_values`: a JSON array, elements as sent.
    public static var array: OutputDecoder { .scalar("list_of_values") { $0.arrayValue } }
}

extension OutputDecoder {
    /// Any `Decodable` type; `kind` names it in error messages.
    public static func decodable(_ kind: String, as type: Value.Type = Value.self) -> OutputDecoder where Value: Decodable {
        OutputDecoder(kind: kind) { value, name throws(InferenceError) in
            guard case .object = value else { throw mismatch(name, expected: kind, got: value) }
            do throws(InferenceError) {
                return try value.decode(as: Value.self)
            } catch {
                throw InferenceError(
                    .invalidResponse,
                    "output '\(name)' should be \(kind) but the server sent \(OutputDecoding.describe(value)) "
                        + "(\(error.underlying.map { "\($0)" } ?? error.message))",
                    underlying: error.underlying)
            }
        }
    }

    /// A nested output (crops, slices; one level per dimensionality increase): a JSON array whose elements decode
    /// with `element`; `null` elements are `nil`. Elements are named `name[i]` in errors.
    public static func list<Element: Sendable>(_ element: OutputDecoder<Element>) -> OutputDecoder where Value == [Element?] {
        let kind = "list of \(element.kind)"
        return OutputDecoder(kind: kind) { value, name throws(InferenceError) in
            guard case .array(let items) = value else { throw mismatch(name, expected: kind, got: value) }
            var out: [Element?] = []
            out.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                out.append(item.isNull ? nil : try element.decode(item, name: "\(name)[\(index)]"))
            }
            return out
        }
    }
}

/// Text for error messages about output values.
enum OutputDecoding {
    /// `a string: "abc"`, `an object with keys type, value`, …: short, never a whole image.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .object(let object):
            if ImageOutput.isImageValue(value) { return "an image" }
            let keys = object.keys.prefix(6).joined(separator: ", ")
            return object.isEmpty ? "an empty object" : "an object with keys \(keys)\(object.count > 6 ? ", …" : "")"
        case .array(let items):
            return "an array of \(items.count) element\(items.count == 1 ? "" : "s")"
        default:
            let text = value.jsonString
            let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
            return "\(value.typeName == "integer" ? "an" : "a") \(value.typeName): \(shown)"
        }
    }
}
