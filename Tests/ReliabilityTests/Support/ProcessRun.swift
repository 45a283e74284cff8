import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The files a `rfclient process` run leaves in its output folder, parsed.
struct ProcessOutput {
    let directory: String

    /// `failures.jsonl` as (path → record).
    var failures: [String: JSONValue] {
        var records: [String: JSONValue] = [:]
        for line in lines("failures.jsonl") {
            guard let json = try? JSONValue(parsing: Array(line.utf8)), let path = json["path"]?.stringValue else { continue }
            records[path] = json
        }
        return records
    }

    /// The paths `progress.jsonl` records as done, in order (a path twice means it was done twice).
    var donePaths: [String] {
        lines("progress.jsonl").compactMap { line in
            (try? JSONValue(parsing: Array(line.utf8)))?["path"]?.stringValue
        }
    }

    /// `OUT/<image>/results.json`, parsed.
    func results(for image: String) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + image + "/results.json") else { return nil }
        return try? JSONValue(parsing: [UInt8](data))
    }

    func lines(_ name: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

/// The arguments of a `rfclient process` run of the blur workflow.
enum ProcessArguments {
    static func blur(input: String, output: String, apiURL: String, extra: [String] = []) -> [String] {
        ["process", input, "-o", output, "--spec", Fixture.path("blur.json"), "--api-url", apiURL,
         "--param", "kernel_size=5", "--concurrency", "2", "--aggregate", "jsonl", "--verbose"] + extra
    }
}
