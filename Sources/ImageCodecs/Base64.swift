import CByteKernels

/// Standard base64 (RFC 4648 §4) used on the wire (an SDK-internal helper: `ImageCodecs` is not a product): encoding straight into a byte buffer, strict validation
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

    /// Appends the base64 text of `data` to `output`, writing straight into the array's spare capacity
    /// (no zero-fill pass).
    public static func encode(_ data: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        guard !data.isEmpty else { return }
        output.append(contentsOf: Base64Text(data: data))
    }

    /// Encodes `data` into `out`, which holds at least `encodedLength(data.count)` bytes; returns the
    /// bytes written. AVX2 (24 bytes → 32 characters per step) where the CPU has it, a table loop otherwise.
    public static func encode(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Int {
        guard let src = data.baseAddress, let dst = out.baseAddress, out.count >= encodedLength(data.count) else { return 0 }
        return rf_base64_encode(src.assumingMemoryBound(to: UInt8.self), data.count, dst.assumingMemoryBound(to: UInt8.self))
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
        let capacity = min(limit ?? Int.max, input.count / 4 * 3 + 3)
        // Fast path: the leading run of plain alphabet characters in whole groups of 4 (all of a server's
        // answer) is decoded in C, AVX2 where the CPU has it; the loop below takes the rest (padding,
        // whitespace, URL-safe characters, errors with their offsets) from where it stopped.
        var start = 0
        var fastInput = input.count
        if let limit { fastInput = min(fastInput, (limit / 3 + 1) * 4) }
        var out = [UInt8](unsafeUninitializedCapacity: max(capacity, fastInput / 4 * 3)) { buffer, initialized in
            guard let src = input.baseAddress, let dst = buffer.baseAddress, fastInput >= 4 else {
                initialized = 0
                return
            }
            var consumed = 0
            initialized = rf_base64_decode_prefix(src.assumingMemoryBound(to: UInt8.self), fastInput, dst, &consumed)
            start = consumed
        }
        if let limit, out.count >= limit { return Array(out.prefix(limit)) }
        var quad: UInt32 = 0
        var count = 0
        var padding = 0
        var offset = start
        let table = decodeTable
        for byte in input[start...] {
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

/// The base64 text of a byte range as a collection `Array.append(contentsOf:)` can copy in one pass: the
/// array reserves `underestimatedCount` (exact) and hands its spare capacity to `_copyContents`, which
/// encodes straight into it.
private struct Base64Text: Sequence {
    let data: UnsafeRawBufferPointer

    var underestimatedCount: Int { Base64.encodedLength(data.count) }

    func makeIterator() -> Array<UInt8>.Iterator {
        let count = underestimatedCount
        let text = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = Base64.encode(data, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
        return text.makeIterator()
    }

    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<UInt8>) -> (Array<UInt8>.Iterator, Int) {
        let count = underestimatedCount
        guard buffer.count >= count else {
            // Not reached through Array.append (it reserves underestimatedCount first); element by element otherwise.
            var iterator = makeIterator()
            var written = 0
            while written < buffer.count, let byte = iterator.next() {
                buffer.initializeElement(at: written, to: byte)
                written += 1
            }
            return (iterator, written)
        }
        _ = Base64.encode(data, into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[0..<count]))
        return ([UInt8]().makeIterator(), count)
    }
}
