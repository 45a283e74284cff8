import Foundation

/// A JSON value as the generator reads it (Foundation only, so that a build plugin's tool needs no networking stack).
/// Object key order is not kept: everything the generator emits is ordered by the definition's arrays or by name.
public indirect enum CodegenJSON: Sendable, Equatable, Decodable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// Any number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([CodegenJSON])
    /// An object.
    case object([String: CodegenJSON])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([CodegenJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: CodegenJSON].self))
        }
    }

    /// Parses JSON text; throws ``CodegenError`` naming `source` when it is not JSON.
    public static func parse(_ bytes: [UInt8], source: String) throws(CodegenError) -> CodegenJSON {
        do {
            return try JSONDecoder().decode(CodegenJSON.self, from: Data(bytes))
        } catch {
            throw CodegenError("\(source) is not valid JSON: \(error)")
        }
    }

    /// The value for `key` when this is an object.
    public subscript(key: String) -> CodegenJSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [CodegenJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The object, when this is an object.
    public var objectValue: [String: CodegenJSON]? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The number as an integer, when this is a whole number.
    public var intValue: Int? {
        if case .number(let number) = self, number.rounded() == number, abs(number) < 9.0e18 { return Int(number) }
        return nil
    }
}

/// Why code could not be generated: a message for the user.
public struct CodegenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
