import InferenceSDK

/// libFuzzer entry point: a 200 body through `WorkflowResponseDecoder.decodeSuccess` and every typed accessor.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponseDecoder(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntryPoints.decodeResponse(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
