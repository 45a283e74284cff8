import InferenceSDK

/// The `results.jsonl` line of a frame, for callers that stream records themselves (`rfclient process-video -o -`).
public enum VideoRecordLine {
    /// `{"frame_number": n, "timestamp": seconds, "outputs": {…}}` with images replaced by placeholders, as bytes.
    public static func line(frame: VideoFrameResult, output: WorkflowOutput) -> [UInt8] {
        VideoResultRecord(frame: frame, output: output, videoPaths: [:]).line
    }
}
