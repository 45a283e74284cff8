import CFFmpeg
import Foundation
import InferenceSDK

/// One frame as it leaves the decoder: JPEG bytes taken from the source as they are, or a decoded picture
/// (valid until the next call).
enum DecodedPayload {
    /// A complete JPEG from an MJPEG source.
    case jpeg([UInt8])
    /// A decoded picture owned by the decoder.
    case picture(UnsafeMutablePointer<AVFrame>)
}

/// Opens a video source with libavformat and yields its frames in order with libavcodec.
///
/// Not thread-safe: one thread uses it at a time (the frame producer's). Opening reads up to the first
/// frame, so a source that is missing, not a video, truncated before its first frame or in an unsupported
/// codec fails in `init`, before anything is sent.
final class VideoDecoder: @unchecked Sendable {
    let info: VideoInfo
    /// Frames skipped because their data was corrupt.
    private(set) var corruptFrames = 0

    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private let streamIndex: Int32
    private let timeBase: Double
    private let startPTS: Int64
    private let stopFlag: StopFlag
    private var draining = false
    private var finished = false
    private var frameCount = 0
    private var pending: (number: Int, pts: Double, payload: DecodedPayload)?
    private var pendingJPEG: [UInt8]?

    private static let setUp: Void = {
        av_log_set_level(AV_LOG_FATAL)
        avformat_network_init()
    }()

    /// Whether libavdevice could be loaded (once, on the first camera source).
    private static let devicesRegistered: Bool = rf_avdevice_register_all_dynamic() == 0

    init(_ source: VideoSource, stopFlag: StopFlag, openTimeout: Double = 20) throws(InferenceError) {
        _ = Self.setUp
        self.stopFlag = stopFlag
        let name = source.description
        func refuse(_ cause: String) -> InferenceError {
            InferenceError(.invalidInput, cause, input: "video \(name)")
        }
        var isStill = false
        if source.kind == .file {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: source.location, isDirectory: &isDirectory)
            if !exists && !source.location.contains("%") { throw refuse("no such file") }
            if exists && isDirectory.boolValue { throw refuse("is a folder, not a video file") }
            if exists && !FileManager.default.isReadableFile(atPath: source.location) { throw refuse("cannot be read (permission denied)") }
            if exists, let attributes = try? FileManager.default.attributesOfItem(atPath: source.location),
               (attributes[.size] as? NSNumber)?.intValue == 0 {
                throw refuse("is empty")
            }
            isStill = exists
        }

