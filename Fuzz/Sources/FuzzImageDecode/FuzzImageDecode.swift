import ImageCodecs

/// Inputs whose header declares more pixels than this are not decoded by the harness (its memory bound, not a
/// library limit: the decoders accept up to `PixelBuffer.maxDecodedPixels`, 2^30, i.e. up to 4 GB of pixels;
/// 2^22 pixels keep each decode under 16 MB, so ASan's allocator stays under the 3 GB RSS limit).
let harnessPixelBound = 1 << 22

/// libFuzzer entry point: `JPEGCodec.decode` / `PNGCodec.decode` (through `ImageDecoder`) on any bytes; a
/// decoded buffer must match the header's dimensions and have a consistent geometry, and an image declaring
/// more than `PixelBuffer.maxDecodedPixels` must be refused before anything is allocated.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let formats: [PixelFormat?] = [nil, .rgb8, .gray8, .bgra8]
    let format = formats[size % formats.count]
    let info = ImageInfo.read(bytes)
    // TIFF and BMP headers declare up to 2^32 per side: the product may not fit in an Int.
    let declared = info.map { $0.width.multipliedReportingOverflow(by: $0.height) }.map { $0.overflow ? Int.max : $0.partialValue }
    if let info, let declared, declared > harnessPixelBound {
        let decodable = info.format == .jpeg || info.format == .png
        if decodable, declared > PixelBuffer.maxDecodedPixels, (try? ImageDecoder.decode(bytes, to: format)) != nil {
            fatalError("decoded an image declaring \(info.width)×\(info.height), beyond the decoding limit")
        }
        return 0
    }
    guard let pixels = try? ImageDecoder.decode(bytes, to: format) else { return 0 }
    if pixels.bytes.count != pixels.rowStride * pixels.height { fatalError("decoded buffer size does not match its geometry") }
    if let format, pixels.format != format { fatalError("decoder ignored the requested format") }
    if let info, info.format == .jpeg, (info.width, info.height) != (pixels.width, pixels.height) {
        fatalError("JPEG header says \(info.width)×\(info.height), decoder produced \(pixels.width)×\(pixels.height)")
    }
    return 0
}
