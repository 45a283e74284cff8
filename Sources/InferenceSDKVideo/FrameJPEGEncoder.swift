import CFFmpeg
import CTurboJPEG
import CVideoKernels
import InferenceSDK

/// Encodes decoded pictures as JPEG with libturbojpeg, straight from the decoder's YUV planes
/// (`tjCompressFromYUVPlanes`: no RGB conversion). Limited-range ("TV") video is expanded to JPEG's full
/// range (`rf_expand_plane_range`, SSE2); pixel formats TurboJPEG cannot take as planes go through swscale to 4:2:0.
///
/// Not thread-safe: one per producer thread; buffers are reused from frame to frame.
final class FrameJPEGEncoder {
    private let quality: Int32
    private var handle: tjhandle?
    private var output: UnsafeMutablePointer<UInt8>?
    private var outputCapacity: UInt = 0
    private var planes: [[UInt8]] = [[], [], []]
    private var scaler: OpaquePointer?
    private var scaled: UnsafeMutablePointer<AVFrame>?

    init(quality: Int) throws(InferenceError) {
        self.quality = Int32(min(100, max(1, quality)))
        handle = tjInitCompress()
        guard handle != nil else { throw InferenceError(.invalidConfiguration, "libturbojpeg could not be initialised") }
    }

    deinit {
        if let output { tjFree(output) }
        if let handle { tjDestroy(handle) }
        if let scaler { sws_freeContext(scaler) }
        av_frame_free(&scaled)
    }

    /// The JPEG for `frame`.
    func encode(_ frame: UnsafeMutablePointer<AVFrame>) throws(InferenceError) -> [UInt8] {
        let width = Int(frame.pointee.width)
        let height = Int(frame.pointee.height)
        let format = frame.pointee.format
        let full = frame.pointee.color_range == AVCOL_RANGE_JPEG
        let direct: [(Int32, Int32, Bool)] = [
            (AV_PIX_FMT_YUVJ420P.rawValue, Int32(TJSAMP_420.rawValue), true), (AV_PIX_FMT_YUV420P.rawValue, Int32(TJSAMP_420.rawValue), full),
            (AV_PIX_FMT_YUVJ422P.rawValue, Int32(TJSAMP_422.rawValue), true), (AV_PIX_FMT_YUV422P.rawValue, Int32(TJSAMP_422.rawValue), full),
            (AV_PIX_FMT_YUVJ444P.rawValue, Int32(TJSAMP_444.rawValue), true), (AV_PIX_FMT_YUV444P.rawValue, Int32(TJSAMP_444.rawValue), full),
        ]
        if let match = direct.first(where: { $0.0 == format }) {
            return try encodePlanes(frame, width: width, height: height, subsampling: match.1, fullRange: match.2)
        }
        let converted = try convert(frame, width: width, height: height)
        return try encodePlanes(converted, width: width, height: height, subsampling: Int32(TJSAMP_420.rawValue), fullRange: true)
    }

