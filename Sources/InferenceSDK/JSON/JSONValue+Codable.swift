import Foundation

extension JSONValue: Codable {
    /// Decodes any JSON value from a `Decoder`.
    public init(from decoder: any Decoder) throws {
        if var unkeyed = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !unkeyed.isAtEnd { elements.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(elements)
            return
        }
        if let keyed = try? decoder.container(keyedBy: AnyCodingKey.self) {
            var object = JSONObject()
            for key in keyed.allKeys { object[key.stringValue] = try keyed.decode(JSONValue.self, forKey: key) }
            self = .object(object)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let b = try? single.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? single.decode(Int.self) {
            self = .int(i)
        } else if let d = try? single.decode(Double.self) {
            self = .double(d)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    /// Encodes the value into an `Encoder`.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for element in a { try c.encode(element) }
        case .object(let o):
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            for (key, value) in o { try c.encode(value, forKey: AnyCodingKey(key)) }
        }
    }

    /// Decodes this value into a `Decodable` type (through its JSON text and `JSONDecoder`). Throws `.invalidResponse`
    /// with the `DecodingError` as ``InferenceError/underlying``.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws(InferenceError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(serialized()))
        } catch {
            throw InferenceError(.invalidResponse, "the value does not decode as \(T.self): \(error)", underlying: error)
        }
    }

    /// Converts an `Encodable` value into a `JSONValue` (through `JSONEncoder`). Throws `.invalidInput` with the
    /// `EncodingError` as ``InferenceError/underlying``.
    public init(encoding value: some Encodable) throws(InferenceError) {
        do {
            self = try JSONParser.parse(try JSONEncoder().encode(value))
        } catch {
            throw InferenceError(.invalidInput, "\(type(of: value)) does not encode as JSON: \(error)", underlying: error)
        }
    }
}

/// A coding key for arbitrary string keys.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { stringValue = String(intValue) }
}
