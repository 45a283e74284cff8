/// One frame's result from a server-side pipeline: the workflow's outputs and the frame's metadata.
public struct PipelineFrame: Sendable {
    /// `frame_id`: the frame's number in its source, from 1, counting frames the pipeline skipped.
    public var frameID: Int
    /// `source_id`: the source's position in the video reference (0 for a single source).
    public var sourceID: Int?
    /// `frame_timestamp` as sent: naive ISO-8601 (no zone). For files the server derives it from the file's
    /// creation time plus the frame's offset, not from the time it was processed.
    public var timestamp: String
    /// The workflow's outputs for this frame; `nil` when the server sent none for it.
    public var output: WorkflowOutput?
    /// Frames of the same source that never reached this consumer since its previous frame (a gap in
    /// `frame_id`; for the first frame, the frames before it). Filled by ``PipelineResults``; 0 otherwise.
    public var droppedBefore: Int

    /// Creates a frame.
    public init(frameID: Int, sourceID: Int?, timestamp: String, output: WorkflowOutput?, droppedBefore: Int = 0) {
        self.frameID = frameID
        self.sourceID = sourceID
        self.timestamp = timestamp
        self.output = output
        self.droppedBefore = droppedBefore
    }

    /// The frame as one JSON object: `{frame_id, source_id, frame_timestamp, dropped_before, outputs}`.
    /// With `summarizingImages`, each image value is replaced by `{"type":"image","format","width","height","bytes"}`.
    public func json(summarizingImages: Bool = false) -> JSONValue {
        var outputs: JSONValue = output.map { .object($0.fields) } ?? .null
        if summarizingImages { outputs = Self.summarizeImages(outputs) }
        return [
            "frame_id": .int(frameID), "source_id": sourceID.map { .int($0) } ?? .null,
            "frame_timestamp": .string(timestamp), "dropped_before": .int(droppedBefore), "outputs": outputs,
        ]
    }

    /// Replaces every image inside `value` by a short description (keeps lines small in logs and CSV).
    public static func summarizeImages(_ value: JSONValue) -> JSONValue {
        if ImageOutput.isImageValue(value) {
            guard let image = try? ImageOutput(value) else { return ["type": "image"] }
            return [
                "type": "image", "format": image.format.map { .string($0.rawValue) } ?? .null,
                "width": image.width.map { .int($0) } ?? .null, "height": image.height.map { .int($0) } ?? .null,
                "bytes": .int(image.bytes.count),
            ]
        }
        switch value {
        case .object(let object): return .object(object.mapValues(summarizeImages))
        case .array(let items): return .array(items.map(summarizeImages))
        default: return value
        }
    }
}

extension PipelineFrame {
    /// Reads a consume response body `{status, context, outputs: [...], frames_metadata: [...]}`: one frame per
    /// source that has one in this batch (entries whose metadata is `null` are skipped), in source order.
    static func frames(fromConsumeResponse json: JSONValue) throws(InferenceError) -> [PipelineFrame] {
        guard let metadata = json["frames_metadata"]?.arrayValue, let outputs = json["outputs"]?.arrayValue else {
            throw InferenceError(.invalidResponse, "the consume answer has no outputs/frames_metadata lists")
        }
        var frames: [PipelineFrame] = []
        for (index, entry) in metadata.enumerated() {
            guard case .object = entry else { continue }
            guard let frameID = entry["frame_id"]?.intValue else {
                throw InferenceError(.invalidResponse, "frames_metadata[\(index)] has no integer frame_id")
            }
            let output: WorkflowOutput?
            if index < outputs.count, case .object(let fields) = outputs[index] {
                output = WorkflowOutput(fields: fields)
            } else {
                output = nil
            }
            frames.append(PipelineFrame(
                frameID: frameID, sourceID: entry["source_id"]?.intValue,
                timestamp: entry["frame_timestamp"]?.stringValue ?? "", output: output
            ))
        }
        return frames
    }
}
