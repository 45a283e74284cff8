/// What the server says about one request in its response headers: processing time, model cold starts and
/// load times, the models used, the request id.
///
/// Read from `x-processing-time`, `x-remote-processing-time`, `x-model-cold-start`, `x-model-cold-start-count`,
/// `x-model-load-time`, `x-model-load-details` and `x-model-id`, as the Python SDK does: a malformed value is
/// left out (`nil`), never an error. A local 1.8.3 server sends the cold-start pair on every answer; hosted
/// servers (and servers behind Roboflow's middleware) add the processing time and model details.
public struct ServerMetadata: Sendable, Equatable {
    /// `x-request-id`.
    public var requestID: String?
    /// `x-processing-time`: seconds the server spent on the request.
    public var processingTime: Double?
    /// `x-remote-processing-time`: seconds spent on remote calls the server made for the request (hosted workflows).
    public var remoteProcessingTime: Double?
    /// `x-model-cold-start`: whether a model had to be loaded for the request.
    public var modelColdStart: Bool?
    /// `x-model-cold-start-count`: how many models were loaded for the request.
    public var modelColdStartCount: Int?
    /// `x-model-load-time`: seconds spent loading models.
    public var modelLoadTime: Double?
    /// `x-model-load-details`, parsed: each model loaded and its load time (empty when absent or malformed).
    public var modelLoads: [ModelLoad]
    /// `x-model-load-details` as sent.
    public var rawModelLoadDetails: String?
    /// `x-model-id`: the models the request used (comma-separated on the wire).
    public var modelIDs: [String]

    /// One model load from `x-model-load-details` (`{"m": id, "t": seconds}`).
    public struct ModelLoad: Sendable, Equatable {
        /// The model id (`m`), when given.
        public var modelID: String?
        /// Seconds spent loading it (`t`).
        public var loadTime: Double

        /// Creates a value.
        public init(modelID: String?, loadTime: Double) {
            self.modelID = modelID
            self.loadTime = loadTime
        }
    }

    /// Creates a value; every field defaults to absent.
    public init(
        requestID: String? = nil, processingTime: Double? = nil, remoteProcessingTime: Double? = nil,
        modelColdStart: Bool? = nil, modelColdStartCount: Int? = nil, modelLoadTime: Double? = nil,
        modelLoads: [ModelLoad] = [], rawModelLoadDetails: String? = nil, modelIDs: [String] = []
    ) {
        self.requestID = requestID
        self.processingTime = processingTime
        self.remoteProcessingTime = remoteProcessingTime
        self.modelColdStart = modelColdStart
        self.modelColdStartCount = modelColdStartCount
        self.modelLoadTime = modelLoadTime
        self.modelLoads = modelLoads
        self.rawModelLoadDetails = rawModelLoadDetails
        self.modelIDs = modelIDs
    }

