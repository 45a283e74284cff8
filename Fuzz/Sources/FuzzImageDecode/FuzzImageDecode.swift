import ImageCodecs

/// libFuzzer entry point: `JPEGCodec.decode` / `PNGCodec.decode` (through `ImageDecoder`) on any bytes; a
/// decoded buffer must match the header's dimensions and have a consistent geometry.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let formats: [PixelFormat?] = [nil, .rgb8, .gray8, .bgra8]
    let format = formats[size % formats.count]
    guard let pixels = try? ImageDecoder.decode(bytes, to: format) else { return 0 }
    if pixels.bytes.count != pixels.rowStride * pixels.height { fatalError("decoded buffer size does not match its geometry") }
    if let format, pixels.format != format { fatalError("decoder ignored the requested format") }
    if let info = ImageInfo.read(bytes), info.format == .jpeg, (info.width, info.height) != (pixels.width, pixels.height) {
        fatalError("JPEG header says \(info.width)×\(info.height), decoder produced \(pixels.width)×\(pixels.height)")
    }
    return 0
}
