import CPNG

/// CRC-32 (ISO-HDLC / zlib / PNG: reflected polynomial 0xEDB88320), computed by zlib's `crc32_z` (zlib is
/// linked for the PNG writer anyway, and its CRC is faster than a table walk in Swift).
enum CRC32 {
    /// The CRC-32 of `bytes`, continuing from `crc` (pass the previous result to chain; 0 to start).
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return UInt32(truncatingIfNeeded: crc32_z(uLong(crc), base.assumingMemoryBound(to: Bytef.self), z_size_t(bytes.count)))
    }

    /// The CRC-32 of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
