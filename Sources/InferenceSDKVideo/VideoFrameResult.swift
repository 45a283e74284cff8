import InferenceSDK

/// The workflow's result for one video frame.
public struct VideoFrameResult: Sendable {
    /// 1-based frame number in the source (as `InferencePipeline` numbers frames; subsampling keeps the numbers).
    public var frameNumber: Int
    /// Presentation time in seconds from the start of the source.
    public var timestamp: Double
    /// Frame width in pixels.
    public var width: Int
    /// Frame height in pixels.
    public var height: Int
    /// The workflow's output for the frame, or why the server did not give one.
    public var result: Result<WorkflowOutput, InferenceError>

    /// The output, `nil` when the frame failed.
    public var output: WorkflowOutput? { try? result.get() }
}

/// Counters of a video run.
public struct VideoStatistics: Sendable, Equatable {
    /// Frames read from the source.
    public var decoded = 0
    /// Frames sent to the server.
    public var sent = 0
    /// Frames not sent by choice: subsampled (`maxFPS`) or filtered out (`frameFilter`, e.g. already done).
    public var skipped = 0
    /// Frames of a live source dropped because the server did not keep up.
    public var dropped = 0
    /// Frames whose data was corrupt, skipped.
    public var corrupt = 0
    /// Times a live source was opened again after it ended or failed (``VideoProcessingOptions/reconnect``).
    public var reconnects = 0
}
