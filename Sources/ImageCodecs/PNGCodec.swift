import CPNG

/// Lossless PNG encoding and decoding through libpng's simplified `png_image` API, which reports
/// errors in `png_image.message` instead of longjmp-ing through Swift frames. Every call uses its
/// own `png_image`, so all functions are safe to call concurrently.
public enum PNGCodec: Sendable {
    /// Encodes pixels losslessly as an 8-bit PNG, keeping alpha; all five formats are accepted
    /// (BGR/BGRA are written as RGB/RGBA). `rowStride` padding is honoured.
    ///
    /// `fast: true` (the default) writes what OpenCV's `imencode(".png")` writes by default: the SUB filter on
    /// every row and zlib level 1 with the `Z_RLE` strategy. On a 1920×1080 RGB gradient-plus-noise image
    /// (release build) that took ~40 ms for 4.2 MB, as fast as OpenCV and smaller than libpng's own fast mode
    /// (`PNG_IMAGE_FLAG_FAST`: no filter, level 3; ~105 ms for 6.2 MB). `fast: false` uses libpng's defaults
    /// (adaptive filters, level 6: ~170 ms for 4.1 MB) for files that are stored or sent far.
    public static func encode(_ pixels: PixelBuffer, fast: Bool = true) throws(CodecError) -> [UInt8] {
        if fast { return try PNGFastWriter.encode(pixels) }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(pixels.width)  // PixelBuffer guarantees 1...65 500
        image.height = UInt32(pixels.height)
        image.format = pngFormat(pixels.format)
        image.flags = 0
        defer { png_image_free(&image) }
        guard let rowStride = Int32(exactly: pixels.rowStride) else {
            throw CodecError("row stride \(pixels.rowStride) is too large for libpng (at most \(Int32.max))")
        }

        // A NULL-buffer sizing call would run the whole compression just to count bytes (it doubles
        // the cost), so write once into scratch space of libpng's documented worst case
        // (PNG_IMAGE_PNG_SIZE_MAX) and copy out exactly; libpng reports the needed size if it was
        // ever too small, and we retry once with that.
        var capacity = maxEncodedSize(rowBytes: pixels.rowBytes, height: pixels.height)
        for _ in 0..<2 {
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
            defer { scratch.deallocate() }
            var written = png_alloc_size_t(capacity)
            let status = pixels.bytes.withUnsafeBytes { source in
                png_image_write_to_memory(
                    &image, scratch.baseAddress, &written, 0, source.baseAddress, rowStride, nil)
            }
            if status != 0, written > 0, written <= capacity {
                return Array(UnsafeRawBufferPointer(rebasing: scratch[0..<Int(written)]))
            }
            guard status == 0, written > capacity, let needed = Int(exactly: written) else { break }
            capacity = needed
        }
        throw CodecError("PNG encoding failed: \(message(image))")
    }

    /// PNG_IMAGE_PNG_SIZE_MAX for an 8-bit, non-colour-mapped image (the macro is not importable):
    /// the filtered data (one filter byte per row) through zlib's worst case, plus chunk overheads.
    static func maxEncodedSize(rowBytes: Int, height: Int) -> Int {
        let filtered = (rowBytes + 1) * height
        let deflated = filtered + (filtered + 7) / 8 + (filtered + 63) / 64 + 11
        let idatChunks = 12 * (deflated / Int(PNG_ZBUF_SIZE) + 1)
        return 8 + 25 + 16 + 44 + 12 + 12 + idatChunks + deflated
    }

    /// Decodes a PNG of any bit depth or colour type into 8-bit pixels.
    ///
    /// With `to: nil` the format is `rgba8` when the PNG has alpha (including a palette with tRNS),
    /// `gray8` for opaque grayscale, otherwise `rgb8`. Asking for a format without alpha drops the
    /// alpha channel without compositing (as OpenCV's `imdecode` does); asking for alpha on an
    /// opaque PNG yields alpha 255. libpng converts 16-bit and gamma-tagged images to 8-bit sRGB.
    public static func decode(_ bytes: [UInt8], to format: PixelFormat? = nil) throws(CodecError) -> PixelBuffer {
        guard !bytes.isEmpty else { throw CodecError("PNG data is empty (0 bytes)") }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }  // safe after libpng already freed it

        let begun = bytes.withUnsafeBytes { source in
            png_image_begin_read_from_memory(&image, source.baseAddress, source.count)
        }
        guard begun != 0 else {
            throw CodecError("PNG header could not be read: \(message(image))")
        }
        let sourceHasAlpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        let sourceIsColor = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        let target = format ?? (sourceHasAlpha ? .rgba8 : (sourceIsColor ? .rgb8 : .gray8))
        let width = Int(image.width), height = Int(image.height)
        guard (1...PixelBuffer.maxDimension).contains(width), (1...PixelBuffer.maxDimension).contains(height) else {
            throw CodecError("PNG dimensions \(width)×\(height) are outside 1...\(PixelBuffer.maxDimension)")
        }
        guard width * height <= PixelBuffer.maxDecodedPixels else {
            throw CodecError(
                "PNG dimensions \(width)×\(height) are more than the \(PixelBuffer.maxDecodedPixels)-pixel decoding limit")
        }

