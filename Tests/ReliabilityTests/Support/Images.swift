import ImageCodecs
import Foundation
import InferenceSDK
import TestSupport

/// Distinct, valid images made on the fly (each seed gives different bytes) and the bad inputs of the matrix.
enum Images {
    /// A small RGB PNG whose colours depend on `seed`.
    static func png(seed: Int, width: Int = 40, height: Int = 30) throws -> [UInt8] {
        try PNGCodec.encode(pixels(seed: seed, width: width, height: height))
    }

    /// A JPEG whose colours depend on `seed`.
    static func jpeg(seed: Int, width: Int = 40, height: Int = 30) throws -> [UInt8] {
        try JPEGCodec.encode(pixels(seed: seed, width: width, height: height), quality: 90)
    }

    /// A large noisy PNG (about `width × height × 3` bytes). A 96 KB block of xorshift noise is repeated: deflate
    /// only looks back 32 KB, so the image stays incompressible, and building it stays cheap even under TSan.
    static func noisyPNG(width: Int, height: Int, seed: UInt64 = 1) throws -> [UInt8] {
        var state = (seed &* 0x9E37_79B9_7F4A_7C15) | 1
        var block = [UInt8](repeating: 0, count: 96 << 10)
        for index in block.indices {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            block[index] = UInt8(truncatingIfNeeded: state)
        }
        let count = width * height * 3
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + block.count)
        while bytes.count < count { bytes.append(contentsOf: block) }
        bytes.removeLast(bytes.count - count)
        return try PNGCodec.encode(PixelBuffer(width: width, height: height, format: .rgb8, bytes: bytes))
    }

    static func pixels(seed: Int, width: Int, height: Int) throws -> PixelBuffer {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                bytes.append(UInt8(truncatingIfNeeded: seed &* 37 &+ x * 5))
                bytes.append(UInt8(truncatingIfNeeded: seed &* 91 &+ y * 7))
                bytes.append(UInt8(truncatingIfNeeded: seed &* 53 &+ (x ^ y)))
            }
        }
        return try PixelBuffer(width: width, height: height, format: .rgb8, bytes: bytes)
    }

    /// Writes `count` PNGs of one `width`×`height` picture, each made distinct by its first row (cheap: no per-pixel
    /// work per image), named by `name(index)`, into `directory`; returns the names in order.
    static func rowVariants(
        seed: Int, width: Int, height: Int, count: Int, in directory: TemporaryDirectory, name: (Int) -> String
    ) throws -> [String] {
        let base = try pixels(seed: seed, width: width, height: height).bytes
        var names: [String] = []
        for index in 0..<count {
            var bytes = base
            for offset in 0..<(width * 3) { bytes[offset] = UInt8(truncatingIfNeeded: offset &* (index + 1)) }
            names.append(name(index))
            try directory.write(name(index), try PNGCodec.encode(PixelBuffer(width: width, height: height, format: .rgb8, bytes: bytes)))
        }
        return names
    }

    /// Writes `count` distinct PNGs named `img-000.png`… into `directory`; returns base64 of each → file name.
    @discardableResult
    static func folder(_ directory: TemporaryDirectory, count: Int, prefix: String = "img") throws -> [String: String] {
        var names: [String: String] = [:]
        for index in 0..<count {
            let bytes = try png(seed: index + 1)
            let name = String(format: "%@-%03d.png", prefix, index)
            try directory.write(name, bytes)
            names[Base64.encode(bytes)] = name
        }
        return names
    }

    /// A PNG with the first byte of its IDAT data flipped (its CRC no longer matches), and the IDAT's offset.
    static func pngWithBadCRC() throws -> (bytes: [UInt8], idatOffset: Int) {
        var bytes = try png(seed: 3)
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            if Array(bytes[(offset + 4)..<(offset + 8)]) == Array("IDAT".utf8) {
                bytes[offset + 8] ^= 0xFF
                return (bytes, offset)
            }
            offset += 12 + length
        }
        throw POSIXError(.EINVAL)
    }

    /// A JPEG cut in the middle of its entropy-coded data.
    static func truncatedJPEG() throws -> [UInt8] {
        let bytes = try jpeg(seed: 4, width: 64, height: 64)
        return Array(bytes.prefix(bytes.count * 2 / 3))
    }

    /// A structurally valid PNG whose header declares `width × height` (the pixel data is a token IDAT).
    static func pngDeclaring(width: UInt32, height: UInt32) -> [UInt8] {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let typeBytes = Array(type.utf8)
            var out = bigEndian(UInt32(data.count)) + typeBytes + data
            out += bigEndian(CRC.crc32(typeBytes + data))
            return out
        }
        var ihdr = bigEndian(width) + bigEndian(height)
        ihdr += [8, 2, 0, 0, 0]
        let idat: [UInt8] = [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]  // zlib of one zero byte
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", [])
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

/// CRC-32 (IEEE) for hand-made PNG chunks.
enum CRC {
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
