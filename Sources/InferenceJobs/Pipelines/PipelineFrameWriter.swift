import InferenceSDK
import Foundation

/// Writes pipeline frames to a file as they arrive, one line each: JSON Lines (`.jsonl`, `.ndjson`) or CSV
/// (`.csv`). Each line goes out in one `write(2)`, so an interrupted run keeps every finished frame.
///
/// CSV columns are `frame_id, source_id, frame_timestamp, dropped_before`, then the first frame's outputs
/// flattened into dotted names (`predictions.image.width`); lists and later-appearing keys are written as JSON
/// in their column or left out. Images are replaced by `{type, format, width, height, bytes}` unless `keepImages`.
public final class PipelineFrameWriter: @unchecked Sendable {
    /// The file format.
    public enum Format: String, Sendable, CaseIterable {
        /// One JSON object per line.
        case jsonl
        /// Comma-separated values with a header row.
        case csv

        /// The format a file name implies: `.csv` → CSV, `.jsonl`/`.ndjson`/`.json` → JSON Lines.
        public init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "csv": self = .csv
            case "jsonl", "ndjson", "json": self = .jsonl
            default: return nil
            }
        }
    }

    /// Where the lines go.
    public let path: String
    /// The format.
    public let format: Format
    /// Whether image outputs are written whole (base64) instead of summarised.
    public let keepImages: Bool
    private let file: AppendOnlyFile
    private let lock = NSLock()
    private var columns: [String]?

    /// Creates (or truncates) the file. `format` defaults to the one the extension implies; throws
    /// `.invalidInput` when there is none or the file cannot be opened.
    public init(path: String, format: Format? = nil, keepImages: Bool = false) throws(InferenceError) {
        guard let resolved = format ?? Format(path: path) else {
            throw InferenceError(.invalidInput, "cannot tell the format of \(path): name it .csv or .jsonl", input: path)
        }
        self.path = path
        self.format = resolved
        self.keepImages = keepImages
        self.file = try AppendOnlyFile(path: path, truncate: true)
    }

    /// Appends one frame (and, for the first CSV frame, the header row).
    public func write(_ frame: PipelineFrame) throws(InferenceError) {
        let json = frame.json(summarizingImages: !keepImages)
        switch format {
        case .jsonl:
            try file.appendLine(json.serialized())
        case .csv:
            lock.lock()
            defer { lock.unlock() }
            let fixed: [String] = [
                String(frame.frameID), frame.sourceID.map(String.init) ?? "", frame.timestamp, String(frame.droppedBefore),
            ]
            let flattened = CSVFormat.flatten(json["outputs"]?.objectValue ?? [:])
            if columns == nil {
                let names = Array(flattened.keys)
                columns = names
                let header = ["frame_id", "source_id", "frame_timestamp", "dropped_before"] + names
                try file.appendLine(Array(CSVFormat.row(header).utf8))
            }
            let cells = fixed + (columns ?? []).map { flattened[$0] ?? "" }
            try file.appendLine(Array(CSVFormat.row(cells).utf8))
        }
    }
}
