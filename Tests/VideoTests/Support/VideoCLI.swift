import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient process-video …` (rfclient execs rfclient-video from its own folder), run against the real server.
enum VideoCLI {
    static let frameEcho = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/frame-echo.json").path
    static let blur = BuiltRFClient.repositoryRoot + "/Tests/Fixtures/workflows/blur.json"

    /// What a run printed, with stdout and stderr as text (a view of TestSupport's ``CLIRun``).
    struct Output: Sendable, CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\nstdout: \(stdout.prefix(2000))\nstderr: \(stderr.suffix(2000))" }
    }

    /// Starts `rfclient process-video arguments…` through TestSupport's one CLI runner.
    static func spawn(_ arguments: [String], url: String? = RealServer.url) throws -> ChildProcess {
        try CLI.spawn(["process-video"] + withPriority(arguments), server: url)
    }

    /// Runs `rfclient process-video arguments…` to completion through TestSupport's one CLI runner.
    static func run(_ arguments: [String], url: String? = RealServer.url, bound: Duration = .seconds(180)) async throws -> Output {
        let run = try await CLI.run(["process-video"] + withPriority(arguments), server: url, bound: bound)
        return Output(status: run.status, stdout: run.stdoutText, stderr: run.stderrText)
    }

    /// `arguments` with `--cpu-priority normal` unless they choose one. On a file and a loopback server the default
    /// is `background` (SCHED_IDLE), which waits for every ordinary thread — here the test runner's own tests running
    /// in parallel — and would make these runs' durations depend on the rest of the suite. CPUPriorityTests covers the
    /// default itself.
    static func withPriority(_ arguments: [String]) -> [String] {
        arguments.contains("--cpu-priority") ? arguments : arguments + ["--cpu-priority", "normal"]
    }

    /// The records of a results.jsonl.
    static func records(_ path: String) throws -> [[String: Any]] {
        try records(ndjson: try String(contentsOfFile: path, encoding: .utf8))
    }

    /// The records of NDJSON text (a results.jsonl, or what `-o -` printed); every line must be a JSON object.
    static func records(ndjson text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
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

    /// A new folder for one test (TestSupport's ``TemporaryDirectory``).
    static func temporaryFolder(_ name: String) -> String {
        (try? TemporaryDirectory("video-tests-\(name)").path) ?? FileManager.default.temporaryDirectory.path
    }
}
