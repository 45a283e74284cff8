import ImageCodecs

/// libFuzzer entry point: `ImageFormat.sniff`, `ImageInfo.read` and `ImageIntegrity.check`, which must agree.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let format = ImageFormat.sniff(bytes)
    let info = ImageInfo.read(bytes)
    if let info {
        if info.format != format { fatalError("ImageInfo.read and ImageFormat.sniff disagree") }
        if info.width <= 0 || info.height <= 0 { fatalError("ImageInfo.read returned a non-positive size") }
    }
    if let checked = try? ImageIntegrity.check(bytes), checked != info {
        fatalError("ImageIntegrity.check passed but disagrees with ImageInfo.read")
    }
    return 0
}
