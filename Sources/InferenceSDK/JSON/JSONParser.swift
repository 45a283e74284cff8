import CByteKernels
import Foundation

/// A strict RFC 8259 parser over UTF-8 bytes (plus `NaN`/`Infinity`, which Python servers may emit).
/// Keeps object key order and distinguishes integers from doubles. Depth-limited, never traps on bad input.
enum JSONParser {
    static let maximumDepth = 512

    static func parse(_ bytes: some ContiguousBytes) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { raw in
            var parser = Cursor(raw)
            do throws(JSONParseError) {
                parser.skipWhitespace()
                let value = try parser.parseValue(depth: 0)
                parser.skipWhitespace()
                guard parser.atEnd else { throw JSONParseError("unexpected data after the value", offset: parser.index) }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }

        @inline(__always) func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth < JSONParser.maximumDepth else { throw JSONParseError("nesting deeper than \(JSONParser.maximumDepth)", offset: index) }
            guard let byte = peek() else { throw JSONParseError("unexpected end of data", offset: index) }
            switch byte {
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); return .null
            case UInt8(ascii: "N"): try expectLiteral("NaN"); return .double(.nan)
            case UInt8(ascii: "I"): try expectLiteral("Infinity"); return .double(.infinity)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw JSONParseError("unexpected character '\(Self.printable(byte))'", offset: index)
            }
        }

        static func printable(_ byte: UInt8) -> String {
            (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : String(format: "\\x%02X", byte)
        }

        mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw JSONParseError("unexpected end of data", offset: index) }
            let start = literal.utf8Start
            for i in 0..<count where bytes[index + i] != start[i] {
                throw JSONParseError("invalid literal", offset: index)
            }
            index += count
        }

        mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
            index += 1
            var object = JSONObject()
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { index += 1; return .object(object) }
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw JSONParseError("expected a string key", offset: index) }
                let key = try parseString()
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { throw JSONParseError("expected ':'", offset: index) }
                index += 1
                skipWhitespace()
                object[key] = try parseValue(depth: depth + 1)
                skipWhitespace()
                switch peek() {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): index += 1; return .object(object)
                case nil: throw JSONParseError("unexpected end of data in object", offset: index)
                default: throw JSONParseError("expected ',' or '}'", offset: index)
                }
            }
        }

        mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
            index += 1
            var array: [JSONValue] = []
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { index += 1; return .array(array) }
            while true {
                skipWhitespace()
                array.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                switch peek() {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"): index += 1; return .array(array)
                case nil: throw JSONParseError("unexpected end of data in array", offset: index)
                default: throw JSONParseError("expected ',' or ']'", offset: index)
                }
            }
        }

        mutating func parseString() throws(JSONParseError) -> String {
            let start = index
            index += 1
            let contentStart = index
            // Fast path: no escapes. The plain run is skipped 32 bytes at a time (C, AVX2 where the CPU has it):
            // a base64 image in an answer is one megabyte-long string.
            if let base = bytes.baseAddress {
                index = rf_json_string_scan(base.assumingMemoryBound(to: UInt8.self), index, bytes.count)
            }
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[contentStart..<index])
                    index += 1
                    return try Self.makeString(slice, offset: contentStart)
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { throw JSONParseError("control character in string", offset: index) }
                index += 1
            }
            guard index < bytes.count else { throw JSONParseError("unterminated string", offset: start) }
            // Slow path with escapes.
            var buffer = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[contentStart..<index]))
            while index < bytes.count {
                let b = bytes[index]
                switch b {
                case UInt8(ascii: "\""):
                    index += 1
                    let result: Result<String, JSONParseError> = buffer.withUnsafeBytes { raw in
                        do throws(JSONParseError) {
                            return .success(try Self.makeString(raw, offset: contentStart))
                        } catch {
                            return .failure(error)
                        }
                    }
                    return try result.get()
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let e = peek() else { throw JSONParseError("unterminated escape", offset: index) }
                    index += 1
                    switch e {
                    case UInt8(ascii: "\""): buffer.append(0x22)
                    case UInt8(ascii: "\\"): buffer.append(0x5C)
                    case UInt8(ascii: "/"): buffer.append(0x2F)
                    case UInt8(ascii: "b"): buffer.append(0x08)
                    case UInt8(ascii: "f"): buffer.append(0x0C)
                    case UInt8(ascii: "n"): buffer.append(0x0A)
                    case UInt8(ascii: "r"): buffer.append(0x0D)
                    case UInt8(ascii: "t"): buffer.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try parseHex4()
                        if (0xD800..<0xDC00).contains(scalar) {
                            // A high surrogate must be followed by \uDC00-\uDFFF.
                            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                                index += 2
                                let low = try parseHex4()
                                guard (0xDC00..<0xE000).contains(low) else { throw JSONParseError("invalid surrogate pair", offset: index) }
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                scalar = 0xFFFD
                            }
                        } else if (0xDC00..<0xE000).contains(scalar) {
                            scalar = 0xFFFD
                        }
                        let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                        buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default:
                        throw JSONParseError("invalid escape '\\\(Self.printable(e))'", offset: index - 1)
                    }
                default:
                    if b < 0x20 { throw JSONParseError("control character in string", offset: index) }
                    buffer.append(b)
                    index += 1
                }
            }
            throw JSONParseError("unterminated string", offset: start)
        }

        mutating func parseHex4() throws(JSONParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw JSONParseError("truncated \\u escape", offset: index) }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[index]
                let digit: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw JSONParseError("invalid hex digit in \\u escape", offset: index)
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        static func makeString(_ raw: UnsafeRawBufferPointer, offset: Int) throws(JSONParseError) -> String {
            let units = raw.bindMemory(to: UInt8.self)
            guard let s = String(validating: units, as: UTF8.self) else {
                throw JSONParseError("string is not valid UTF-8", offset: offset)
            }
            return s
        }

        mutating func parseNumber() throws(JSONParseError) -> JSONValue {
            let start = index
            var isInteger = true
            if peek() == UInt8(ascii: "-") {
                index += 1
                if peek() == UInt8(ascii: "I") { try expectLiteral("Infinity"); return .double(-.infinity) }
            }
            guard let first = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
                throw JSONParseError("invalid number", offset: start)
            }
            if first == UInt8(ascii: "0") {
                index += 1
            } else {
                skipDigits()
            }
            if peek() == UInt8(ascii: ".") {
                isInteger = false
                index += 1
                guard skipDigits() > 0 else { throw JSONParseError("invalid number: digits expected after '.'", offset: index) }
            }
            if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
                isInteger = false
                index += 1
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
                guard skipDigits() > 0 else { throw JSONParseError("invalid number: digits expected in exponent", offset: index) }
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if isInteger, let i = Int(text) { return .int(i) }
            guard let d = Double(text) else { throw JSONParseError("invalid number", offset: start) }
            return .double(d)
        }

        @discardableResult
        mutating func skipDigits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
    }
}
