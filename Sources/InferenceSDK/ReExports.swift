// What users of InferenceSDK need from the codec module, re-exported by name (not the whole module): raw
// pixels to send (`PixelBuffer`, `PixelFormat`; `CodecError`, the underlying error of a refused buffer) and the format
// of returned images (`ImageFormat`). The codecs themselves stay internal to the SDK.
@_exported import struct ImageCodecs.PixelBuffer
@_exported import enum ImageCodecs.PixelFormat
@_exported import enum ImageCodecs.ImageFormat
@_exported import struct ImageCodecs.CodecError
