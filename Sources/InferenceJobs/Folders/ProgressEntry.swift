import InferenceSDK
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

/// One line of a folder job's `failures.jsonl`.
public struct FailureRecord: Sendable, Equatable, FailureLine {
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
        let cause = FailureCause(error)
        self.init(path: path, errorType: cause.errorType, status: cause.status, message: cause.message)
    }

    /// Parses a line; `nil` for a partial or foreign one.
    package init?(_ line: [UInt8]) {
        guard let json = try? JSONValue(parsing: line), let path = json["path"]?.stringValue else { return nil }
        let cause = FailureCause(json)
        self.init(path: path, errorType: cause.errorType, status: cause.status, message: cause.message)
    }

    /// The record's key: its path.
    package var key: String { path }

    /// The line, without its newline.
    package var line: [UInt8] {
        let cause = FailureCause(errorType: errorType, status: status, message: message)
        return JSONValue.object(cause.fields(after: ["path": .string(path)])).serialized()
    }
}