        var context = avformat_alloc_context()
        guard context != nil else { throw refuse("out of memory") }
        context?.pointee.interrupt_callback.callback = { opaque in
            guard let opaque else { return 0 }
            return Unmanaged<StopFlag>.fromOpaque(opaque).takeUnretainedValue().shouldInterrupt ? 1 : 0
        }
        context?.pointee.interrupt_callback.opaque = Unmanaged.passUnretained(stopFlag).toOpaque()
        var options: OpaquePointer?
        for (key, value) in source.formatOptions { av_dict_set(&options, key, value, 0) }
        var inputFormat: UnsafePointer<AVInputFormat>?
        if source.kind == .device {
            guard Self.devicesRegistered else { throw refuse("cannot be opened: libavdevice (FFmpeg's camera support) is not installed") }
            inputFormat = av_find_input_format("v4l2")
            guard inputFormat != nil else { throw refuse("cannot be opened: this FFmpeg has no V4L2 support") }
        }
        if source.kind != .file { stopFlag.setDeadline(openTimeout) }
        var code = avformat_open_input(&context, source.location, inputFormat, &options)
        // What FFmpeg left in the dictionary, no demuxer or protocol took: refused, not silently ignored.
        var unused: [String] = []
        var entry: UnsafeMutablePointer<AVDictionaryEntry>?
        while let next = av_dict_get(options, "", entry, AV_DICT_IGNORE_SUFFIX) {
            unused.append(String(cString: next.pointee.key))
            entry = next
        }
        av_dict_free(&options)
        guard code >= 0, let opened = context else {
            if stopFlag.deadlinePassed { throw refuse("cannot be opened: no answer within \(Int(openTimeout)) s") }
            throw refuse("cannot be opened: \(ffmpegErrorText(code))")
        }
        format = opened
        if !unused.isEmpty {
            Self.close(format: &format)
            throw refuse("cannot be opened: no FFmpeg demuxer or protocol for it knows the input option(s) \(unused.sorted().joined(separator: ", "))")
        }
        code = avformat_find_stream_info(opened, nil)
        guard code >= 0 else {
            Self.close(format: &format)
            throw refuse("cannot be read as a video: \(ffmpegErrorText(code))")
        }
        let container = opened.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown"
        if isStill && (container == "image2" || container.hasSuffix("_pipe")) {
            Self.close(format: &format)
            throw refuse("is a still image (\(container)), not a video")
        }
        var decoder: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(opened, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
        guard index >= 0, let stream = opened.pointee.streams[Int(index)] else {
            Self.close(format: &format)
            throw refuse(index == rf_averror_decoder_not_found()
                ? "its video codec is not supported by this FFmpeg" : "has no video stream")
        }
        let parameters = stream.pointee.codecpar
        let codecID = parameters?.pointee.codec_id ?? AV_CODEC_ID_NONE
        let codecName = String(cString: avcodec_get_name(codecID))
        guard let decoder else {
            Self.close(format: &format)
            throw refuse("its video codec (\(codecName)) is not supported by this FFmpeg")
        }
        streamIndex = index
        for i in 0..<Int(opened.pointee.nb_streams) where Int32(i) != index {
            opened.pointee.streams[i]?.pointee.discard = AVDISCARD_ALL
        }
        let codecContext = avcodec_alloc_context3(decoder)
        codec = codecContext
        guard let codecContext, avcodec_parameters_to_context(codecContext, parameters) >= 0 else {
            Self.close(format: &format)
            throw refuse("its \(codecName) stream cannot be decoded")
        }
        // Up to 1080p one decoding thread: the JPEG encoding runs on a thread of its own beside it (FrameProducer),
        // and FFmpeg's frame threads cost ~10 % more CPU per frame here (1080p H.264: 10.8 → 9.7 ms per frame decoded
        // and encoded) and ~20 MB more memory. Larger pictures use FFmpeg's threads, so decoding keeps up.
        let pixels = Int(parameters?.pointee.width ?? 0) * Int(parameters?.pointee.height ?? 0)
        codecContext.pointee.thread_count = pixels > 0 && pixels <= 1920 * 1088 ? 1 : 0
        codecContext.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        code = avcodec_open2(codecContext, decoder, nil)
        guard code >= 0 else {
            avcodec_free_context(&codec)
            Self.close(format: &format)
            throw refuse("its \(codecName) stream cannot be decoded: \(ffmpegErrorText(code))")
        }
        packet = av_packet_alloc()
        frame = av_frame_alloc()
        let base = stream.pointee.time_base
        timeBase = base.den != 0 ? Double(base.num) / Double(base.den) : 0
        startPTS = stream.pointee.start_time == rf_av_nopts_value() ? 0 : stream.pointee.start_time
        let rate = av_guess_frame_rate(opened, stream, nil)
        var fps = rate.den != 0 && rate.num > 0 ? Double(rate.num) / Double(rate.den) : 0
        if !(fps > 0 && fps <= 1000) { fps = 30 }
        var total: Int?
        if source.kind == .file {
            if stream.pointee.nb_frames > 0 {
                total = Int(stream.pointee.nb_frames)
            } else if stream.pointee.duration > 0 && timeBase > 0 {
                total = Int((Double(stream.pointee.duration) * timeBase * fps).rounded())
            } else if opened.pointee.duration > 0 {
                total = Int((Double(opened.pointee.duration) / Double(rf_av_time_base()) * fps).rounded())
            }
        }
        info = VideoInfo(
            source: source, container: container, codec: codecName,
            width: Int(parameters?.pointee.width ?? 0), height: Int(parameters?.pointee.height ?? 0),
            fps: fps, totalFrames: total, sendsJPEGAsIs: codecID == AV_CODEC_ID_MJPEG
        )
        stopFlag.setDeadline(source.kind == .file ? nil : openTimeout)
        // Read up to the first frame now: a source without one is bad input, found before anything is sent.
        let first: (number: Int, pts: Double, payload: DecodedPayload)?
        do {
            first = try next()
        } catch {
            throw refuse(error.message)
        }
        guard let first else {
            if stopFlag.deadlinePassed { throw refuse("no frame arrived within \(Int(openTimeout)) s") }
            throw refuse("contains no decodable \(codecName) frame (truncated or corrupt)")
        }
        stopFlag.setDeadline(nil)
        if case .jpeg(let bytes) = first.payload { pendingJPEG = bytes }
        pending = first
    }

