/// The in-memory layout of one pixel: 8 bits per channel, channels interleaved in the order named.
public enum PixelFormat: String, Sendable, CaseIterable, Codable {
    /// Red, green, blue; 3 bytes per pixel.
    case rgb8
    /// Blue, green, red; 3 bytes per pixel (OpenCV's default order).
    case bgr8
    /// Red, green, blue, alpha (straight, not premultiplied); 4 bytes per pixel.
    case rgba8
    /// Blue, green, red, alpha (straight, not premultiplied); 4 bytes per pixel.
    case bgra8
    /// A single luminance channel; 1 byte per pixel.
    case gray8

    /// The number of bytes (channels) per pixel.
    public var channels: Int {
        switch self {
        case .rgb8, .bgr8: return 3
        case .rgba8, .bgra8: return 4
        case .gray8: return 1
        }
    }

    /// Whether the format carries an alpha channel.
    public var hasAlpha: Bool {
        switch self {
        case .rgba8, .bgra8: return true
        case .rgb8, .bgr8, .gray8: return false
        }
    }

    /// The same channel order with alpha added (gray has no alpha twin in this enum and stays gray).
    var withAlpha: PixelFormat {
        switch self {
        case .rgb8, .rgba8: return .rgba8
        case .bgr8, .bgra8: return .bgra8
        case .gray8: return .gray8
        }
    }
}
