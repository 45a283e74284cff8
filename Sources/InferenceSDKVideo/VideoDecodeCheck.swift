import InferenceSDK

/// Reads a video as ``InferenceSDK/InferenceHTTPClient/processVideo(_:workflow:imageInput:parameters:options:)`` would — decoding
/// every frame and encoding the JPEGs it would send — but sends nothing: checks that a source is readable end to end
/// and measures the client's own cost per frame (`rfclient process-video --decode-only`).
public enum VideoDecodeCheck {
    /// What a check read.
    public struct Report: Sendable {
        /// The source as opened.
        public var info: VideoInfo
        /// Frames decoded, encoded (or taken as they are), skipped and corrupt.
        public var statistics: VideoStatistics
        /// Bytes of JPEG the frames would have sent.
        public var jpegBytes: Int
    }

    /// Decodes (and JPEG-encodes) every frame of `source` that `options` would send (`maxFPS` subsampling,
    /// `jpegQuality`); live sources are read until they end or the calling task is cancelled.
    public static func run(_ source: VideoSource, options: VideoProcessingOptions = VideoProcessingOptions()) async throws(InferenceError) -> Report {
        try options.validate()
        let counters = VideoCounters()
        let (producer, info) = try await FrameProducer.open(source, settings: FrameProducer.settings(options, for: source), counters: counters)
        var bytes = 0
        var sent = 0
        var frames = producer.frames.makeAsyncIterator()
        while true {
            producer.request()
            guard let frame = await frames.next() else { break }
            bytes += frame.jpeg.count
            sent += 1
            if Task.isCancelled { break }
        }
        producer.stop()
        var statistics = counters.snapshot
        statistics.sent = sent
        return Report(info: info, statistics: statistics, jpegBytes: bytes)
    }
}
