import ImageCodecs
/// An image ready for the wire.
enum ResolvedImage: Sendable {
    /// Encoded bytes to send as base64.
    case encoded([UInt8])
    /// A URL for the server to fetch.
    case reference(String)
    /// Encoded bytes of a video frame, sent with its `video_metadata`.
    case frame([UInt8], VideoMetadata)

    /// Bytes this image adds to a request body (approximately, for size checks).
    var wireSize: Int {
        switch self {
        case .encoded(let bytes): return Base64.encodedLength(bytes.count) + 32
        case .reference(let url): return url.utf8.count + 32
        case .frame(let bytes, let metadata): return Base64.encodedLength(bytes.count) + 256 + (metadata.videoIdentifier?.utf8.count ?? 0)
        }
    }
}

/// An image input ready for the wire, keeping the caller's batch structure.
indirect enum ResolvedInput: Sendable {
    case image(ResolvedImage)
    case batch([ResolvedInput])

    var batchCount: Int {
        if case .batch(let items) = self { return items.count }
        return 1
    }

    var wireSize: Int {
        switch self {
        case .image(let image): return image.wireSize
        case .batch(let items): return items.reduce(2) { $0 + $1.wireSize + 1 }
        }
    }
}
