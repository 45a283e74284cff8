/// One line of a directory job's progress log (`progress.jsonl`): an image that is done, with its outputs
/// (images replaced by placeholders). The log is append-only; the last line for a path wins.
struct ProgressEntry {
    var path: String
    var outputs: [JSONObject]
    /// Timing columns (``ImageTimings``), when the job records them.
    var timings: JSONObject?

    init(path: String, outputs: [JSONObject], timings: JSONObject? = nil) {
        self.path = path
        self.outputs = outputs
        self.timings = timings
    }

    /// Parses a line; `nil` for a partial or foreign line (e.g. the last line of an interrupted run).
    init?(_ line: [UInt8]) {
        guard !line.isEmpty, let json = try? JSONValue(parsing: line), let path = json["path"]?.stringValue,
              case .array(let outputs) = json["outputs"] else { return nil }
        self.path = path
        self.outputs = outputs.compactMap(\.objectValue)
        self.timings = json["timings"]?.objectValue
    }

    var line: [UInt8] {
        var object: JSONObject = ["path": .string(path), "outputs": .array(outputs.map { .object($0) })]
        if let timings { object["timings"] = .object(timings) }
        return JSONValue.object(object).serialized()
    }

    /// The paths recorded as done in a log.
    static func donePaths(in log: String) -> Set<String> {
        var done = Set<String>()
        for line in LineReader(path: log) {
            // Cheap: parse only the prefix holding the path.
            if let entry = ProgressEntry(line) { done.insert(entry.path) }
        }
        return done
    }
}

/// One line of `failures.jsonl`.
public struct FailureRecord: Sendable, Equatable {
    /// The image's path relative to the input folder.
    public var path: String
    /// The server's `error_type`, else the error kind (`invalidInput`, `timeout`, …).
    public var errorType: String
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// The one-line error message.
    public var message: String

    /// Creates a record.
    public init(path: String, errorType: String, status: Int?, message: String) {
        self.path = path
        self.errorType = errorType
        self.status = status
        self.message = message
    }

    init(path: String, error: InferenceError) {
        self.init(path: path, errorType: error.serverError?.errorType ?? error.kind.description, status: error.status, message: error.description)
    }

    init?(_ line: [UInt8]) {
        guard let json = try? JSONValue(parsing: line), let path = json["path"]?.stringValue else { return nil }
        self.init(
            path: path, errorType: json["error_type"]?.stringValue ?? "unknown", status: json["status"]?.intValue,
            message: json["message"]?.stringValue ?? ""
        )
    }

    var line: [UInt8] {
        JSONValue.object([
            "path": .string(path), "error_type": .string(errorType), "status": status.map { .int($0) } ?? .null,
            "message": .string(message),
        ]).serialized()
    }
}
