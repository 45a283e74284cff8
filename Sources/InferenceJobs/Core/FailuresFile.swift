import InferenceSDK

/// One line of a resumable job's `failures.jsonl`: an item (an image, a frame) that is not done, with its key.
package protocol FailureLine: Sendable {
    /// What identifies the item across runs (a relative path, a frame number); the file is written in its order.
    associatedtype Key: Hashable & Comparable & Sendable
    /// The item's key.
    var key: Key { get }
    /// Parses a line; `nil` for a partial or foreign line.
    init?(_ line: [UInt8])
    /// The line, without its newline.
    var line: [UInt8] { get }
}

/// A resumable job's `failures.jsonl`: the items not done, kept across runs, the same for folders and videos.
///
/// - At the start the earlier failures (less the items the resume log says are done) are written back at once,
///   so a run that crashes keeps them.
/// - An item this run sends again (``retrying(_:)``) loses its earlier failure unless it fails again; an item
///   given up unanswered (cancelled, stopped; ``abandoned(_:)``) keeps it.
/// - Each failure of this run is appended as it happens (``record(_:)``).
/// - ``finish()`` rewrites the file, atomically, with the failures that stand, in key order.
///
/// Used from the one task that runs the job.
package final class FailuresFile<Record: FailureLine> {
    /// The file.
    package let path: String
    private let earlier: [Record.Key: Record]
    private var sentAgain = Set<Record.Key>()
    private var thisRun: [Record.Key: Record] = [:]
    private let file: AppendOnlyFile

    /// Reads the earlier failures at `path`, drops those `isDone` says are done, and writes the rest back.
    package init(path: String, dropping isDone: (Record.Key) -> Bool = { _ in false }) throws(InferenceError) {
        var earlier: [Record.Key: Record] = [:]
        for line in LineReader(path: path) {
            if let record = Record(line), !isDone(record.key) { earlier[record.key] = record }
        }
        self.path = path
        self.earlier = earlier
        file = try AppendOnlyFile(path: path, truncate: true)
        for record in Self.sorted(earlier) { try file.appendLine(record.line) }
    }

    /// This run sends the item again: its earlier failure stands no more unless it fails again.
    package func retrying(_ key: Record.Key) { sentAgain.insert(key) }

    /// This run gave the item up unanswered: its earlier failure, if any, stands.
    package func abandoned(_ key: Record.Key) { sentAgain.remove(key) }

    /// The item failed in this run: appended now, kept by ``finish()``.
    package func record(_ record: Record) throws(InferenceError) {
        sentAgain.insert(record.key)
        thisRun[record.key] = record
        try file.appendLine(record.line)
    }

    /// The failures that stand: earlier ones not sent again, and this run's.
    package var standing: [Record] {
        var standing = earlier.filter { !sentAgain.contains($0.key) }
        for (key, record) in thisRun { standing[key] = record }
        return Self.sorted(standing)
    }

    /// The file's path when any failure stands (what a summary reports), else `nil`.
    package var pathIfAny: String? { standing.isEmpty ? nil : path }

    /// Rewrites the file with ``standing``, atomically.
    package func finish() throws(InferenceError) {
        var bytes: [UInt8] = []
        for record in standing {
            bytes += record.line
            bytes.append(0x0A)
        }
        try writeAtomically(bytes, to: path)
    }

    private static func sorted(_ records: [Record.Key: Record]) -> [Record] {
        records.values.sorted { $0.key < $1.key }
    }
}

/// What a failure line says about its error, the same in folder and video jobs: `error_type` (the server's own,
/// else the error's kind), `status` (when the server answered) and `message` (the error's one-line description).
package struct FailureCause: Sendable, Equatable {
    package var errorType: String
    package var status: Int?
    package var message: String

    package init(errorType: String, status: Int?, message: String) {
        self.errorType = errorType
        self.status = status
        self.message = message
    }

    /// The cause of `error`.
    package init(_ error: InferenceError) {
        self.init(errorType: error.serverError?.errorType ?? error.kind.description, status: error.status, message: error.description)
    }

    /// Read back from a failure line's fields.
    package init(_ json: JSONValue) {
        self.init(
            errorType: json["error_type"]?.stringValue ?? "unknown", status: json["status"]?.intValue,
            message: json["message"]?.stringValue ?? ""
        )
    }

    /// `error_type`, `status`, `message`, appended to a line's own fields.
    package func fields(after leading: JSONObject) -> JSONObject {
        var object = leading
        object["error_type"] = .string(errorType)
        object["status"] = status.map { .int($0) } ?? .null
        object["message"] = .string(message)
        return object
    }
}
