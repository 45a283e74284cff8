import CTurboJPEG

/// JPEG encoding and decoding through the TurboJPEG API of libjpeg-turbo. TurboJPEG reports errors
/// as return codes (no setjmp in Swift); each call creates and destroys its own handle, so every
/// function is safe to call from any thread concurrently.
public enum JPEGCodec: Sendable {
    /// Encodes pixels as a baseline JPEG.
    ///
    /// `gray8` becomes a grayscale JPEG; `rgba8`/`bgra8` drop alpha. `quality` must be in 1...100.
    /// The default 4:2:0 subsampling matches OpenCV's `imencode`. `rowStride` padding is honoured.
    public static func encode(
        _ pixels: PixelBuffer, quality: Int = 95, subsampling: ChromaSubsampling = .s420
    ) throws(CodecError) -> [UInt8] {
        try encode(pixels, quality: quality, subsampling: subsampling, flags: 0)
    }

    /// Encodes with extra TurboJPEG `flags` (e.g. `TJFLAG_PROGRESSIVE`); used by ``encode(_:quality:subsampling:)``.
    static func encode(
        _ pixels: PixelBuffer, quality: Int, subsampling: ChromaSubsampling, flags: Int32
    ) throws(CodecError) -> [UInt8] {
        guard (1...100).contains(quality) else {
            throw CodecError("JPEG quality must be in 1...100, got \(quality)")
        }
        let pixelFormat: TJPF
        switch pixels.format {
        case .rgb8: pixelFormat = TJPF_RGB
        case .bgr8: pixelFormat = TJPF_BGR
        case .rgba8: pixelFormat = TJPF_RGBX
        case .bgra8: pixelFormat = TJPF_BGRX
        case .gray8: pixelFormat = TJPF_GRAY
        }
        let samp = pixels.format == .gray8 ? Int32(TJSAMP_GRAY.rawValue) : subsampling.turboJPEG
        guard let handle = tjInitCompress() else {
            throw CodecError("TurboJPEG could not create a compressor: \(errorText(nil))")
        }
        defer { tjDestroy(handle) }

        // PixelBuffer guarantees 1...65 500 per side, so the Int32 conversions cannot trap; the
        // stride is checked because callers may pad rows arbitrarily.
        guard let pitch = Int32(exactly: pixels.rowStride) else {
            throw CodecError("row stride \(pixels.rowStride) is too large for TurboJPEG (at most \(Int32.max))")
        }
        // TurboJPEG writes straight into the returned array, sized for its worst case (TJFLAG_NOREALLOC): no
        // copy out of a TurboJPEG buffer, and only the pages the JPEG fills are ever touched.
        let worstCase = tjBufSize(Int32(pixels.width), Int32(pixels.height), samp)
        guard worstCase != UInt.max, let capacity = Int(exactly: worstCase) else {
            throw CodecError("JPEG encoding failed: TurboJPEG cannot size \(pixels.width)×\(pixels.height)")
        }
        var status: Int32 = -1
        var outputSize: UInt = 0
        let encoded = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            var output = buffer.baseAddress
            outputSize = worstCase
            status = pixels.bytes.withUnsafeBufferPointer { source in
                tjCompress2(
                    handle, source.baseAddress, Int32(pixels.width), pitch, Int32(pixels.height),
                    Int32(pixelFormat.rawValue), &output, &outputSize, samp, Int32(quality),
                    flags | Int32(TJFLAG_NOREALLOC))
            }
            let intact = status == 0 && output == buffer.baseAddress && outputSize <= worstCase
            initialized = intact ? Int(outputSize) : 0
            if !intact { status = -1 }
        }
        guard status == 0, !encoded.isEmpty else {
            throw CodecError("JPEG encoding failed: \(errorText(handle))")
        }
        return encoded
    }

    /// Decodes a JPEG into `format` (default `rgb8`; gray JPEGs expand to colour and colour
    /// JPEGs reduce to luminance as needed; `rgba8`/`bgra8` get opaque alpha).
    ///
    /// Recoverable libjpeg warnings (e.g. a truncated scan, whose missing rows come out gray) do not
    /// throw, matching OpenCV's `imdecode`; rows libjpeg could not produce at all are left black.
    /// Use `ImageIntegrity.check` to reject such files. Fatal errors throw with TurboJPEG's message.
    public static func decode(_ bytes: [UInt8], to format: PixelFormat = .rgb8) throws(CodecError) -> PixelBuffer {
        try decode(bytes, preferring: format)
    }

    /// Decodes into `format`, or when nil into `gray8` for grayscale JPEGs and `rgb8` otherwise.
    static func decode(_ bytes: [UInt8], preferring format: PixelFormat?) throws(CodecError) -> PixelBuffer {
        guard !bytes.isEmpty else { throw CodecError("JPEG data is empty (0 bytes)") }
        guard let handle = tjInitDecompress() else {
            throw CodecError("TurboJPEG could not create a decompressor: \(errorText(nil))")
        }
        defer { tjDestroy(handle) }

        var width: Int32 = 0, height: Int32 = 0, subsamp: Int32 = 0, colorspace: Int32 = 0
        let headerStatus = bytes.withUnsafeBufferPointer { source in
            tjDecompressHeader3(handle, source.baseAddress, UInt(source.count), &width, &height, &subsamp, &colorspace)
        }
        // TurboJPEG also returns -1 for recoverable warnings (e.g. extraneous bytes before a marker)
        // after filling in the header fields; only fatal errors stop here.
        // A fatal error after a warning also reports "warning", so the sizes must be checked too.
        guard headerStatus == 0 || tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue),
              width > 0, height > 0 else {
            throw CodecError("JPEG header could not be read: \(errorText(handle))")
        }
        guard width <= PixelBuffer.maxDimension, height <= PixelBuffer.maxDimension else {
            throw CodecError(
                "JPEG dimensions \(width)×\(height) are outside 1...\(PixelBuffer.maxDimension)")
        }
        guard Int(width) * Int(height) <= PixelBuffer.maxDecodedPixels else {
            throw CodecError(
                "JPEG dimensions \(width)×\(height) are more than the \(PixelBuffer.maxDecodedPixels)-pixel decoding limit")
        }
        let target = format ?? (colorspace == Int32(TJCS_GRAY.rawValue) ? .gray8 : .rgb8)
        let pixelFormat: TJPF
        switch target {
        case .rgb8: pixelFormat = TJPF_RGB
        case .bgr8: pixelFormat = TJPF_BGR
        case .rgba8: pixelFormat = TJPF_RGBA
        case .bgra8: pixelFormat = TJPF_BGRA
        case .gray8: pixelFormat = TJPF_GRAY
        }
        let w = Int(width), h = Int(height)
        let stride = w * target.channels
        // Zero-filled up front: TurboJPEG reports "warning" for a fatal error that follows an
        // earlier warning, so rows it never wrote must not expose stale heap memory.
        var pixels = [UInt8](repeating: 0, count: stride * h)
        let status = pixels.withUnsafeMutableBufferPointer { buffer in
            bytes.withUnsafeBufferPointer { source in
                tjDecompress2(
                    handle, source.baseAddress, UInt(source.count), buffer.baseAddress,
                    width, Int32(stride), height, Int32(pixelFormat.rawValue), 0)
            }
        }
        if status != 0 && tjGetErrorCode(handle) != Int32(TJERR_WARNING.rawValue) {
            throw CodecError("JPEG decoding failed: \(errorText(handle))")
        }
        return PixelBuffer(unchecked: w, height: h, format: target, rowStride: stride, bytes: pixels)
    }

    /// TurboJPEG's message for the last error on `handle` (or the global one for nil).
    private static func errorText(_ handle: tjhandle?) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown TurboJPEG error" }
        return String(cString: text)
    }
}
