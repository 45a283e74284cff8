import Foundation
import InferenceJobs
import InferenceSDK

/// Writes `results.jsonl` in frame order as results arrive.
///
/// A first run appends to the file directly (a crash keeps every finished line). A rerun merges: the earlier
/// lines and the new results, both in frame order, are streamed into a temporary file that replaces the old one
/// at the end, so the file holds every frame once, in order, and a crash mid-rerun leaves the old file whole.
final class ResultsWriter {
    private let path: String
    private let file: AppendOnlyFile
    private let merging: Bool
    private var earlier: LineReader.Iterator?
    private var held: (number: Int, line: [UInt8])?
    private var finished = false

    init(path: String, existing: DoneFrames) throws(InferenceError) {
        self.path = path
        merging = !existing.numbers.isEmpty
        if merging {
            file = try AppendOnlyFile(path: path + ".merging", truncate: true)
            earlier = LineReader(path: path).makeIterator()
        } else {
            file = try AppendOnlyFile(path: path, truncate: true)
        }
    }

    /// Writes `record` after every earlier line with a smaller frame number.
    func append(_ record: VideoResultRecord) throws(InferenceError) {
        try copyEarlier(before: record.frameNumber)
        try file.appendLine(record.line)
    }

    /// Copies the rest of the earlier lines and puts the merged file in place.
    func finish() throws(InferenceError) {
        guard !finished else { return }
        finished = true
        guard merging else { return }
        try copyEarlier(before: Int.max)
        try moveIntoPlace(path + ".merging", at: path)
    }

    private func copyEarlier(before number: Int) throws(InferenceError) {
        guard merging else { return }
        while true {
            if let line = held {
                guard line.number < number else { return }
                try file.appendLine(line.line)
                held = nil
            }
            guard let next = earlier?.next() else {
                earlier = nil
                return
            }
            if let n = VideoResultRecord.frameNumber(of: next), n != number { held = (n, next) }
        }
    }
}

/// `results.csv` from `results.jsonl`: `frame_number`, `timestamp`, then the outputs flattened into dotted columns.
enum VideoCSV {
    static func write(results: String, to path: String) throws(InferenceError) {
        var columns: [String] = ["frame_number", "timestamp"]
        var known = Set(columns)
        for line in LineReader(path: results) {
            guard let record = VideoResultRecord(line) else { continue }
            for (key, _) in flatten(record.outputs) where !known.contains(key) {
                known.insert(key)
                columns.append(key)
            }
        }
        let file = try AppendOnlyFile(path: path + ".tmp", truncate: true)
        try file.appendLine(Array(CSVFormat.row(columns).utf8))
        for line in LineReader(path: results) {
            guard let record = VideoResultRecord(line) else { continue }
            var flat = Dictionary(flatten(record.outputs), uniquingKeysWith: { $1 })
            flat["frame_number"] = String(record.frameNumber)
            flat["timestamp"] = JSONValue.double(record.timestamp).jsonString
            try file.appendLine(Array(CSVFormat.row(columns.map { flat[$0] ?? "" }).utf8))
        }
        try moveIntoPlace(path + ".tmp", at: path)
    }

    /// The outputs as dotted columns; an output named like one of the frame columns becomes `outputs.<name>`.
    static func flatten(_ outputs: JSONObject) -> [(String, String)] {
        CSVFormat.flatten(outputs).map { key, value in
            let clash = key == "frame_number" || key == "timestamp" || key.hasPrefix("frame_number.") || key.hasPrefix("timestamp.")
            return (clash ? "outputs." + key : key, value)
        }
    }
}
