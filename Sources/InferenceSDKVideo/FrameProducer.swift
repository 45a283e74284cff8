import CFFmpeg
import Dispatch
import Foundation
import InferenceSDK

/// A counting semaphore for the producer's room in the frame queue (a `DispatchSemaphore` traps when it is
/// released holding fewer credits than it started with, which a stopped run does).
final class Credits: @unchecked Sendable {
    private let condition = NSCondition()
    private var available: Int

    init(_ count: Int) { available = count }

    /// Takes a credit, waiting up to `seconds`; `false` when none came.
    func take(waitingAtMost seconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if available == 0 { _ = condition.wait(until: Date(timeIntervalSinceNow: seconds)) }
        guard available > 0 else { return false }
        available -= 1
        return true
    }

    /// Gives a credit back.
    func signal() {
        condition.lock()
        available += 1
        condition.signal()
        condition.unlock()
    }
}

/// A frame ready to send.
struct EncodedFrame: Sendable {
    var number: Int
    var timestamp: Double
    var width: Int
    var height: Int
    var jpeg: [UInt8]
    var metadata: VideoMetadata
}

/// Lock-protected counters shared by the producer thread and the sender.
final class VideoCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var value = VideoStatistics()

    func update(_ change: (inout VideoStatistics) -> Void) {
        lock.lock()
        change(&value)
        lock.unlock()
    }

    var snapshot: VideoStatistics {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// Decodes frames on one thread (FFmpeg's reads block) and JPEG-encodes them on another, side by side, into a
/// bounded stream: a file waits for room, a live source drops the oldest waiting frame.
final class FrameProducer: @unchecked Sendable {
    let frames: AsyncStream<EncodedFrame>
    let stopFlag: StopFlag
    private let credits: Credits

    struct Settings: Sendable {
        var live: Bool
        var buffered: Int
        var quality: Int
        var maxFPS: Double?
        var select: @Sendable (Int) -> Bool
        /// Open a live source again when it ends or fails (see ``VideoProcessingOptions/reconnect``).
        var reconnect = false
        /// Seconds allowed for (re)opening a stream and for its first frame.
        var openTimeout: Double = 20
        /// Open, decode and encode under `SCHED_IDLE` (see ``VideoProcessingOptions/backgroundDecoding``).
        var background = false
    }

    /// What `options` ask of the producer for `source` (streams and cameras are live unless `options.live` says).
    static func settings(_ options: VideoProcessingOptions, for source: VideoSource) -> Settings {
        let filter = options.frameFilter
        return Settings(
            live: options.isLive(source), buffered: options.bufferedFrames, quality: options.jpegQuality, maxFPS: options.maxFPS,
            select: { number in filter?(number) ?? true }, reconnect: options.reconnect, openTimeout: options.openTimeout.seconds,
            background: options.backgroundDecoding
        )
    }

    /// Opens `source` on a new thread; throws `.invalidInput` when it cannot be opened (nothing is started then).
    static func open(
        _ source: VideoSource, settings: Settings, counters: VideoCounters
    ) async throws(InferenceError) -> (FrameProducer, VideoInfo) {
        let openTimeout = settings.openTimeout
        let stopFlag = StopFlag()
        let opened: Result<VideoDecoder, InferenceError> = await withCheckedContinuation { continuation in
            ProducerThread.start("video-open", background: settings.background) {
                do throws(InferenceError) {
                    continuation.resume(returning: .success(try VideoDecoder(source, stopFlag: stopFlag, openTimeout: openTimeout)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        let decoder = try opened.get()
        let producer = FrameProducer(decoder: decoder, settings: settings, stopFlag: stopFlag, counters: counters)
        return (producer, decoder.info)
    }

    private init(decoder: VideoDecoder, settings: Settings, stopFlag: StopFlag, counters: VideoCounters) {
        self.stopFlag = stopFlag
        // A file: up to `buffered` encoded frames wait for the sender, 2 decoded ones for the encoder. A live source:
        // up to `buffered` decoded frames wait (the oldest is dropped beyond that: the newest are kept, and a dropped
        // frame is never encoded); one is encoded when the sender asks for it, so what it gets is as fresh as can be.
        credits = Credits(settings.live ? 0 : settings.buffered)
        var continuation: AsyncStream<EncodedFrame>.Continuation?
        frames = AsyncStream(bufferingPolicy: .unbounded) { continuation = $0 }  // bounded by the credits
        guard let continuation else { return }
        continuation.onTermination = { _ in stopFlag.stop() }
        let credits = self.credits
        let handOff = FrameHandOff(capacity: settings.live ? settings.buffered : 2)
        let info = decoder.info
        ProducerThread.start("video-encoder", background: settings.background) {
            Self.encode(from: handOff, info: info, settings: settings, stopFlag: stopFlag, counters: counters, credits: credits, into: continuation)
        }
        ProducerThread.start("video-decoder", background: settings.background) {
            Self.decode(decoder: decoder, settings: settings, stopFlag: stopFlag, counters: counters, into: handOff)
        }
    }

    /// The consumer is about to wait for a frame from ``frames``: room for one more. Call it before each `next()`.
    func request() { credits.signal() }

    /// Stops decoding and releases the source.
    func stop() {
        stopFlag.stop()
        credits.signal()
    }

    /// The decoding thread: reads frames, numbers them, applies `--max-fps` and the frame filter, and hands the frames
    /// to send to the encoding thread.
    private static func decode(
        decoder: VideoDecoder, settings: Settings, stopFlag: StopFlag, counters: VideoCounters, into handOff: FrameHandOff
    ) {
        defer { handOff.close() }
        let info = decoder.info
        var decoder = decoder
        // After a reconnection, numbers and times go on from where the source stopped.
        var numberOffset = 0
        var timeOffset = 0.0
        var lastNumber = 0
        var lastPTS = 0.0
        var earlierCorrupt = 0
        let identifier = info.source.description
        let live = settings.live
        let minimumInterval = settings.maxFPS.map { 1 / $0 } ?? 0
        var lastSent = -Double.infinity
        var lastArrival = -Double.infinity
        var measuredFPS: Double? = live ? nil : info.fps
        let clock = ContinuousClock()
        let start = clock.now
        while !stopFlag.isStopped {
            let decoded: (number: Int, pts: Double, payload: DecodedPayload)?
            do { decoded = try decoder.next() } catch { decoded = nil }
            guard let decoded else {
                // The source ended or failed: over, unless a live source is to be opened again.
                guard settings.live, settings.reconnect, info.source.kind != .file,
                      let reopened = reopen(info.source, settings: settings, stopFlag: stopFlag) else { break }
                earlierCorrupt += decoder.corruptFrames
                decoder = reopened
                numberOffset = lastNumber
                timeOffset = lastPTS + 1 / max(info.fps, 1)
                counters.update { $0.reconnects += 1 }
                continue
            }
            let next = (number: decoded.number + numberOffset, pts: decoded.pts + timeOffset, payload: decoded.payload)
            lastNumber = next.number
            lastPTS = next.pts
            let now = (clock.now - start).seconds
            let corrupt = earlierCorrupt + decoder.corruptFrames
            counters.update { $0.decoded += 1; $0.corrupt = corrupt }
            if live {
                if lastArrival.isFinite, now > lastArrival {
                    let instant = 1 / (now - lastArrival)
                    measuredFPS = measuredFPS.map { 0.9 * $0 + 0.1 * instant } ?? instant
                }
                lastArrival = now
                if now - lastSent < minimumInterval * 0.999 {
                    counters.update { $0.skipped += 1 }
                    continue
                }
            } else if !FrameSubsampling.keeps(next.number, fps: info.fps, maxFPS: settings.maxFPS) || !settings.select(next.number) {
                counters.update { $0.skipped += 1 }
                continue
            }
            let payload: DecodedFrame.Payload
            switch next.payload {
            case .jpeg(let bytes):
                payload = .jpeg(bytes)
            case .picture(let picture):
                // A reference of the encoder's own: the decoder reuses its frame for the next picture.
                guard let reference = av_frame_clone(picture) else {
                    counters.update { $0.corrupt += 1 }
                    continue
                }
                payload = .picture(reference)
            }
            lastSent = now
            let metadata = VideoMetadata(
                videoIdentifier: identifier, frameNumber: next.number, frameTimestamp: Timestamp.naiveISO8601(Date()),
                fps: info.fps, measuredFPS: measuredFPS ?? info.fps, comesFromVideoFile: info.source.kind == .file,
                totalFrames: info.totalFrames
            )
            let handed = handOff.put(DecodedFrame(number: next.number, pts: next.pts, payload: payload, metadata: metadata), dropOldest: live, stop: stopFlag)
            if handed.dropped > 0 { counters.update { $0.dropped += handed.dropped } }
            if !handed.accepted { return }
        }
    }

    /// The encoding thread: whenever the sender has room, JPEG-encodes the oldest frame handed over (MJPEG frames go as
    /// they are) and delivers it, in order.
    private static func encode(
        from handOff: FrameHandOff, info: VideoInfo, settings: Settings, stopFlag: StopFlag, counters: VideoCounters, credits: Credits,
        into continuation: AsyncStream<EncodedFrame>.Continuation
    ) {
        defer { continuation.finish() }
        guard let encoder = try? FrameJPEGEncoder(quality: settings.quality) else {
            stopFlag.stop()
            return
        }
        while true {
            // Room with the sender first, then the oldest frame waiting: a live source's frame is encoded when it can go.
            while !credits.take(waitingAtMost: 0.1) {
                if stopFlag.isStopped { return }
            }
            guard let item = handOff.take(stop: stopFlag) else { return }
            let jpeg: [UInt8]
            let width: Int
            let height: Int
            switch item.payload {
            case .jpeg(let bytes):
                jpeg = bytes
                width = info.width
                height = info.height
            case .picture(let picture):
                defer { item.release() }
                width = Int(picture.pointee.width)
                height = Int(picture.pointee.height)
                guard let encoded = try? encoder.encode(picture) else {
                    counters.update { $0.corrupt += 1 }
                    credits.signal()
                    continue
                }
                jpeg = encoded
            }
            let frame = EncodedFrame(number: item.number, timestamp: item.pts, width: width, height: height, jpeg: jpeg, metadata: item.metadata)
            if stopFlag.isStopped { return }
            continuation.yield(frame)
        }
    }
}

extension FrameProducer {
    /// Opens `source` again after it ended or failed, waiting 0.5 s, 1 s, 2 s … (at most 8 s) between attempts, until
    /// it opens or the run stops (then `nil`).
    fileprivate static func reopen(_ source: VideoSource, settings: Settings, stopFlag: StopFlag) -> VideoDecoder? {
        var wait = 0.5
        while !stopFlag.isStopped {
            let until = Date().addingTimeInterval(wait)
            while Date() < until {
                if stopFlag.isStopped { return nil }
                Thread.sleep(forTimeInterval: 0.05)
            }
            if let decoder = try? VideoDecoder(source, stopFlag: stopFlag, openTimeout: settings.openTimeout) { return decoder }
            wait = min(wait * 2, 8)
        }
        return nil
    }
}

/// Naive ISO-8601 date-times (UTC, microseconds), as Python's `datetime.isoformat()` writes them.
enum Timestamp {
    static func naiveISO8601(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let micros = Int((interval - Double(seconds)) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(micros), 6))"
    }
}
