import CByteKernels

/// JPEG marker-segment walking shared by ``ImageInfo`` (header only) and ``ImageIntegrity``
/// (whole stream, skipping entropy-coded data with a vectorised scan instead of decoding it).
enum JPEGStructure {
    /// SOF0...SOF15, excluding DHT (C4), JPG (C8) and DAC (CC), which share the range.
    static func isStartOfFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }

    /// Markers that stand alone, without a length field: TEM and RST0...RST7.
    static func isStandalone(_ marker: UInt8) -> Bool {
        marker == 0x01 || (0xD0...0xD7).contains(marker)
    }

    /// A short name for messages, e.g. "APP1", "SOF2", "DQT" or "marker 0xFE".
    static func name(_ marker: UInt8) -> String {
        switch marker {
        case 0xC4: return "DHT"
        case 0xCC: return "DAC"
        case 0xDA: return "SOS"
        case 0xDB: return "DQT"
        case 0xDD: return "DRI"
        case 0xFE: return "COM"
        case 0xE0...0xEF: return "APP\(marker - 0xE0)"
        default:
            if isStartOfFrame(marker) { return "SOF\(marker - 0xC0)" }
            return "marker 0x" + hex([marker])
        }
    }

    /// Walks the marker segments after SOI to the first SOFn and returns its width and height.
    /// nil when the walk leaves the data, meets a scan or EOI first, or finds a non-marker byte.
    static func frameSize(_ r: ByteReader) -> (width: Int, height: Int)? {
        guard r.matches(0, [0xFF, 0xD8]) else { return nil }
        var offset = 2
        while true {
            guard r.u8(offset) == 0xFF else { return nil }
            var position = offset + 1
            while r.u8(position) == 0xFF { position += 1 }  // fill bytes
            guard let marker = r.u8(position) else { return nil }
            let segment = position + 1
            if isStandalone(marker) {
                offset = segment
                continue
            }
            if marker == 0x00 || marker == 0xD8 || marker == 0xD9 || marker == 0xDA { return nil }
            guard let length = r.u16be(segment), length >= 2 else { return nil }
            if isStartOfFrame(marker) {
                guard length >= 8, let height = r.u16be(segment + 3), let width = r.u16be(segment + 5)
                else { return nil }
                return (width, height)
            }
            offset = segment + length
        }
    }

    /// Validates the whole marker structure: every segment fits, a SOFn precedes the first SOS,
    /// and an EOI follows the entropy-coded data. Bytes after EOI are ignored.
    static func check(_ r: ByteReader) throws(CodecError) {
        guard r.matches(0, [0xFF, 0xD8]) else {
            throw CodecError("JPEG has no start-of-image marker (FFD8) at offset 0")
        }
        var sawFrame = false
        var sawScan = false
        var offset = 2
        while true {
            guard let byte = r.u8(offset) else {
                if !sawFrame {
                    throw CodecError(
                        "JPEG has no frame header (SOFn): the data ends after \(r.count) bytes of marker segments")
                }
                if !sawScan {
                    throw CodecError(
                        "JPEG contains only headers: it ends at offset \(r.count) after the frame header, with no scan data (SOS)")
                }
                throw CodecError("JPEG is truncated: the data ends at offset \(r.count) without an end-of-image marker (FFD9)")
            }
            guard byte == 0xFF else {
                throw CodecError("JPEG is corrupt: expected a marker at offset \(offset) but found 0x\(hex([byte]))")
            }
            var position = offset + 1
            while r.u8(position) == 0xFF { position += 1 }
            guard let marker = r.u8(position) else {
                throw CodecError("JPEG is truncated: the data ends inside a marker at offset \(offset)")
            }
            let segment = position + 1
            if isStandalone(marker) {
                offset = segment
                continue
            }
            switch marker {
            case 0x00, 0xD8:
                throw CodecError("JPEG is corrupt: unexpected \(marker == 0 ? "byte 0xFF00" : "second SOI marker") at offset \(offset)")
            case 0xD9:
                guard sawFrame else {
                    throw CodecError("JPEG has no frame header (SOFn): end-of-image marker at offset \(offset) comes first")
                }
                guard sawScan else {
                    throw CodecError("JPEG contains only headers: end-of-image marker at offset \(offset) comes before any scan data (SOS)")
                }
                return
            default:
                break
            }
            guard let length = r.u16be(segment), length >= 2 else {
                throw CodecError(
                    "JPEG is truncated or corrupt: \(name(marker)) segment at offset \(offset) has no valid length")
            }
            guard r.has(segment, length) else {
                throw CodecError(
                    "JPEG is truncated: \(name(marker)) segment at offset \(offset) declares \(length) bytes but only \(r.count - segment) remain")
            }
            if isStartOfFrame(marker) {
                guard length >= 8, let height = r.u16be(segment + 3), let width = r.u16be(segment + 5),
                      width > 0, height > 0 else {
                    throw CodecError("JPEG frame header (\(name(marker))) at offset \(offset) declares no usable width and height")
                }
                sawFrame = true
            }
            offset = segment + length
            if marker == 0xDA {
                guard sawFrame else {
                    throw CodecError("JPEG has no frame header (SOFn) before its first scan (SOS) at offset \(position - 1)")
                }
                sawScan = true
                offset = try endOfEntropyData(r, from: offset)
            }
        }
    }

    /// Finds the first real marker after entropy-coded data starting at `start`, skipping
    /// stuffed FF00 bytes, RST0...RST7 and fill bytes; returns the offset of its 0xFF.
    private static func endOfEntropyData(_ r: ByteReader, from start: Int) throws(CodecError) -> Int {
        let count = r.count
        if let base = r.bytes.baseAddress, start < count {
            let position = rf_jpeg_entropy_end(base.assumingMemoryBound(to: UInt8.self), start, count)
            if position >= 0 { return position }
        }
        throw CodecError(
            "JPEG is truncated: entropy-coded data starting at offset \(start) runs to the end of the data (\(count) bytes) without an end-of-image marker (FFD9)")
    }
}