        // Read with alpha kept when it must be dropped afterwards: libpng would composite instead.
        let stripAlpha = sourceHasAlpha && !target.hasAlpha
        let readFormat: UInt32
        let readChannels: Int
        if stripAlpha {
            readFormat = target == .gray8 ? UInt32(PNG_FORMAT_FLAG_ALPHA) : pngFormat(target.withAlpha)
            readChannels = target.channels + 1
        } else {
            readFormat = pngFormat(target)
            readChannels = target.channels
        }
        image.format = readFormat
        let stride = width * readChannels
        var status: Int32 = 0
        let decoded = [UInt8](unsafeUninitializedCapacity: stride * height) { buffer, initialized in
            status = png_image_finish_read(&image, nil, buffer.baseAddress, Int32(stride), nil)
            if status == 0 { buffer.initialize(repeating: 0) }
            initialized = buffer.count
        }
        guard status != 0 else {
            throw CodecError("PNG decoding failed: \(message(image))")
        }
        let pixels = stripAlpha ? dropLastChannel(decoded, channels: readChannels) : decoded
        return PixelBuffer(
            unchecked: width, height: height, format: target, rowStride: width * target.channels, bytes: pixels)
    }

    /// The simplified-API format for a pixel format, built from the `PNG_FORMAT_FLAG_*` bits
    /// (the compound `PNG_FORMAT_*` macros are expressions Swift does not import).
    static func pngFormat(_ format: PixelFormat) -> UInt32 {
        let color = UInt32(PNG_FORMAT_FLAG_COLOR), alpha = UInt32(PNG_FORMAT_FLAG_ALPHA)
        let bgr = UInt32(PNG_FORMAT_FLAG_BGR)
        switch format {
        case .rgb8: return color
        case .bgr8: return color | bgr
        case .rgba8: return color | alpha
        case .bgra8: return color | bgr | alpha
        case .gray8: return UInt32(PNG_FORMAT_GRAY)
        }
    }

    /// Removes the trailing (alpha) channel from tightly packed pixels.
    private static func dropLastChannel(_ source: [UInt8], channels: Int) -> [UInt8] {
        let kept = channels - 1
        let pixelCount = source.count / channels
        return [UInt8](unsafeUninitializedCapacity: pixelCount * kept) { out, initialized in
            source.withUnsafeBufferPointer { input in
                for pixel in 0..<pixelCount {
                    for channel in 0..<kept {
                        out[pixel * kept + channel] = input[pixel * channels + channel]
                    }
                }
            }
            initialized = pixelCount * kept
        }
    }

    /// The NUL-terminated `png_image.message`, or a fallback when libpng left it empty.
    private static func message(_ image: png_image) -> String {
        let text = withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? "libpng reported no details" : text
    }
}

/// The `fast` PNG encoder: SUB-filtered rows streamed through zlib (level 1, `Z_RLE`) into IDAT chunks of at
/// most 256 KB, written straight into the output array. zlib reports errors as return codes (no longjmp).
enum PNGFastWriter {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let idatCapacity = 1 << 18

    static func encode(_ pixels: PixelBuffer) throws(CodecError) -> [UInt8] {
        let channels = pixels.format.channels
        let colorType: UInt8
        switch pixels.format {
        case .gray8: colorType = 0
        case .rgb8, .bgr8: colorType = 2
        case .rgba8, .bgra8: colorType = 6
        }
        let swapRedBlue = pixels.format == .bgr8 || pixels.format == .bgra8
        let rowBytes = pixels.rowBytes
        let filteredRow = rowBytes + 1
        var stream = z_stream()
        guard deflateInit2_(&stream, 1, Z_DEFLATED, 15, 8, Z_RLE, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CodecError("PNG encoding failed: zlib could not start a deflate stream")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(filteredRow) * uLong(pixels.height)))
        var output: [UInt8] = []
        output.reserveCapacity(8 + 25 + bound + (bound / idatCapacity + 1) * 12 + 12)
        output += signature
        var header = [UInt8](repeating: 0, count: 13)
        write32(UInt32(pixels.width), into: &header, at: 0)  // PixelBuffer guarantees 1...65 500
        write32(UInt32(pixels.height), into: &header, at: 4)
        header[8] = 8
        header[9] = colorType
        appendChunk("IHDR", header[...], to: &output)

