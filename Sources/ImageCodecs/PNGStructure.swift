/// PNG chunk walking for ``ImageIntegrity``: every chunk must fit, carry a valid type and CRC,
/// IHDR must come first, at least one IDAT must appear, and IEND must close the stream.
enum PNGStructure {
    static func check(_ r: ByteReader) throws(CodecError) {
        guard r.matches(0, pngSignature) else {
            throw CodecError("PNG signature is missing or damaged")
        }
        var offset = 8
        var chunks = 0
        var sawData = false
        while true {
            if offset == r.count {
                throw CodecError(
                    "PNG is truncated: the data ends at offset \(offset) after \(chunks) chunks without an IEND chunk")
            }
            guard r.has(offset, 8), let length = r.u32be(offset) else {
                throw CodecError(
                    "PNG is truncated: chunk header at offset \(offset) is cut short (\(r.count - offset) bytes remain)")
            }
            let type = r.tag(offset + 4)
            guard (0..<4).allSatisfy({ isLetter(r.bytes[offset + 4 + $0]) }) else {
                throw CodecError("PNG is corrupt: chunk at offset \(offset) has an invalid type (\(type))")
            }
            guard length <= Int(Int32.max) else {
                throw CodecError("PNG is corrupt: \(type) chunk at offset \(offset) declares an invalid length \(length)")
            }
            guard r.has(offset + 8, length + 4) else {
                throw CodecError(
                    "PNG is truncated: \(type) chunk at offset \(offset) declares \(length) data bytes but only \(max(0, r.count - offset - 12)) remain before its CRC")
            }
            if chunks == 0 && type != "IHDR" {
                throw CodecError("PNG's first chunk is \(type), not IHDR")
            }
            if type == "IHDR" && length != 13 {
                throw CodecError("PNG IHDR chunk has length \(length), expected 13")
            }
            let stored = UInt32(truncatingIfNeeded: r.u32be(offset + 8 + length) ?? 0)
            let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: r.bytes[(offset + 4)..<(offset + 8 + length)]))
            if stored != computed {
                throw CodecError(
                    "PNG chunk \(type) at offset \(offset) has a bad CRC (stored 0x\(hex32(stored)), computed 0x\(hex32(computed)))")
            }
            chunks += 1
            if type == "IDAT" { sawData = true }
            if type == "IEND" {
                guard sawData else { throw CodecError("PNG has no image data (no IDAT chunk before IEND)") }
                return
            }
            offset += 12 + length
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
