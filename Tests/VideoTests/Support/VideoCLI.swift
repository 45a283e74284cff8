import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient process-video …` (rfclient execs rfclient-video from its own folder), run against the real server.
enum VideoCLI {
    static let frameEcho = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/frame-echo.json").path
    static let blur = BuiltRFClient.repositoryRoot + "/Tests/Fixtures/workflows/blur.json"

    static func environment(url: String? = RealServer.url) -> [String: String] {
        var extra: [String: String] = [:]
        if let url { extra["ROBOFLOW_API_URL"] = url }
        return BuiltRFClient.environment(extra)
    }

    struct Output: Sendable, CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\nstdout: \(stdout.prefix(2000))\nstderr: \(stderr.suffix(2000))" }
    }

    static func spawn(_ arguments: [String], url: String? = RealServer.url) throws -> ChildProcess {
        let executable = try #require(BuiltRFClient.path, "build rfclient first (swift build --build-tests)")
        return try ChildProcess.spawn(executable, ["process-video"] + arguments, environment: environment(url: url))
    }

    static func run(_ arguments: [String], url: String? = RealServer.url, bound: Duration = .seconds(180)) async throws -> Output {
        let child = try spawn(arguments, url: url)
        let result = await child.wait(bound: bound)
        #expect(!result.timedOut, "rfclient process-video \(arguments.joined(separator: " ")) did not finish")
        return Output(status: result.status, stdout: String(decoding: result.stdout, as: UTF8.self), stderr: String(decoding: result.stderr, as: UTF8.self))
    }

    /// The records of a results.jsonl.
    static func records(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
    }

    static func frameNumbers(_ records: [[String: Any]]) -> [Int] {
        records.compactMap { $0["frame_number"] as? Int }
    }

    /// The frame index the record's `color` output encodes.
    static func encodedIndex(_ record: [String: Any]) -> Int? {
        guard let outputs = record["outputs"] as? [String: Any], let color = outputs["color"] as? [Int] else { return nil }
        return Clips.frameIndex(fromRGB: color)
    }

    static func temporaryFolder(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("video-tests-\(name)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
