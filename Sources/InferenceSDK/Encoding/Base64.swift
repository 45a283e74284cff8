/// Standard base64 (RFC 4648 §4) used on the wire: encoding straight into a byte buffer, strict validation
/// and decoding. Tolerates line breaks/whitespace and missing padding when decoding user input.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0–63 for alphabet bytes (and URL-safe `-`/`_`), 0xFE for whitespace, 0xFF otherwise.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        for ws in [0x20, 0x0A, 0x0D, 0x09] { table[ws] = 0xFE }
        return table
    }()

    /// The length of the base64 text for `count` bytes.
    public static func encodedLength(_ count: Int) -> Int { ((count + 2) / 3) * 4 }

    /// Appends the base64 text of `data` to `output`.
    public static func encode(_ data: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        let outCount = encodedLength(data.count)
        guard outCount > 0 else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: outCount))
        alphabet.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBufferPointer { out in
                var o = start
                var i = 0
                let n = data.count
                while i + 3 <= n {
                    let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
                    out[o] = table[Int(v >> 18 & 63)]
                    out[o + 1] = table[Int(v >> 12 & 63)]
                    out[o + 2] = table[Int(v >> 6 & 63)]
                    out[o + 3] = table[Int(v & 63)]
                    i += 3
                    o += 4
                }
                let rest = n - i
                if rest > 0 {
                    let b0 = UInt32(data[i])
                    let b1: UInt32 = rest > 1 ? UInt32(data[i + 1]) : 0
                    let v = b0 << 16 | b1 << 8
                    out[o] = table[Int(v >> 18 & 63)]
                    out[o + 1] = table[Int(v >> 12 & 63)]
                    out[o + 2] = rest > 1 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "=")
                    out[o + 3] = UInt8(ascii: "=")
                }
            }
        }
    }

    /// The base64 text of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength(bytes.count))
        bytes.withUnsafeBytes { encode($0, appendingTo: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Why base64 text was refused.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What was wrong, e.g. "invalid character '%' at offset 12".
        public let reason: String
        /// One line.
        public var description: String { reason }
    }

    /// Decodes base64 text (whitespace ignored, padding optional, URL-safe alphabet accepted).
    /// Throws on any other character, on padding in the middle, or on an impossible length.
    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        let result: Result<[UInt8], DecodingError> = utf8.withUnsafeBytes { raw in
            do throws(DecodingError) {
                return .success(try decode(raw, limit: nil))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Decodes base64 bytes; with `limit`, stops after that many output bytes (used to sniff a header cheaply
    /// after a full validation pass).
    public static func decode(_ input: UnsafeRawBufferPointer, limit: Int?) throws(DecodingError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(limit ?? Int.max, input.count / 4 * 3 + 3))
        var quad: UInt32 = 0
        var count = 0
        var padding = 0
        var offset = 0
        let table = decodeTable
        for byte in input {
            defer { offset += 1 }
            let v = table[Int(byte)]
            if v == 0xFE { continue }
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            if v == 0xFF {
                throw DecodingError(reason: "invalid character '\(printable(byte))' at offset \(offset)")
            }
            if padding > 0 { throw DecodingError(reason: "data after '=' padding at offset \(offset)") }
            quad = quad << 6 | UInt32(v)
            count += 1
            if count == 4 {
                out.append(UInt8(quad >> 16 & 0xFF))
                out.append(UInt8(quad >> 8 & 0xFF))
                out.append(UInt8(quad & 0xFF))
                quad = 0
                count = 0
                if let limit, out.count >= limit { return Array(out.prefix(limit)) }
            }
        }
        switch count {
        case 0:
            break
        case 1:
            throw DecodingError(reason: "length is not valid base64 (a single trailing character)")
        case 2:
            out.append(UInt8(quad >> 4 & 0xFF))
        case 3:
            out.append(UInt8(quad >> 10 & 0xFF))
            out.append(UInt8(quad >> 2 & 0xFF))
        default:
            break
        }
        if padding > 2 { throw DecodingError(reason: "too much '=' padding") }
        if let limit, out.count > limit { return Array(out.prefix(limit)) }
        return out
    }

    private static func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16, uppercase: true)
    }
}
