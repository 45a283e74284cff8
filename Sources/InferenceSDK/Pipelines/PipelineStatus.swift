/// A pipeline's status report (`GET /inference_pipelines/{id}/status`), typed.
///
/// On 1.8.3 the report holds `sources_metadata`, `latency_reports`, `inference_throughput`,
/// `completion_statistics` and `video_source_status_updates`; every field is optional here, and ``raw``
/// keeps the report as sent.
public struct PipelineStatus: Sendable {
    /// The pipeline.
    public var pipelineID: String
    /// One entry per video source.
    public var sources: [Source]
    /// Recent latencies per source.
    public var latency: [Latency]
    /// Frames per second through the workflow, measured by the server.
    public var inferenceThroughput: Double?
    /// Frames completed per source.
    public var completion: [Completion]
    /// When ``completion`` was sampled (the server's monotonic clock, seconds).
    public var completionSampledAt: Double?
    /// State changes and other events, oldest first (the server keeps the latest few).
    public var events: [Event]
    /// The server's `context.request_id`.
    public var requestID: String?
    /// The `report` object as sent.
    public var raw: JSONValue

    /// Whether any source is paused (the server's *pause* mutes the source: state `MUTED`).
    public var isPaused: Bool { sources.contains { $0.state == .muted || $0.state == .paused } }
    /// Whether every source has ended (or failed).
    public var hasEnded: Bool { !sources.isEmpty && sources.allSatisfy { $0.state == .ended || $0.state == .error } }

    /// A video source's state.
    public struct SourceState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The server's name for it, e.g. `RUNNING`.
        public let rawValue: String
        /// Wraps a state name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Not started yet.
        public static let notStarted = Self(rawValue: "NOT_STARTED")
        /// Opening the source.
        public static let initialising = Self(rawValue: "INITIALISING")
        /// Reconnecting (streams).
        public static let restarting = Self(rawValue: "RESTARTING")
        /// Decoding frames.
        public static let running = Self(rawValue: "RUNNING")
        /// Paused: decoding on hold.
        public static let paused = Self(rawValue: "PAUSED")
        /// Muted: frames are read and dropped. The HTTP *pause* command mutes.
        public static let muted = Self(rawValue: "MUTED")
        /// Stopping.
        public static let terminating = Self(rawValue: "TERMINATING")
        /// No more frames (end of file, or terminated).
        public static let ended = Self(rawValue: "ENDED")
        /// Failed.
        public static let error = Self(rawValue: "ERROR")
        /// The raw name.
        public var description: String { rawValue }
    }

    /// One source's metadata (`sources_metadata[]`).
    public struct Source: Sendable {
        /// `source_id`: the position in the video reference list.
        public var id: Int?
        /// `source_reference`: the path, URL or camera index as the server knows it.
        public var reference: String?
        /// `state`.
        public var state: SourceState?
        /// `buffer_size`: the decoding buffer.
        public var bufferSize: Int?
        /// `buffer_filling_strategy`.
        public var bufferFilling: BufferFillingStrategy?
        /// `buffer_consumption_strategy`.
        public var bufferConsumption: BufferConsumptionStrategy?
        /// `source_properties.width`.
        public var width: Int?
        /// `source_properties.height`.
        public var height: Int?
        /// `source_properties.total_frames`, when positive (streams report 0 or garbage negatives).
        public var totalFrames: Int?
        /// `source_properties.is_file`.
        public var isFile: Bool?
        /// `source_properties.fps`: the source's own rate.
        public var fps: Double?
        /// `source_properties.is_reconnectable`.
        public var isReconnectable: Bool?
    }

    /// `latency_reports[]`, in seconds.
    public struct Latency: Sendable, Equatable {
        /// `source_id`.
        public var sourceID: Int?
        /// Frame capture to decode.
        public var frameDecoding: Double?
        /// Workflow run time.
        public var inference: Double?
        /// Capture to result. For files, timestamps derive from the file's creation time, so this grows large.
        public var endToEnd: Double?
    }

    /// `completion_statistics.sources[]`.
    public struct Completion: Sendable, Equatable {
        /// `source_id`.
        public var sourceID: Int?
        /// Frames the workflow has finished.
        public var completedFrames: Int?
        /// The id of the last finished frame.
        public var lastFrameID: Int?
    }

    /// `video_source_status_updates[]`.
    public struct Event: Sendable, Equatable {
        /// `timestamp` (naive ISO-8601, server local time).
        public var timestamp: String?
        /// `event_type`, e.g. `SOURCE_STATE_UPDATE`, `INFERENCE_THREAD_FINISHED`.
        public var type: String
        /// `context`: `video_source` or `inference_pipeline`.
        public var context: String?
        /// `severity` (Python logging level: 20 info, 30 warning, 40 error).
        public var severity: Int?
        /// `payload`, e.g. `{previous_state, new_state, source_id}`.
        public var payload: JSONValue
    }
}

extension PipelineStatus {
    /// Reads a status response body: `{status, context, report}`.
    init(pipelineID: String, response json: JSONValue) throws(InferenceError) {
        guard case .object(let report) = json["report"] else {
            throw InferenceError(.invalidResponse, "the status answer has no report object")
        }
        self.pipelineID = pipelineID
        self.requestID = json["context"]?["request_id"]?.stringValue
        self.raw = .object(report)
        self.inferenceThroughput = report["inference_throughput"]?.doubleValue
        self.sources = (report["sources_metadata"]?.arrayValue ?? []).map { item in
            let properties = item["source_properties"] ?? .null
            return Source(
                id: item["source_id"]?.intValue,
                reference: item["source_reference"]?.stringValue ?? item["source_reference"]?.intValue.map(String.init),
                state: item["state"]?.stringValue.map(SourceState.init(rawValue:)),
                bufferSize: item["buffer_size"]?.intValue,
                bufferFilling: item["buffer_filling_strategy"]?.stringValue.flatMap(BufferFillingStrategy.init(rawValue:)),
                bufferConsumption: item["buffer_consumption_strategy"]?.stringValue.flatMap(BufferConsumptionStrategy.init(rawValue:)),
                width: properties["width"]?.intValue,
                height: properties["height"]?.intValue,
                totalFrames: properties["total_frames"]?.intValue.flatMap { $0 > 0 ? $0 : nil },
                isFile: properties["is_file"]?.boolValue,
                fps: properties["fps"]?.doubleValue,
                isReconnectable: properties["is_reconnectable"]?.boolValue
            )
        }
        self.latency = (report["latency_reports"]?.arrayValue ?? []).map { item in
            Latency(
                sourceID: item["source_id"]?.intValue, frameDecoding: item["frame_decoding_latency"]?.doubleValue,
                inference: item["inference_latency"]?.doubleValue, endToEnd: item["e2e_latency"]?.doubleValue
            )
        }
        let completion = report["completion_statistics"] ?? .null
        self.completionSampledAt = completion["sampled_at_monotonic"]?.doubleValue
        self.completion = (completion["sources"]?.arrayValue ?? []).map { item in
            Completion(
                sourceID: item["source_id"]?.intValue, completedFrames: item["completed_frames"]?.intValue,
                lastFrameID: item["last_frame_id"]?.intValue
            )
        }
        self.events = (report["video_source_status_updates"]?.arrayValue ?? []).map { item in
            Event(
                timestamp: item["timestamp"]?.stringValue, type: item["event_type"]?.stringValue ?? "",
                context: item["context"]?.stringValue, severity: item["severity"]?.intValue, payload: item["payload"] ?? .null
            )
        }
    }
}
