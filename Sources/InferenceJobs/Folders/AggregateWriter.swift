import InferenceSDK
import Foundation
import OrderedCollections

/// Which aggregate files a directory job writes.
public struct AggregateFormats: OptionSet, Sendable {
    /// The raw value.
    public let rawValue: Int
    /// Creates a value.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// `aggregated_results.csv`: nested objects flattened into dotted columns, lists as JSON cells.
    public static let csv = AggregateFormats(rawValue: 1)
    /// `aggregated_results.jsonl`: one JSON object per image.
    public static let jsonl = AggregateFormats(rawValue: 2)
    /// Both.
    public static let both: AggregateFormats = [.csv, .jsonl]
}

/// Builds `aggregated_results.csv` / `.jsonl` from the job's progress log, streaming: the log is read once
/// for the column set and the last entry of each image, and once more to write rows.
enum AggregateWriter {
    static func write(progressLog: String, outputDirectory: String, formats: AggregateFormats) throws(InferenceError) -> [String] {
        guard !formats.isEmpty else { return [] }
        // Pass 1: last line index per image, output names, CSV columns.
        var lastLine: [String: Int] = [:]
        var outputNames = Set<String>()
        var lineNumber = 0
        for line in LineReader(path: progressLog) {
            defer { lineNumber += 1 }
            guard let entry = ProgressEntry(line) else { continue }
            lastLine[entry.path] = lineNumber
            for output in entry.outputs { outputNames.formUnion(output.keys) }
        }
        let imageColumn = ["image", "image_path", "_image_path", "__image_path"].first { !outputNames.contains($0) } ?? "__source_image"
        var columns = OrderedSet<String>([imageColumn])
        if formats.contains(.csv) {
            lineNumber = 0
            for line in LineReader(path: progressLog) {
                defer { lineNumber += 1 }
                guard let entry = ProgressEntry(line), lastLine[entry.path] == lineNumber else { continue }
                for output in entry.outputs { for key in CSVFormat.flatten(output).keys { columns.append(key) } }
                for key in entry.timings?.keys ?? [] where !outputNames.contains(key) { columns.append(key) }
            }
        }
        // Pass 2: rows.
        var written: [String] = []
        let jsonlPath = outputDirectory + "/aggregated_results.jsonl"
        let csvPath = outputDirectory + "/aggregated_results.csv"
        let jsonl = formats.contains(.jsonl) ? try AppendOnlyFile(path: jsonlPath + ".tmp", truncate: true) : nil
        let csv = formats.contains(.csv) ? try AppendOnlyFile(path: csvPath + ".tmp", truncate: true) : nil
        try csv?.appendLine(Array(CSVFormat.row(Array(columns)).utf8))
        lineNumber = 0
        for line in LineReader(path: progressLog) {
            defer { lineNumber += 1 }
            guard let entry = ProgressEntry(line), lastLine[entry.path] == lineNumber else { continue }
            for output in entry.outputs {
                var row = JSONObject()
                row[imageColumn] = .string(entry.path)
                for (key, value) in output { row[key] = value }
                for (key, value) in entry.timings ?? [:] where row[key] == nil { row[key] = value }
                try jsonl?.appendLine(JSONValue.object(row).serialized())
                if let csv {
                    var flat = CSVFormat.flatten(output)
                    for (key, value) in entry.timings ?? [:] where flat[key] == nil { flat[key] = value.stringValue ?? value.jsonString }
                    flat[imageColumn] = entry.path
                    try csv.appendLine(Array(CSVFormat.row(columns.map { flat[$0] ?? "" }).utf8))
                }
            }
        }
        for (file, final) in [(jsonl, jsonlPath), (csv, csvPath)] {
            guard let file else { continue }
            try moveIntoPlace(file.path, at: final)
            written.append(final)
        }
        return written
    }
}
