import Foundation
import InferenceSDK

/// The files a `rfclient process` run leaves in its output folder, parsed.
public struct ProcessOutput: Sendable {
    /// The output folder.
    public let directory: String

    /// The files under `directory`.
    public init(directory: String) { self.directory = directory }

    /// `failures.jsonl` as (path → record).
    public var failures: [String: JSONValue] {
        var records: [String: JSONValue] = [:]
        for line in lines("failures.jsonl") {
            guard let json = try? JSONValue(parsing: Array(line.utf8)), let path = json["path"]?.stringValue else { continue }
            records[path] = json
        }
        return records
    }

    /// The paths `progress.jsonl` records as done, in order (a path twice means it was done twice).
    public var donePaths: [String] {
        lines("progress.jsonl").compactMap { line in
            (try? JSONValue(parsing: Array(line.utf8)))?["path"]?.stringValue
        }
    }

    /// `OUT/<image>/results.json`, parsed.
    public func results(for image: String) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + image + "/results.json") else { return nil }
        return try? JSONValue(parsing: [UInt8](data))
    }

    /// The lines of `OUT/name` (none when it is missing).
    public func lines(_ name: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
