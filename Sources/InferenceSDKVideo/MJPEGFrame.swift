/// Checks a JPEG taken from an MJPEG source before it is sent as it is.
enum MJPEGFrame {
    enum Verdict: Equatable {
        /// A complete baseline/progressive JPEG with its own Huffman tables: send as is.
        case complete
        /// A camera-style frame without Huffman tables (AVI1/V4L2 MJPEG): decode and re-encode.
        case needsTables
        /// Not a complete JPEG (truncated, garbage): skip.
        case corrupt
    }

    /// Walks the markers up to start-of-scan and looks for end-of-image at the end.
    static func check(_ bytes: [UInt8]) -> Verdict {
        let n = bytes.count
        guard n >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return .corrupt }
        // End of image, allowing zero padding after it (AVI chunks are padded).
        var end = n - 1
        var padding = 0
        while end > 1 && bytes[end] == 0x00 && padding < 64 {
            end -= 1
            padding += 1
        }
        guard end >= 3, bytes[end] == 0xD9, bytes[end - 1] == 0xFF else { return .corrupt }
        var i = 2
        var hasTables = false
        var hasFrame = false
        while i + 3 < n {
            guard bytes[i] == 0xFF else { return .corrupt }
            let marker = bytes[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xDA { return hasFrame ? (hasTables ? .complete : .needsTables) : .corrupt }
            if marker == 0xD9 { return .corrupt }
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { i += 2; continue }
            let length = Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length >= 2 else { return .corrupt }
            if marker == 0xC4 { hasTables = true }
            if (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC { hasFrame = true }
            i += 2 + length
        }
        return .corrupt
    }
}
