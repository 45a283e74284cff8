/// Decodes encoded image bytes of any supported format into pixels.
public enum ImageDecoder: Sendable {
    /// Sniffs the format and decodes JPEG or PNG; other recognised formats throw
    /// "decoding <fmt> is not supported", unrecognised data throws as not an image.
    ///
    /// With `to: nil`, PNG picks `rgba8`/`rgb8`/`gray8` as ``PNGCodec/decode(_:to:)`` describes and
    /// JPEG picks `gray8` for grayscale files and `rgb8` otherwise.
    public static func decode(_ bytes: [UInt8], to format: PixelFormat? = nil) throws(CodecError) -> PixelBuffer {
        guard !bytes.isEmpty else { throw CodecError("image data is empty (0 bytes)") }
        guard let detected = ImageFormat.sniff(bytes) else {
            throw CodecError(bytes.withUnsafeBytes { ImageIntegrity.notAnImageMessage($0) })
        }
        switch detected {
        case .jpeg: return try JPEGCodec.decode(bytes, preferring: format)
        case .png: return try PNGCodec.decode(bytes, to: format)
        case .gif, .bmp, .webp, .tiff:
            throw CodecError("decoding \(detected.rawValue) is not supported")
        }
    }
}
