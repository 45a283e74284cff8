@testable import ImageCodecs
import TestSupport

/// Fixtures and fuzz cases use TestSupport's ``SeededRandom`` with fixed seeds, so they never change between runs.
extension SeededRandom {
    mutating func byte() -> UInt8 {
        UInt8(truncatingIfNeeded: next())
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in byte() }
    }
}

enum Fixtures {
    /// Logical RGBA of pixel (x, y): smooth gradients plus optional seeded noise; alpha varies.
    static func rgba(x: Int, y: Int, width: Int, height: Int, noise: UInt8) -> (UInt8, UInt8, UInt8, UInt8) {
        let r = UInt8(x * 255 / max(1, width - 1))
        let g = UInt8(y * 255 / max(1, height - 1))
        let b = UInt8((x + y) * 255 / max(1, width + height - 2))
        let a = UInt8(truncatingIfNeeded: 40 + (x * 7 + y * 3) % 216)
        return (r &+ noise, g &+ noise / 2, b &- noise, a)
    }

    /// An image in `format` with rows `padding` bytes longer than needed (padding bytes are 0xAB).
    /// `noiseAmplitude` 0 gives a smooth gradient (good for JPEG); larger values add seeded noise.
    static func image(
        width: Int, height: Int, format: PixelFormat, padding: Int = 0,
        noiseAmplitude: UInt8 = 0, seed: UInt64 = 42
    ) throws -> PixelBuffer {
        var random = SeededRandom(seed: seed)
        let stride = width * format.channels + padding
        var bytes = [UInt8](repeating: 0xAB, count: stride * height)
        for y in 0..<height {
            for x in 0..<width {
                let noise = noiseAmplitude == 0 ? 0 : random.byte() % noiseAmplitude
                let (r, g, b, a) = rgba(x: x, y: y, width: width, height: height, noise: noise)
                let base = y * stride + x * format.channels
                switch format {
                case .rgb8: bytes.replaceSubrange(base..<base + 3, with: [r, g, b])
                case .bgr8: bytes.replaceSubrange(base..<base + 3, with: [b, g, r])
                case .rgba8: bytes.replaceSubrange(base..<base + 4, with: [r, g, b, a])
                case .bgra8: bytes.replaceSubrange(base..<base + 4, with: [b, g, r, a])
                case .gray8:
                    let weighted: Int = Int(r) * 3 + Int(g) * 5 + Int(b) * 2
                    bytes[base] = UInt8(weighted / 10)
                }
            }
        }
        return try PixelBuffer.validated(width: width, height: height, format: format, bytes: bytes, rowStride: stride)
    }

    /// Pixels copied into a tightly packed buffer (rowStride == width * channels).
    static func packed(_ pixels: PixelBuffer) throws -> PixelBuffer {
        var out: [UInt8] = []
        out.reserveCapacity(pixels.rowBytes * pixels.height)
        for y in 0..<pixels.height {
            let start = y * pixels.rowStride
            out.append(contentsOf: pixels.bytes[start..<start + pixels.rowBytes])
        }
        return try PixelBuffer.validated(width: pixels.width, height: pixels.height, format: pixels.format, bytes: out)
    }

    /// Mean absolute difference over the channels both buffers share (alpha excluded).
    static func meanAbsError(_ a: PixelBuffer, _ b: PixelBuffer) -> Double {
        let colorChannels = min(a.format.channels, b.format.channels, 3)
        var total = 0
        for y in 0..<a.height {
            for x in 0..<a.width {
                for c in 0..<colorChannels {
                    let va = Int(a.bytes[y * a.rowStride + x * a.format.channels + c])
                    let vb = Int(b.bytes[y * b.rowStride + x * b.format.channels + c])
                    total += abs(va - vb)
                }
            }
        }
        return Double(total) / Double(a.width * a.height * colorChannels)
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }
    static func be32(_ v: Int) -> [UInt8] { be16(v >> 16 & 0xFFFF) + be16(v & 0xFFFF) }
    static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// Logical screen descriptor, a 1×1 image and the trailer.
    static func gif(width: Int, height: Int) -> [UInt8] {
        ascii("GIF89a") + le16(width) + le16(height) + [0x00, 0x00, 0x00]
            + [0x2C] + le16(0) + le16(0) + le16(1) + le16(1) + [0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B]
    }

    /// BITMAPINFOHEADER (40 bytes), 24-bit, no pixel data; `height` may be negative (top-down).
    static func bmp(width: Int, height: Int) -> [UInt8] {
        ascii("BM") + le32(54) + le32(0) + le32(54)
            + le32(40) + le32(width) + le32(height) + le16(1) + le16(24) + le32(0) + le32(0)
            + le32(2835) + le32(2835) + le32(0) + le32(0)
    }

    /// BITMAPCOREHEADER (12 bytes) with 16-bit unsigned dimensions.
    static func bmpCore(width: Int, height: Int) -> [UInt8] {
        ascii("BM") + le32(26) + le32(0) + le32(26) + le32(12) + le16(width) + le16(height) + le16(1) + le16(24)
    }

    private static func riff(_ chunk: String, _ payload: [UInt8]) -> [UInt8] {
        let body = ascii("WEBP") + ascii(chunk) + le32(payload.count) + payload
        return ascii("RIFF") + le32(body.count) + body
    }

    /// Lossy: frame tag, start code 9D 01 2A, 14-bit sizes (top bits are scale, set here to check masking).
    static func webpVP8(width: Int, height: Int) -> [UInt8] {
        riff("VP8 ", [0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A] + le16(width | 0x4000) + le16(height | 0x8000))
    }

    /// Lossless: signature 0x2F, then (width-1) | (height-1) << 14 | alpha/version bits.
    static func webpVP8L(width: Int, height: Int) -> [UInt8] {
        let bits = (width - 1) | (height - 1) << 14 | 1 << 28
        return riff("VP8L", [0x2F] + le32(bits) + [0x00])
    }

    /// Extended: 4 flag bytes then 24-bit (width-1), (height-1).
    static func webpVP8X(width: Int, height: Int) -> [UInt8] {
        let w = width - 1, h = height - 1
        return riff("VP8X", [0x10, 0, 0, 0, UInt8(w & 0xFF), UInt8(w >> 8 & 0xFF), UInt8(w >> 16),
                             UInt8(h & 0xFF), UInt8(h >> 8 & 0xFF), UInt8(h >> 16)])
    }

    /// A TIFF whose first IFD holds NewSubfileType, then ImageWidth as `widthType` (3 SHORT, 4 LONG)
    /// and ImageLength as the other type, in little- ("II") or big-endian ("MM") order.
    static func tiff(width: Int, height: Int, bigEndian: Bool, widthType: Int = 3) -> [UInt8] {
        let u16 = bigEndian ? be16 : le16
        let u32 = bigEndian ? be32 : le32
        let heightType = widthType == 3 ? 4 : 3
        func entry(_ tag: Int, _ type: Int, _ value: Int) -> [UInt8] {
            let field = type == 3 ? u16(value) + [0, 0] : u32(value)
            return u16(tag) + u16(type) + u32(1) + field
        }
        let header = (bigEndian ? ascii("MM") : ascii("II")) + u16(42) + u32(8)
        return header + u16(3) + entry(254, 4, 0) + entry(256, widthType, width)
            + entry(257, heightType, height) + u32(0)
    }
}