    private func encodePlanes(
        _ frame: UnsafeMutablePointer<AVFrame>, width: Int, height: Int, subsampling: Int32, fullRange: Bool
    ) throws(InferenceError) -> [UInt8] {
        let chromaWidth = subsampling == Int32(TJSAMP_444.rawValue) ? width : (width + 1) / 2
        let chromaHeight = subsampling == Int32(TJSAMP_420.rawValue) ? (height + 1) / 2 : height
        let needed = tjBufSize(Int32(width), Int32(height), subsampling)
        if needed > outputCapacity {
            if let output { tjFree(output) }
            output = tjAlloc(Int32(needed))
            outputCapacity = output == nil ? 0 : needed
        }
        guard let handle, output != nil else { throw InferenceError(.invalidConfiguration, "out of memory for a \(width)×\(height) JPEG") }
        var strides: [Int32] = (0..<3).map { AVFramePlanes.stride(frame, $0) }
        var sources: [UnsafePointer<UInt8>?] = (0..<3).map { UnsafePointer(AVFramePlanes.data(frame, $0)) }
        if !fullRange {
            // Expand limited range into our own planes.
            let sizes = [(width, height), (chromaWidth, chromaHeight), (chromaWidth, chromaHeight)]
            for p in 0..<3 {
                let (w, h) = sizes[p]
                if planes[p].count < w * h { planes[p] = [UInt8](repeating: 0, count: w * h) }
                guard let src = sources[p] else { continue }
                planes[p].withUnsafeMutableBufferPointer { dst in
                    rf_expand_plane_range(src, Int(strides[p]), dst.baseAddress, w, Int32(w), Int32(h), p == 0 ? 0 : 1)
                }
                strides[p] = Int32(w)
            }
        }
        var size: UInt = outputCapacity
        let code: Int32 = fullRange
            ? compress(handle, &sources, width, &strides, height, subsampling, &size)
            : planes[0].withUnsafeBufferPointer { y in
                planes[1].withUnsafeBufferPointer { u in
                    planes[2].withUnsafeBufferPointer { v in
                        var own: [UnsafePointer<UInt8>?] = [y.baseAddress, u.baseAddress, v.baseAddress]
                        return compress(handle, &own, width, &strides, height, subsampling, &size)
                    }
                }
            }
        guard code == 0, let output else {
            let text = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown error"
            throw InferenceError(.invalidInput, "JPEG encoding of a \(width)×\(height) frame failed: \(text)")
        }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }

    private func compress(
        _ handle: tjhandle, _ sources: inout [UnsafePointer<UInt8>?], _ width: Int, _ strides: inout [Int32], _ height: Int,
        _ subsampling: Int32, _ size: inout UInt
    ) -> Int32 {
        var buffer = output
        return sources.withUnsafeMutableBufferPointer { planes in
            strides.withUnsafeBufferPointer { strideBuffer in
                tjCompressFromYUVPlanes(
                    handle, planes.baseAddress, Int32(width), strideBuffer.baseAddress, Int32(height), subsampling,
                    &buffer, &size, quality, TJFLAG_NOREALLOC
                )
            }
        }
    }

    /// Converts any pixel format to full-range 4:2:0 planes with swscale.
    private func convert(_ frame: UnsafeMutablePointer<AVFrame>, width: Int, height: Int) throws(InferenceError) -> UnsafeMutablePointer<AVFrame> {
        let source = AVPixelFormat(rawValue: frame.pointee.format)
        scaler = sws_getCachedContext(
            scaler, Int32(width), Int32(height), source, Int32(width), Int32(height), AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil
        )
        if scaled == nil || scaled?.pointee.width != Int32(width) || scaled?.pointee.height != Int32(height) {
            av_frame_free(&scaled)
            scaled = av_frame_alloc()
            scaled?.pointee.width = Int32(width)
            scaled?.pointee.height = Int32(height)
            scaled?.pointee.format = AV_PIX_FMT_YUV420P.rawValue
            if let scaled, av_frame_get_buffer(scaled, 0) < 0 { av_frame_free(&self.scaled) }
        }
        guard let scaler, let scaled else {
            throw InferenceError(.invalidInput, "frames in pixel format \(av_get_pix_fmt_name(source).map { String(cString: $0) } ?? "?") cannot be converted")
        }
        // Source range as the frame says; destination full range (JPEG).
        let coefficients = sws_getCoefficients(SWS_CS_DEFAULT)
        sws_setColorspaceDetails(scaler, coefficients, frame.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0, coefficients, 1, 0, 1 << 16, 1 << 16)
        let srcData = AVFramePlanes.dataArray(frame).assumingMemoryBound(to: UnsafePointer<UInt8>?.self)
        let srcStride = AVFramePlanes.strideArray(frame)
        let dstData = AVFramePlanes.dataArray(scaled)
        let dstStride = AVFramePlanes.strideArray(scaled)
        sws_scale(scaler, srcData, srcStride, 0, Int32(height), dstData.assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self), dstStride)
        return scaled
    }
}

