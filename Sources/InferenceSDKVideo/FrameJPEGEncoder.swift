import CFFmpeg
import CVideoKernels
import InferenceSDK

/// Encodes decoded pictures as JPEG straight from the decoder's YUV planes (no RGB conversion) with libjpeg-turbo's
/// raw-data interface, one MCU row at a time (`rf_jpeg_encode_planes`): limited-range ("TV") video is expanded to
/// JPEG's full range a strip of rows at a time as the encoder takes them, not into a copy of the whole picture.
/// Pixel formats that are not planar 4:2:0, 4:2:2 or 4:4:4 go through swscale to 4:2:0 first.
///
/// Not thread-safe: one per producer thread; buffers are reused from frame to frame.
final class FrameJPEGEncoder {
    private let quality: Int32
    private let encoder: OpaquePointer
    private var scaler: OpaquePointer?
    private var scaled: UnsafeMutablePointer<AVFrame>?

    init(quality: Int) throws(InferenceError) {
        self.quality = Int32(min(100, max(1, quality)))
        guard let encoder = rf_jpeg_encoder_create() else {
            throw InferenceError(.invalidConfiguration, "the JPEG encoder could not be initialised (out of memory)")
        }
        self.encoder = encoder
    }

    deinit {
        rf_jpeg_encoder_destroy(encoder)
        if let scaler { sws_freeContext(scaler) }
        av_frame_free(&scaled)
    }

    /// The JPEG for `frame`.
    func encode(_ frame: UnsafeMutablePointer<AVFrame>) throws(InferenceError) -> [UInt8] {
        let width = Int(frame.pointee.width)
        let height = Int(frame.pointee.height)
        let format = frame.pointee.format
        let full = frame.pointee.color_range == AVCOL_RANGE_JPEG
        // Pixel format → chroma subsampling (horizontal, vertical) and whether the samples are already full range.
        let direct: [(Int32, (Int32, Int32), Bool)] = [
            (AV_PIX_FMT_YUVJ420P.rawValue, (2, 2), true), (AV_PIX_FMT_YUV420P.rawValue, (2, 2), full),
            (AV_PIX_FMT_YUVJ422P.rawValue, (2, 1), true), (AV_PIX_FMT_YUV422P.rawValue, (2, 1), full),
            (AV_PIX_FMT_YUVJ444P.rawValue, (1, 1), true), (AV_PIX_FMT_YUV444P.rawValue, (1, 1), full),
        ]
        if let match = direct.first(where: { $0.0 == format }) {
            return try encodePlanes(frame, width: width, height: height, factors: match.1, fullRange: match.2)
        }
        let converted = try convert(frame, width: width, height: height)
        return try encodePlanes(converted, width: width, height: height, factors: (2, 2), fullRange: true)
    }

    private func encodePlanes(
        _ frame: UnsafeMutablePointer<AVFrame>, width: Int, height: Int, factors: (Int32, Int32), fullRange: Bool
    ) throws(InferenceError) -> [UInt8] {
        let planes: [UnsafePointer<UInt8>?] = (0..<3).map { UnsafePointer(AVFramePlanes.data(frame, $0)) }
        let strides: [Int] = (0..<3).map { Int(AVFramePlanes.stride(frame, $0)) }
        var jpeg: UnsafePointer<UInt8>?
        var size = 0
        let code = planes.withUnsafeBufferPointer { planeBuffer in
            strides.withUnsafeBufferPointer { strideBuffer in
                rf_jpeg_encode_planes(
                    encoder, planeBuffer.baseAddress, strideBuffer.baseAddress, Int32(width), Int32(height),
                    factors.0, factors.1, quality, fullRange ? 0 : 1, &jpeg, &size
                )
            }
        }
        guard code == 0, let jpeg else {
            let reason = rf_jpeg_encoder_error(encoder).map { String(cString: $0) } ?? "unknown error"
            throw InferenceError(.invalidInput, "JPEG encoding of a \(width)×\(height) frame failed: \(reason)")
        }
        return Array(UnsafeBufferPointer(start: jpeg, count: size))
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

