import InferenceSDK

/// libFuzzer entry point: an error body through `ServerError.parse` and the non-2xx error builder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServerError(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntryPoints.parseServerError(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
