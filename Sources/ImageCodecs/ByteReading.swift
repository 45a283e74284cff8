/// Bounds-checked little- and big-endian reads from raw bytes; every accessor returns nil
/// instead of reading past the end, so header parsers never trap on short input.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var count: Int { bytes.count }

    /// Whether `length` bytes starting at `offset` lie inside the buffer (overflow-safe).
    func has(_ offset: Int, _ length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    func u8(_ offset: Int) -> UInt8? {
        has(offset, 1) ? bytes[offset] : nil
    }

    func u16be(_ offset: Int) -> Int? {
        guard has(offset, 2) else { return nil }
        return Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    func u16le(_ offset: Int) -> Int? {
        guard has(offset, 2) else { return nil }
        return Int(bytes[offset + 1]) << 8 | Int(bytes[offset])
    }

    func u24le(_ offset: Int) -> Int? {
        guard has(offset, 3) else { return nil }
        return Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset])
    }

    func u32be(_ offset: Int) -> Int? {
        guard has(offset, 4) else { return nil }
        return Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16
            | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }

    func u32le(_ offset: Int) -> Int? {
        guard has(offset, 4) else { return nil }
        return Int(bytes[offset + 3]) << 24 | Int(bytes[offset + 2]) << 16
            | Int(bytes[offset + 1]) << 8 | Int(bytes[offset])
    }

    /// Reads a 16-bit value in the given byte order.
    func u16(_ offset: Int, bigEndian: Bool) -> Int? {
        bigEndian ? u16be(offset) : u16le(offset)
    }

    /// Reads a 32-bit value in the given byte order.
    func u32(_ offset: Int, bigEndian: Bool) -> Int? {
        bigEndian ? u32be(offset) : u32le(offset)
    }

    /// Whether the bytes at `offset` equal `expected`.
    func matches(_ offset: Int, _ expected: [UInt8]) -> Bool {
        guard has(offset, expected.count) else { return false }
        for (index, byte) in expected.enumerated() where bytes[offset + index] != byte {
            return false
        }
        return true
    }

    /// The bytes at `offset` as text if they are ASCII letters (a PNG chunk or RIFF FourCC), else hex.
    func tag(_ offset: Int, length: Int = 4) -> String {
        guard has(offset, length) else { return "<cut short>" }
        let slice = (0..<length).map { bytes[offset + $0] }
        if slice.allSatisfy({ (0x20...0x7E).contains($0) }) {
            return String(decoding: slice, as: UTF8.self)
        }
        return hex(slice)
    }
}

/// Space-separated upper-case hex, e.g. "FF D8 FF".
func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    bytes.map { byte in
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 16 ? "0" + digits : digits
    }.joined(separator: " ")
}
