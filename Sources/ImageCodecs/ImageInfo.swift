/// The format and pixel dimensions of an encoded image, read from its header alone.
public struct ImageInfo: Sendable, Equatable {
    /// The container format.
    public let format: ImageFormat
    /// Width in pixels (always positive).
    public let width: Int
    /// Height in pixels (always positive; BMP's negative "top-down" height is reported as its magnitude).
    public let height: Int

    /// Creates an info value; `width` and `height` should be positive.
    public init(format: ImageFormat, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }

    /// Reads only the header: JPEG walks its marker segments to the first SOFn; PNG reads IHDR;
    /// GIF the logical screen descriptor; BMP the DIB header (a negative height means top-down);
    /// WebP the VP8, VP8L or VP8X chunk; TIFF the first IFD's ImageWidth/ImageLength in either
    /// byte order. Returns nil when the format is unknown, the header is cut short, or it declares
    /// a zero dimension.
    public static func read(_ bytes: UnsafeRawBufferPointer) -> ImageInfo? {
        guard let format = ImageFormat.sniff(bytes) else { return nil }
        let reader = ByteReader(bytes)
        let size: (width: Int, height: Int)?
        switch format {
        case .jpeg: size = JPEGStructure.frameSize(reader)
        case .png: size = pngSize(reader)
        case .gif: size = gifSize(reader)
        case .bmp: size = bmpSize(reader)
        case .webp: size = webpSize(reader)
        case .tiff: size = tiffSize(reader)
        }
        guard let size, size.width > 0, size.height > 0 else { return nil }
        return ImageInfo(format: format, width: size.width, height: size.height)
    }

    /// Reads only the header; see the `UnsafeRawBufferPointer` overload for what each format reads.
    public static func read(_ bytes: [UInt8]) -> ImageInfo? {
        bytes.withUnsafeBytes { read($0) }
    }

    // MARK: - Per-format header parsers (all bounds-checked through ByteReader)

    /// IHDR must be the first chunk: length 13 at offset 8, type at 12, width and height at 16 and 20.
    private static func pngSize(_ r: ByteReader) -> (width: Int, height: Int)? {
        guard r.u32be(8) == 13, r.matches(12, Array("IHDR".utf8)),
              let width = r.u32be(16), let height = r.u32be(20),
              width <= Int(Int32.max), height <= Int(Int32.max)
        else { return nil }
        return (width, height)
    }

    /// The logical screen descriptor follows the 6-byte signature: little-endian width, height.
    private static func gifSize(_ r: ByteReader) -> (width: Int, height: Int)? {
        guard let width = r.u16le(6), let height = r.u16le(8) else { return nil }
        return (width, height)
    }

    /// BITMAPCOREHEADER (12 bytes) has unsigned 16-bit sizes; every later DIB header has signed
    /// 32-bit ones, where a negative height marks a top-down bitmap.
    private static func bmpSize(_ r: ByteReader) -> (width: Int, height: Int)? {
        guard let dibSize = r.u32le(14) else { return nil }
        if dibSize == 12 {
            guard let width = r.u16le(18), let height = r.u16le(20) else { return nil }
            return (width, height)
        }
        guard let rawWidth = r.u32le(18), let rawHeight = r.u32le(22) else { return nil }
        let width = Int(Int32(bitPattern: UInt32(truncatingIfNeeded: rawWidth)))
        let height = Int(Int32(bitPattern: UInt32(truncatingIfNeeded: rawHeight)))
        return (width, abs(height))
    }

    /// "RIFF" size "WEBP", then the first chunk's FourCC at 12 and its data at 20.
    private static func webpSize(_ r: ByteReader) -> (width: Int, height: Int)? {
        if r.matches(12, Array("VP8 ".utf8)) {
            // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (+2 scale bits).
            guard r.matches(23, [0x9D, 0x01, 0x2A]),
                  let width = r.u16le(26), let height = r.u16le(28) else { return nil }
            return (width & 0x3FFF, height & 0x3FFF)
        }
        if r.matches(12, Array("VP8L".utf8)) {
            // Lossless: signature byte 0x2F, then 14 bits width-1 and 14 bits height-1.
            guard r.u8(20) == 0x2F, let bits = r.u32le(21) else { return nil }
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        }
        if r.matches(12, Array("VP8X".utf8)) {
            // Extended: 4 bytes of flags, then 24-bit canvas width-1 and height-1.
            guard let width = r.u24le(24), let height = r.u24le(27) else { return nil }
            return (width + 1, height + 1)
        }
        return nil
    }

    /// The first IFD's ImageWidth (256) and ImageLength (257) entries, SHORT or LONG.
    private static func tiffSize(_ r: ByteReader) -> (width: Int, height: Int)? {
        let bigEndian = r.u8(0) == 0x4D
        guard let ifd = r.u32(4, bigEndian: bigEndian), ifd >= 8,
              let entryCount = r.u16(ifd, bigEndian: bigEndian) else { return nil }
        var width: Int?
        var height: Int?
        for index in 0..<entryCount {
            let entry = ifd + 2 + 12 * index
            guard let tag = r.u16(entry, bigEndian: bigEndian),
                  let type = r.u16(entry + 2, bigEndian: bigEndian),
                  let count = r.u32(entry + 4, bigEndian: bigEndian) else { return nil }
            guard tag == 256 || tag == 257, count >= 1 else { continue }
            let value: Int?
            switch type {
            case 3: value = r.u16(entry + 8, bigEndian: bigEndian)  // SHORT, left-justified
            case 4: value = r.u32(entry + 8, bigEndian: bigEndian)  // LONG
            default: value = nil
            }
            if tag == 256 { width = value } else { height = value }
            if let width, let height { return (width, height) }
        }
        return nil
    }
}
