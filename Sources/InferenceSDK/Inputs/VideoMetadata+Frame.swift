extension VideoMetadata {
    /// Metadata for one frame of a video, as sent with the frame's image (`video_metadata`).
    ///
    /// - Parameters:
    ///   - videoIdentifier: names the video (a path, URL or device).
    ///   - frameNumber: 1-based, as `InferencePipeline` numbers frames.
    ///   - frameTimestamp: naive ISO-8601 date-time when the frame was grabbed.
    ///   - fps: the source's declared frame rate.
    ///   - measuredFPS: the rate frames actually arrive at (live sources), else `fps`.
    ///   - comesFromVideoFile: `true` for a file, `false` for a stream or camera.
    ///   - totalFrames: frames in the file when known.
    public init(
        videoIdentifier: String, frameNumber: Int, frameTimestamp: String?, fps: Double?, measuredFPS: Double?,
        comesFromVideoFile: Bool, totalFrames: Int?
    ) {
        self.init(
            videoIdentifier: videoIdentifier, frameNumber: frameNumber, frameTimestamp: frameTimestamp, fps: fps,
            measuredFPS: measuredFPS, comesFromVideoFile: comesFromVideoFile as Bool?, totalFrames: totalFrames
        )
    }
}