        // Rows are filtered a strip (~64 KB) at a time; deflate output collects in `idat` until it is full.
        let rowsPerStrip = max(1, (1 << 16) / filteredRow)
        var strip = [UInt8](repeating: 0, count: rowsPerStrip * filteredRow)
        var idat = [UInt8](repeating: 0, count: idatCapacity)
        var idatFilled = 0
        var row = 0
        var status = Z_OK
        while row < pixels.height && status == Z_OK {
            let rows = min(rowsPerStrip, pixels.height - row)
            let flush = row + rows == pixels.height ? Z_FINISH : Z_NO_FLUSH
            status = strip.withUnsafeMutableBufferPointer { input -> Int32 in
                guard let stripBase = input.baseAddress else { return Z_MEM_ERROR }
                let filtered = pixels.bytes.withUnsafeBufferPointer { source -> Bool in
                    guard let sourceBase = source.baseAddress else { return false }
                    for r in 0..<rows {
                        subFilter(sourceBase + (row + r) * pixels.rowStride, stripBase + r * filteredRow,
                                  rowBytes: rowBytes, channels: channels, swapRedBlue: swapRedBlue)
                    }
                    return true
                }
                guard filtered else { return Z_MEM_ERROR }
                stream.next_in = stripBase
                stream.avail_in = uInt(rows * filteredRow)
                defer { stream.next_in = nil }
                // Bounded: every round either fills `idat` (then it is flushed) or consumes all input.
                while true {
                    if idatFilled == idatCapacity {
                        appendChunk("IDAT", idat[...], to: &output)
                        idatFilled = 0
                    }
                    let code = idat.withUnsafeMutableBufferPointer { out -> Int32 in
                        guard let outBase = out.baseAddress else { return Z_MEM_ERROR }
                        stream.next_out = outBase + idatFilled
                        stream.avail_out = uInt(idatCapacity - idatFilled)
                        defer { stream.next_out = nil }
                        let code = deflate(&stream, flush)
                        idatFilled = idatCapacity - Int(stream.avail_out)
                        return code
                    }
                    if code == Z_STREAM_END { return code }
                    guard code == Z_OK || code == Z_BUF_ERROR else { return code }
                    if stream.avail_out > 0 && (flush == Z_NO_FLUSH && stream.avail_in == 0 || code == Z_BUF_ERROR) {
                        return flush == Z_NO_FLUSH ? Z_OK : Z_BUF_ERROR
                    }
                }
            }
            row += rows
        }
        guard status == Z_STREAM_END else {
            throw CodecError("PNG encoding failed: zlib deflate returned \(status)")
        }
        if idatFilled > 0 { appendChunk("IDAT", idat[0..<idatFilled], to: &output) }
        appendChunk("IEND", [][...], to: &output)
        return output
    }

    /// Writes filter byte 1 (SUB) and each byte minus the same channel of the pixel to its left.
    @inline(__always)
    static func subFilter(
        _ src: UnsafePointer<UInt8>, _ dst: UnsafeMutablePointer<UInt8>, rowBytes: Int, channels: Int, swapRedBlue: Bool
    ) {
        dst[0] = 1
        let out = dst + 1
        if !swapRedBlue {
            for i in 0..<min(channels, rowBytes) { out[i] = src[i] }
            var i = channels
            while i < rowBytes {
                out[i] = src[i] &- src[i - channels]
                i += 1
            }
            return
        }
        // BGR(A) → RGB(A): swap channels 0 and 2 while filtering.
        var previous: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        var x = 0
        while x < rowBytes {
            let r = src[x + 2], g = src[x + 1], b = src[x]
            out[x] = r &- previous.0
            out[x + 1] = g &- previous.1
            out[x + 2] = b &- previous.2
            if channels == 4 {
                let a = src[x + 3]
                out[x + 3] = a &- previous.3
                previous.3 = a
            }
            previous = (r, g, b, previous.3)
            x += channels
        }
    }

    static func appendChunk(_ type: String, _ data: ArraySlice<UInt8>, to output: inout [UInt8]) {
        var length = [UInt8](repeating: 0, count: 4)
        write32(UInt32(data.count), into: &length, at: 0)
        output += length
        let typeBytes = Array(type.utf8)
        output += typeBytes
        output += data
        let crc = data.withUnsafeBytes { CRC32.checksum($0, continuing: CRC32.checksum(typeBytes)) }
        var trailer = [UInt8](repeating: 0, count: 4)
        write32(crc, into: &trailer, at: 0)
        output += trailer
    }

    static func write32(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        bytes[offset] = UInt8(value >> 24)
        bytes[offset + 1] = UInt8(value >> 16 & 0xFF)
        bytes[offset + 2] = UInt8(value >> 8 & 0xFF)
        bytes[offset + 3] = UInt8(value & 0xFF)
    }
}
