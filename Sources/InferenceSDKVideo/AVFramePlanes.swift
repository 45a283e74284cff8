import CFFmpeg

/// The fixed-size `data` / `linesize` arrays of an `AVFrame` (imported as tuples) as pointers and values.
enum AVFramePlanes {
    static func dataArray(_ frame: UnsafeMutablePointer<AVFrame>) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(frame) + dataOffset
    }

    static func strideArray(_ frame: UnsafeMutablePointer<AVFrame>) -> UnsafeMutablePointer<Int32> {
        (UnsafeMutableRawPointer(frame) + linesizeOffset).assumingMemoryBound(to: Int32.self)
    }

    static func data(_ frame: UnsafeMutablePointer<AVFrame>, _ plane: Int) -> UnsafeMutablePointer<UInt8>? {
        dataArray(frame).load(fromByteOffset: plane * MemoryLayout<UnsafeMutablePointer<UInt8>?>.stride, as: UnsafeMutablePointer<UInt8>?.self)
    }

    static func stride(_ frame: UnsafeMutablePointer<AVFrame>, _ plane: Int) -> Int32 {
        strideArray(frame)[plane]
    }

    private static let dataOffset = MemoryLayout<AVFrame>.offset(of: \AVFrame.data) ?? 0
    private static let linesizeOffset = MemoryLayout<AVFrame>.offset(of: \AVFrame.linesize) ?? 64
}
