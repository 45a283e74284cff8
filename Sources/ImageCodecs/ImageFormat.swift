/// An image container format recognisable by its magic bytes.
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
    /// JPEG / JFIF / EXIF (starts FF D8 FF).
    case jpeg
    /// PNG (starts 89 50 4E 47 0D 0A 1A 0A).
    case png
    /// GIF87a or GIF89a.
    case gif
    /// Windows bitmap ("BM" followed by a known DIB header size).
    case bmp
    /// WebP ("RIFF" <size> "WEBP").
    case webp
    /// TIFF, little-endian ("II*\0") or big-endian ("MM\0*").
    case tiff

    /// The conventional file extension, without the dot: "jpg", "png", "gif", "bmp", "webp", "tiff".
    public var fileExtension: String {
        switch self {
        case .jpeg: return "jpg"
        case .png: return "png"
        case .gif: return "gif"
        case .bmp: return "bmp"
        case .webp: return "webp"
        case .tiff: return "tiff"
        }
    }

    /// The IANA media type, e.g. "image/jpeg".
    public var mimeType: String {
        switch self {
        case .jpeg: return "image/jpeg"
        case .png: return "image/png"
        case .gif: return "image/gif"
        case .bmp: return "image/bmp"
        case .webp: return "image/webp"
        case .tiff: return "image/tiff"
        }
    }

    /// Identifies the format from its magic bytes; nil when the bytes are not a known image format
    /// (including empty or too-short input). Looks at no more than the first 18 bytes.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
        let reader = ByteReader(bytes)
        if reader.matches(0, [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if reader.matches(0, pngSignature) { return .png }
        if reader.matches(0, Array("GIF87a".utf8)) || reader.matches(0, Array("GIF89a".utf8)) {
            return .gif
        }
        if reader.matches(0, Array("RIFF".utf8)) && reader.matches(8, Array("WEBP".utf8)) {
            return .webp
        }
        if reader.matches(0, [0x49, 0x49, 0x2A, 0x00]) || reader.matches(0, [0x4D, 0x4D, 0x00, 0x2A]) {
            return .tiff
        }
        // "BM" alone is too weak (plenty of text starts with it): also require a known DIB header size.
        if reader.matches(0, [0x42, 0x4D]), let dibSize = reader.u32le(14), bmpDIBHeaderSizes.contains(dibSize) {
            return .bmp
        }
        return nil
    }

    /// Identifies the format from its magic bytes; nil when the bytes are not a known image format.
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        bytes.withUnsafeBytes { sniff($0) }
    }
}

/// The 8-byte PNG file signature.
let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// DIB header sizes in the wild: BITMAPCOREHEADER (12), OS/2 v2 (16, 64), BITMAPINFOHEADER (40),
/// the V2/V3 Adobe variants (52, 56), BITMAPV4HEADER (108) and BITMAPV5HEADER (124).
let bmpDIBHeaderSizes: Set<Int> = [12, 16, 40, 52, 56, 64, 108, 124]
