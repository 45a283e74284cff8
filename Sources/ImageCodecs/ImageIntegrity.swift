/// Fast structural validation of encoded images, without decoding pixels.
public enum ImageIntegrity: Sendable {
    /// Checks the structure of an encoded image and returns its header info.
    ///
    /// Throws a ``CodecError`` with a specific message for: empty data; data that is not an image by
    /// its magic bytes; a JPEG without SOI, whose marker segments run past the end, without a SOFn,
    /// with only headers, or truncated (no EOI FFD9 after the entropy-coded data; anything after an
    /// EOI is ignored); a PNG whose chunk walk runs past the end, with a bad CRC in any chunk (the
    /// message names the chunk), without IHDR first, without IDAT, or without IEND. GIF, BMP, WebP
    /// and TIFF only need a parseable header. Entropy-coded JPEG data is skipped with a vectorised scan, so
    /// a 1 MB file takes microseconds; PNG costs one CRC-32 pass.
    public static func check(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> ImageInfo {
        guard !bytes.isEmpty else { throw CodecError("image data is empty (0 bytes)") }
        guard let format = ImageFormat.sniff(bytes) else {
            throw CodecError(notAnImageMessage(bytes))
        }
        let reader = ByteReader(bytes)
        switch format {
        case .jpeg: try JPEGStructure.check(reader)
        case .png: try PNGStructure.check(reader)
        case .gif, .bmp, .webp, .tiff: break
        }
        guard let info = ImageInfo.read(bytes) else {
            throw CodecError("\(format.rawValue.uppercased()) header is truncated or declares invalid dimensions")
        }
        return info
    }

    /// Checks the structure of an encoded image; see the `UnsafeRawBufferPointer` overload.
    public static func check(_ bytes: [UInt8]) throws(CodecError) -> ImageInfo {
        // withUnsafeBytes rethrows untyped errors, so carry the typed result out by hand.
        let result: Result<ImageInfo, CodecError> = bytes.withUnsafeBytes { raw in
            do throws(CodecError) { return .success(try check(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// "data is not a recognized image format (3 bytes: 47 49 46)", with a hint when it looks like text.
    static func notAnImageMessage(_ bytes: UnsafeRawBufferPointer) -> String {
        let prefix = Array(bytes.prefix(8))
        let looksLikeText = prefix.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let kind = looksLikeText ? " (looks like text)" : ""
        return "data is not a recognized image format\(kind): \(bytes.count) bytes starting \(hex(prefix))"
    }
}
