extension PixelBuffer {
    /// Raw 8-bit pixels to send, checked before anything else happens: `width` and `height` in 1...65 500,
    /// `rowStride` (default `width * format.channels`) at least one row's bytes, and `bytes.count` equal to
    /// `rowStride * height` (or without the last row's padding). Throws `.invalidInput` (input `pixels`) whose message
    /// names the numbers, e.g. "pixel buffer has 100 bytes but 640×480 rgb8 with row stride 1920 needs 921600"; the
    /// codec's `CodecError` is its ``InferenceError/underlying``.
    public init(width: Int, height: Int, format: PixelFormat, bytes: [UInt8], rowStride: Int? = nil) throws(InferenceError) {
        do {
            self = try PixelBuffer.validated(width: width, height: height, format: format, bytes: bytes, rowStride: rowStride)
        } catch {
            throw InferenceError(.invalidInput, error.message, input: "pixels", underlying: error)
        }
    }
}
