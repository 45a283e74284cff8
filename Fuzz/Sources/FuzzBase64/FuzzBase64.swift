import InferenceSDK

/// libFuzzer entry point: `Base64.decode` (text, raw with a limit) and an encode/decode round trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBase64(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntryPoints.base64(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