    deinit {
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
        Self.close(format: &format)
    }

    private static func close(format: inout UnsafeMutablePointer<AVFormatContext>?) {
        guard format != nil else { return }
        avformat_close_input(&format)
    }

    /// The next frame: its 1-based number, presentation time in seconds and payload; `nil` at the end.
    /// Corrupt frames are skipped (counted in ``corruptFrames``), keeping their number.
    func next() throws(InferenceError) -> (number: Int, pts: Double, payload: DecodedPayload)? {
        if let first = pending {
            pending = nil
            if let bytes = pendingJPEG {
                pendingJPEG = nil
                return (first.number, first.pts, .jpeg(bytes))
            }
            return first
        }
        guard !finished, let format, let codec, let packet, let frame else { return nil }
        while true {
            if stopFlag.isStopped { return nil }
            if !info.sendsJPEGAsIs || draining {
                let received = avcodec_receive_frame(codec, frame)
                if received == 0 {
                    frameCount += 1
                    if frame.pointee.decode_error_flags != 0 || (frame.pointee.flags & AV_FRAME_FLAG_CORRUPT) != 0 {
                        corruptFrames += 1
                        av_frame_unref(frame)
                        continue
                    }
                    return (frameCount, seconds(frame.pointee.best_effort_timestamp), .picture(frame))
                }
                if received == rf_averror_eof() {
                    finished = true
                    return nil
                }
                if received != rf_averror_eagain() {
                    finished = true
                    return nil
                }
                if draining { return nil }
            }
            let read = av_read_frame(format, packet)
            if read < 0 {
                if stopFlag.isStopped { return nil }
                if info.sendsJPEGAsIs {
                    finished = true
                    return nil
                }
                draining = true
                avcodec_send_packet(codec, nil)
                continue
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            if info.sendsJPEGAsIs {
                frameCount += 1
                let pts = packet.pointee.pts != rf_av_nopts_value() ? packet.pointee.pts : packet.pointee.dts
                let bytes = Array(UnsafeBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size)))
                switch MJPEGFrame.check(bytes) {
                case .complete:
                    return (frameCount, seconds(pts), .jpeg(bytes))
                case .corrupt:
                    corruptFrames += 1
                    continue
                case .needsTables:
                    // Camera MJPEG without Huffman tables: decode it and send a re-encoded picture.
                    guard avcodec_send_packet(codec, packet) >= 0, avcodec_receive_frame(codec, frame) == 0 else {
                        corruptFrames += 1
                        continue
                    }
                    return (frameCount, seconds(pts), .picture(frame))
                }
            }
            let sent = avcodec_send_packet(codec, packet)
            if sent < 0 && sent != rf_averror_eagain() {
                corruptFrames += 1
            }
        }
    }

    private func seconds(_ pts: Int64) -> Double {
        guard pts != rf_av_nopts_value(), timeBase > 0 else { return Double(max(0, frameCount - 1)) / info.fps }
        return Double(pts - startPTS) * timeBase
    }
}
