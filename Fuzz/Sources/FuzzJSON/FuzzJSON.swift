import InferenceSDK

/// libFuzzer entry point: `JSONValue(parsing:)` plus a serialise/parse round trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzEntryPoints.parseJSON(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
