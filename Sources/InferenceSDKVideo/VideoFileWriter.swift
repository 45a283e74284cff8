import CFFmpeg
import Foundation
import InferenceSDK

/// Writes an MP4 with libavformat/libavcodec: H.264 through libx264 when this FFmpeg has it, else MPEG-4 Part 2.
/// Frames are RGB pixel buffers, scaled to the first frame's size when an image changes size.
final class VideoFileWriter {
    let path: String
    let codecName: String
    private(set) var frames = 0
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var stream: UnsafeMutablePointer<AVStream>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var scaler: OpaquePointer?
    private let width: Int32
    private let height: Int32
    private var closed = false

    init(path: String, width: Int, height: Int, fps: Double) throws(InferenceError) {
        self.path = path
        // Encoders want even sizes for 4:2:0.
        self.width = Int32(max(2, width & ~1))
        self.height = Int32(max(2, height & ~1))
        func failure(_ what: String, _ code: Int32) -> InferenceError {
            if code < 0 && -code < 200 { return InferenceError.localIO(what, path, code: -code) }
            return InferenceError(.localIO, "\(what) \(path): \(ffmpegErrorText(code))", input: path)
        }
        var context: UnsafeMutablePointer<AVFormatContext>?
        var code = avformat_alloc_output_context2(&context, nil, "mp4", path)
        guard code >= 0, let context else { throw failure("create video", code) }
        format = context
        let encoder = avcodec_find_encoder_by_name("libx264") ?? avcodec_find_encoder(AV_CODEC_ID_MPEG4)
        guard let encoder, let codecContext = avcodec_alloc_context3(encoder), let newStream = avformat_new_stream(context, nil) else {
            throw InferenceError(.invalidConfiguration, "this FFmpeg has neither a libx264 nor an mpeg4 encoder")
        }
        codec = codecContext
        stream = newStream
        codecName = String(cString: encoder.pointee.name)
        let timeScale = Int32(max(1, min(1_000_000, (fps * 1000).rounded())))
        codecContext.pointee.width = self.width
        codecContext.pointee.height = self.height
        codecContext.pointee.time_base = AVRational(num: 1000, den: timeScale)
        codecContext.pointee.framerate = AVRational(num: timeScale, den: 1000)
        codecContext.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        codecContext.pointee.gop_size = 30
        codecContext.pointee.thread_count = 0
        if codecName == "libx264" {
            av_opt_set(codecContext.pointee.priv_data, "preset", "veryfast", 0)
            av_opt_set(codecContext.pointee.priv_data, "crf", "20", 0)
        } else {
            codecContext.pointee.flags |= AV_CODEC_FLAG_QSCALE
            codecContext.pointee.global_quality = FF_QP2LAMBDA * 3
        }
        if (context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER) != 0 {
            codecContext.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER
        }
        code = avcodec_open2(codecContext, encoder, nil)
        guard code >= 0 else { throw InferenceError(.invalidConfiguration, "the \(codecName) encoder did not open: \(ffmpegErrorText(code))") }
        avcodec_parameters_from_context(newStream.pointee.codecpar, codecContext)
        newStream.pointee.time_base = codecContext.pointee.time_base
        newStream.pointee.avg_frame_rate = codecContext.pointee.framerate
        code = avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE)
        guard code >= 0 else { throw failure("create", code) }
        code = avformat_write_header(context, nil)
        guard code >= 0 else { throw failure("write", code) }
        frame = av_frame_alloc()
        packet = av_packet_alloc()
        guard let frame else { throw InferenceError(.invalidConfiguration, "out of memory") }
        frame.pointee.width = self.width
        frame.pointee.height = self.height
        frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        code = av_frame_get_buffer(frame, 0)
        guard code >= 0 else { throw InferenceError(.invalidConfiguration, "out of memory for video frames") }
    }

    deinit {
        if !closed, let format {
            if format.pointee.pb != nil { avio_closep(&format.pointee.pb) }
        }
        sws_freeContext(scaler)
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
        avformat_free_context(format)
    }

    /// Appends one picture (RGB, any size).
    func append(_ picture: PixelBuffer) throws(InferenceError) {
        guard let frame, let codec else { return }
        let source: AVPixelFormat
        switch picture.format {
        case .rgb8: source = AV_PIX_FMT_RGB24
        case .bgr8: source = AV_PIX_FMT_BGR24
        case .rgba8: source = AV_PIX_FMT_RGBA
        case .bgra8: source = AV_PIX_FMT_BGRA
        case .gray8: source = AV_PIX_FMT_GRAY8
        }
        scaler = sws_getCachedContext(
            scaler, Int32(picture.width), Int32(picture.height), source, width, height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil
        )
        guard let scaler else { throw InferenceError(.invalidInput, "cannot convert a \(picture.width)×\(picture.height) image for \(path)") }
        av_frame_make_writable(frame)
        picture.bytes.withUnsafeBufferPointer { bytes in
            var planes: [UnsafePointer<UInt8>?] = [bytes.baseAddress, nil, nil, nil]
            var strides: [Int32] = [Int32(picture.rowStride), 0, 0, 0]
            _ = sws_scale(
                scaler, &planes, &strides, 0, Int32(picture.height),
                AVFramePlanes.dataArray(frame).assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self), AVFramePlanes.strideArray(frame)
            )
        }
        frame.pointee.pts = Int64(frames)
        frames += 1
        try send(frame, codec)
    }

    /// Flushes the encoder and closes the file.
    func finish() throws(InferenceError) {
        guard !closed, let codec, let format else { return }
        try send(nil, codec)
        closed = true
        let code = av_write_trailer(format)
        avio_closep(&format.pointee.pb)
        if code < 0 { throw InferenceError(.localIO, "write \(path): \(ffmpegErrorText(code))", input: path) }
    }

    private func send(_ frame: UnsafeMutablePointer<AVFrame>?, _ codec: UnsafeMutablePointer<AVCodecContext>) throws(InferenceError) {
        guard let packet, let format, let stream else { return }
        var code = avcodec_send_frame(codec, frame)
        guard code >= 0 else { throw InferenceError(.invalidInput, "encoding a frame of \(path) failed: \(ffmpegErrorText(code))") }
        while true {
            code = avcodec_receive_packet(codec, packet)
            if code == rf_averror_eagain() || code == rf_averror_eof() { return }
            guard code >= 0 else { throw InferenceError(.invalidInput, "encoding \(path) failed: \(ffmpegErrorText(code))") }
            av_packet_rescale_ts(packet, codec.pointee.time_base, stream.pointee.time_base)
            packet.pointee.stream_index = stream.pointee.index
            code = av_interleaved_write_frame(format, packet)
            av_packet_unref(packet)
            if code < 0 {
                if -code < 200 { throw InferenceError.localIO("write", path, code: -code) }
                throw InferenceError(.localIO, "write \(path): \(ffmpegErrorText(code))", input: path)
            }
        }
    }
}