    /// Reads the headers of a response (names compared case-insensitively).
    public init(headers: [(name: String, value: String)]) {
        func value(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name }?.value.trimming(" \t")
        }
        self.init(requestID: value("x-request-id"))
        processingTime = value("x-processing-time").flatMap(Self.seconds)
        remoteProcessingTime = value("x-remote-processing-time").flatMap(Self.seconds)
        switch value("x-model-cold-start")?.lowercased() {
        case "true": modelColdStart = true
        case "false": modelColdStart = false
        default: break
        }
        modelColdStartCount = value("x-model-cold-start-count").flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
        modelLoadTime = value("x-model-load-time").flatMap(Self.seconds)
        if let details = value("x-model-load-details"), !details.isEmpty {
            rawModelLoadDetails = details
            modelLoads = Self.parseLoads(details) ?? []
        }
        modelIDs = (value("x-model-id") ?? "").split(separator: ",").map { String($0).trimming(" ") }.filter { !$0.isEmpty }
    }

    /// Whether the server sent none of the timing and model headers (the request id aside).
    public var isEmpty: Bool {
        processingTime == nil && remoteProcessingTime == nil && modelColdStart == nil && modelColdStartCount == nil
            && modelLoadTime == nil && rawModelLoadDetails == nil && modelIDs.isEmpty
    }

    /// One line for people, e.g. `request 3f2a…: processing 12.4 ms, cold start no (0 models), models yolov8n-640`.
    public var summary: String {
        var parts: [String] = []
        if let processingTime { parts.append("processing \(Self.milliseconds(processingTime))") }
        if let remoteProcessingTime { parts.append("remote processing \(Self.milliseconds(remoteProcessingTime))") }
        if let modelColdStart {
            var text = "cold start \(modelColdStart ? "yes" : "no")"
            if let modelColdStartCount { text += " (\(modelColdStartCount) model\(modelColdStartCount == 1 ? "" : "s"))" }
            parts.append(text)
        } else if let modelColdStartCount {
            parts.append("cold starts \(modelColdStartCount)")
        }
        if let modelLoadTime { parts.append("model load \(Self.milliseconds(modelLoadTime))") }
        if !modelLoads.isEmpty {
            parts.append("loads " + modelLoads.map { "\($0.modelID ?? "?") \(Self.milliseconds($0.loadTime))" }.joined(separator: ", "))
        }
        if !modelIDs.isEmpty { parts.append("models " + modelIDs.joined(separator: ",")) }
        if parts.isEmpty { parts.append("no timing or model headers") }
        return (requestID.map { "request \($0): " } ?? "") + parts.joined(separator: ", ")
    }

    /// The fields as a JSON object with snake-case keys (seconds as numbers), absent fields left out.
    public var json: JSONValue {
        var object = JSONObject()
        if let requestID { object["request_id"] = .string(requestID) }
        if let processingTime { object["processing_time"] = .double(processingTime) }
        if let remoteProcessingTime { object["remote_processing_time"] = .double(remoteProcessingTime) }
        if let modelColdStart { object["model_cold_start"] = .bool(modelColdStart) }
        if let modelColdStartCount { object["model_cold_start_count"] = .int(modelColdStartCount) }
        if let modelLoadTime { object["model_load_time"] = .double(modelLoadTime) }
        if !modelLoads.isEmpty {
            object["model_load_details"] = .array(modelLoads.map { load in
                var entry = JSONObject()
                entry["model_id"] = load.modelID.map { .string($0) } ?? .null
                entry["load_time"] = .double(load.loadTime)
                return .object(entry)
            })
        }
        if !modelIDs.isEmpty { object["model_ids"] = .array(modelIDs.map { .string($0) }) }
        return .object(object)
    }

    static func seconds(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        return value
    }

    static func milliseconds(_ seconds: Double) -> String {
        let ms = seconds * 1000
        return ms >= 100 ? "\(Int(ms.rounded())) ms" : "\((ms * 10).rounded() / 10) ms"
    }

    /// `[{"m": "model/1", "t": 0.53}, ...]`; `nil` when malformed (as the Python SDK: all or nothing).
    static func parseLoads(_ text: String) -> [ModelLoad]? {
        guard let json = try? JSONValue(parsing: Array(text.utf8)), case .array(let entries) = json else { return nil }
        var loads: [ModelLoad] = []
        for entry in entries {
            guard case .object(let fields) = entry, let time = fields["t"]?.doubleValue else { return nil }
            let id: String?
            switch fields["m"] {
            case .string(let s) where !s.isEmpty: id = s
            case .int(let n): id = String(n)
            default: id = nil
            }
            loads.append(ModelLoad(modelID: id, loadTime: time))
        }
        return loads
    }
}

extension WorkflowRunResult {
    /// The first request's server metadata (see ``serverMetadata`` for every request of a split batch).
    public var metadata: ServerMetadata? { serverMetadata.first }

    /// Appends another chunk's per-request reports (metadata, Python block debug output) to this result's.
    mutating func mergeServerReports(of part: WorkflowRunResult) {
        serverMetadata += part.serverMetadata
        if let debug = part.pythonBlocks {
            if var mine = pythonBlocks {
                mine.merge(debug)
                pythonBlocks = mine
            } else {
                pythonBlocks = debug
            }
        }
    }
}
