/// An immutable, validated 8-bit image in memory: `height` rows of `width` pixels, each row starting
/// `rowStride` bytes after the previous one. Bytes past `width * format.channels` in a row are padding.
public struct PixelBuffer: Sendable, Equatable {
    /// The largest accepted width or height, in pixels (JPEG's own limit is 65 535; TurboJPEG and most
    /// tooling stop at 65 500).
    public static let maxDimension = 65_500

    /// The most pixels ``JPEGCodec`` and ``PNGCodec`` decode: 2^30, OpenCV's `CV_IO_MAX_IMAGE_PIXELS` (the
    /// inference server's decoder refuses more as well). A few hundred bytes of JPEG or PNG can declare
    /// 65 500 × 65 500 pixels; decoding that would allocate 12–17 GB before reading any pixel data.
    public static let maxDecodedPixels = 1 << 30

    /// Width in pixels, 1...65 500.
    public let width: Int
    /// Height in pixels, 1...65 500.
    public let height: Int
    /// The channel layout of each pixel.
    public let format: PixelFormat
    /// Bytes from the start of one row to the start of the next; at least `width * format.channels`.
    public let rowStride: Int
    /// The pixel data, row by row from the top; the last row may omit its padding.
    public let bytes: [UInt8]

    /// Creates a pixel buffer after validating its geometry.
    ///
    /// Validates: `width` and `height` in 1...65 500; `rowStride` (default `width * format.channels`)
    /// at least `width * format.channels`; and `bytes.count` equal to `rowStride * height`, or to
    /// `rowStride * (height - 1) + width * format.channels` when the last row carries no padding.
    /// Error messages name the numbers, e.g.
    /// "pixel buffer has 100 bytes but 640×480 rgb8 with row stride 1920 needs 921600". (Users of InferenceSDK call
    /// its `PixelBuffer(width:height:format:bytes:rowStride:)`, which throws the SDK's one error type.)
    public static func validated(
        width: Int, height: Int, format: PixelFormat, bytes: [UInt8], rowStride: Int? = nil
    ) throws(CodecError) -> PixelBuffer {
        if width < 1 || height < 1 {
            throw CodecError(
                "pixel buffer dimensions \(width)×\(height) are invalid: width and height must be at least 1")
        }
        if width > Self.maxDimension || height > Self.maxDimension {
            throw CodecError(
                "pixel buffer dimensions \(width)×\(height) are too large: width and height must be at most \(Self.maxDimension)")
        }
        let rowBytes = width * format.channels  // cannot overflow: width <= 65 500
        let stride = rowStride ?? rowBytes
        if stride < rowBytes {
            throw CodecError(
                "row stride \(stride) is too small: \(width) \(format.rawValue) pixels need at least \(rowBytes) bytes per row")
        }
        let (full, overflow) = stride.multipliedReportingOverflow(by: height)
        if overflow {
            throw CodecError("row stride \(stride) × height \(height) overflows the address space")
        }
        // full - stride + rowBytes cannot overflow once full did not.
        let unpaddedLast = full - stride + rowBytes
        if bytes.count != full && bytes.count != unpaddedLast {
            let alternative = unpaddedLast == full ? "" : " (or \(unpaddedLast) without padding after the last row)"
            throw CodecError(
                "pixel buffer has \(bytes.count) bytes but \(width)×\(height) \(format.rawValue) with row stride \(stride) needs \(full)\(alternative)")
        }
        return PixelBuffer(unchecked: width, height: height, format: format, rowStride: stride, bytes: bytes)
    }

    /// Creates a buffer whose geometry the caller (a decoder) has already guaranteed.
    init(unchecked width: Int, height: Int, format: PixelFormat, rowStride: Int, bytes: [UInt8]) {
        self.width = width
        self.height = height
        self.format = format
        self.rowStride = rowStride
        self.bytes = bytes
    }

    /// The number of meaningful bytes in each row (`width * format.channels`).
    public var rowBytes: Int { width * format.channels }
}
