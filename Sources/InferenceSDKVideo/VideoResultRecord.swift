import ImageCodecs
import InferenceJobs
import InferenceSDK

/// One line of `results.jsonl`: `{"frame_number": n, "timestamp": seconds, "outputs": {…}}`, images replaced by
/// placeholders `{"type":"image","format","width","height","path"}` (`path`: the output's MP4 with `--save-video`,
/// else `null`: frame images are not written one by one).
struct VideoResultRecord {
    var frameNumber: Int
    var timestamp: Double
    var outputs: JSONObject

    init(frameNumber: Int, timestamp: Double, outputs: JSONObject) {
        self.frameNumber = frameNumber
        self.timestamp = timestamp
        self.outputs = outputs
    }

    /// The record of a frame's output; `videoPaths` maps top-level image outputs to their MP4 file names.
    init(frame: VideoFrameResult, output: WorkflowOutput, videoPaths: [String: String]) {
        var fields = JSONObject()
        for (name, value) in output.fields {
            fields[name] = Self.placeholders(value, path: videoPaths[name])
        }
        self.init(frameNumber: frame.frameNumber, timestamp: (frame.timestamp * 1_000_000).rounded() / 1_000_000, outputs: fields)
    }

    /// Parses a line; `nil` for a partial or foreign line.
    init?(_ line: [UInt8]) {
        guard !line.isEmpty, let json = try? JSONValue(parsing: line), let number = json["frame_number"]?.intValue,
              let outputs = json["outputs"]?.objectValue else { return nil }
        self.init(frameNumber: number, timestamp: json["timestamp"]?.doubleValue ?? 0, outputs: outputs)
    }

    /// The frame number of a line, `nil` for a partial or foreign line.
    static func frameNumber(of line: [UInt8]) -> Int? {
        VideoResultRecord(line)?.frameNumber
    }

    var json: JSONValue {
        .object(["frame_number": .int(frameNumber), "timestamp": .double(timestamp), "outputs": .object(outputs)])
    }

    var line: [UInt8] { json.serialized() }

    static func placeholders(_ value: JSONValue, path: String?) -> JSONValue {
        switch value {
        case .object(let object):
            if ImageOutput.isImageValue(value) {
                let info = headerInfo(value)
                return [
                    "type": "image", "format": info.format.map { .string($0.rawValue) } ?? .null,
                    "width": info.width.map { .int($0) } ?? .null, "height": info.height.map { .int($0) } ?? .null,
                    "path": path.map { .string($0) } ?? .null,
                ]
            }
            var out = JSONObject()
            for (key, element) in object { out[key] = placeholders(element, path: nil) }
            return .object(out)
        case .array(let items):
            return .array(items.map { placeholders($0, path: nil) })
        default:
            return value
        }
    }
}

/// Format and size of an image value from the first 6 KB of its base64 (where JPEG/PNG headers are), without
/// decoding the whole image: a 1080p output is ~1 MB of base64 per frame.
func headerInfo(_ value: JSONValue) -> (format: ImageFormat?, width: Int?, height: Int?) {
    guard let text = value["value"]?.stringValue else { return (nil, nil, nil) }
    let prefix = text.utf8.prefix(8192)
    if prefix.count == 8192, let head = try? Base64.decode(Substring(prefix)), let info = ImageInfo.read(head) {
        return (info.format, info.width, info.height)
    }
    let image = try? ImageOutput(value)
    return (image?.format, image?.width, image?.height)
}

/// One line of a video job's `failures.jsonl`: `{"frame_number", "timestamp", "error_type", "status", "message"}`.
struct VideoFailureRecord: FailureLine {
    var frameNumber: Int
    var timestamp: Double
    var cause: FailureCause

    init(frame: VideoFrameResult, error: InferenceError) {
        frameNumber = frame.frameNumber
        timestamp = frame.timestamp
        cause = FailureCause(error)
    }

    init?(_ line: [UInt8]) {
        guard let json = try? JSONValue(parsing: line), let number = json["frame_number"]?.intValue else { return nil }
        frameNumber = number
        timestamp = json["timestamp"]?.doubleValue ?? 0
        cause = FailureCause(json)
    }

    var key: Int { frameNumber }

    var line: [UInt8] {
        JSONValue.object(cause.fields(after: ["frame_number": .int(frameNumber), "timestamp": .double(timestamp)])).serialized()
    }
}
