import Foundation
import InferenceSDK

extension InferenceHTTPClient {
    /// Decodes a video on this machine (a file, a network stream or a V4L2 camera) and runs every frame through a
    /// workflow on the server, returning the per-frame results in frame order.
    ///
    /// Each frame goes to the `imageInput` input as JPEG (MJPEG frames as they are, others encoded from the decoder's
    /// YUV planes with libjpeg-turbo) with `video_metadata` {video_identifier, frame_number, frame_timestamp, fps,
    /// measured_fps, comes_from_video_file, total_frames}, so blocks see the frame's place in the video.
    ///
    /// ```swift
    /// let run = try await client.processVideo(.file("clip.mp4"), workflow: .inline(spec), options: .init(maxFPS: 10))
    /// for try await frame in run {
    ///     print(frame.frameNumber, frame.timestamp, frame.output?["count"] ?? .null)
    /// }
    /// ```
    ///
    /// - Throws: `.invalidInput` naming the source and the cause when it is missing, not a video, truncated, in an
    ///   unsupported codec or cannot be opened (nothing is sent then); `.invalidConfiguration` for bad options.
    public func processVideo(
        _ source: VideoSource,
        workflow: WorkflowTarget,
        imageInput: String = "image",
        parameters: [String: JSONValue] = [:],
        options: VideoProcessingOptions = VideoProcessingOptions()
    ) async throws(InferenceError) -> VideoRun {
        try workflow.validate()
        try options.validate()
        guard parameters[imageInput] == nil else {
            throw InferenceError(.invalidInput, "'\(imageInput)' is the image input and also a parameter", input: imageInput)
        }
        let counters = VideoCounters()
        let (producer, info) = try await FrameProducer.open(source, settings: FrameProducer.settings(options, for: source), counters: counters)
        let window = options.requestsInFlight ?? configuration.defaultRequestsInFlight
        let engine = VideoRunEngine(
            client: self, target: workflow, imageInput: imageInput, parameters: parameters, options: options, window: window,
            producer: producer, counters: counters
        )
        return VideoRun(info: info, engine: engine)
    }
}
