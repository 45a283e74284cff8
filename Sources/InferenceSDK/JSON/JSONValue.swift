import Foundation
import OrderedCollections

/// A JSON object whose keys keep the order in which they were parsed or inserted.
public typealias JSONObject = OrderedDictionary<String, JSONValue>

/// Any JSON value: workflow parameters going out, workflow outputs coming back.
///
/// Integers and floating-point numbers are kept apart so that `9` round-trips as `9`, not `9.0`.
/// Literals work directly: `let p: JSONValue = ["k": 9, "name": "x", "ratio": 0.5, "tags": ["a"], "none": nil]`.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int`.
    case int(Int)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, keys in order.
    case object(JSONObject)
}

extension JSONValue {
    /// The value for `key` when this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The element at `index` when this is an array and the index is in range, else `nil`.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    /// `true` for `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean, when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The integer, when this is an integer or a double with no fractional part that fits in `Int`.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e18: return Int(d)
        default: return nil
        }
    }

    /// The number as a `Double`, for integers and doubles.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The JSON type's name, for error messages: "null", "boolean", "integer", "number", "string", "array", "object".
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue {
    /// Parses JSON text (UTF-8). Throws an ``InferenceError`` of kind `invalidInput` whose
    /// ``InferenceError/underlying`` is a ``JSONParseError`` with the byte offset of the problem.
    public init(parsing bytes: some ContiguousBytes) throws(InferenceError) {
        do throws(JSONParseError) {
            self = try JSONParser.parse(bytes)
        } catch {
            throw InferenceError(.invalidInput, error.description, underlying: error)
        }
    }

    /// Parses a JSON string; errors as ``init(parsing:)-(ContiguousBytes)``.
    public init(parsing text: String) throws(InferenceError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// The value as compact JSON text (UTF-8 bytes), object keys in order.
    public func serialized(pretty: Bool = false) -> [UInt8] {
        var writer = JSONWriter(pretty: pretty)
        writer.write(self)
        return writer.bytes
    }

    /// The value as compact JSON text.
    public var jsonString: String {
        String(decoding: serialized(), as: UTF8.self)
    }

    /// The value as indented JSON text.
    public var prettyJSONString: String {
        String(decoding: serialized(pretty: true), as: UTF8.self)
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { jsonString }
}
