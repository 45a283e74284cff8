import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The server dies mid-video: the run stops (exit 4) instead of failing every remaining frame; after a restart
/// a rerun sends only what is missing and results.jsonl ends with each frame exactly once, in order.
@Suite(.enabled(if: RealServer.available && Requirement.runs(Clips.available), "needs INFERENCE_SERVER_URL, INFERENCE_PYTHON and ffmpeg"))
struct ServerKillTests {
    static let script = BuiltRFClient.repositoryRoot + "/scripts/inference-server.sh"

    static func start(_ state: String) async throws -> String {
        let result = try await ChildProcess.run("/bin/bash", [script, "start", state], environment: ProcessInfo.processInfo.environment, bound: .seconds(400))
        let url = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(result.status == 0 && url.hasPrefix("http://"), "could not start a server: \(String(decoding: result.stderr, as: UTF8.self).suffix(1500))")
        return url
    }

    static func kill(_ state: String) async throws {
        let pid = try #require(Int32(try String(contentsOfFile: state + "/pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        Foundation.kill(pid, SIGKILL)
        _ = try? await ChildProcess.run("/bin/bash", [script, "stop", state], environment: ProcessInfo.processInfo.environment, bound: .seconds(60))
    }

    @Test(.timeLimit(.minutes(10)))
    func serverKilledMidVideoThenRerunEndsWithEachFrameOnce() async throws {
        let clip = try await Clips.clip(.h264Mp4, frames: 240, width: 320, height: 240)
        let state = VideoCLI.temporaryFolder("own-server")
        let out = VideoCLI.temporaryFolder("killed")
        let url = try await Self.start(state)
        let child = try VideoCLI.spawn([clip, "-o", out, "--spec", VideoCLI.frameEcho, "--retries", "1", "--concurrency", "2"], url: url)
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline {
            let lines = (try? String(contentsOfFile: out + "/results.jsonl", encoding: .utf8))?.split(separator: "\n").count ?? 0
            if lines >= 30 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Self.kill(state)
        let first = await child.wait(bound: .seconds(120))
        let stderr = String(decoding: first.stderr, as: UTF8.self)
        #expect(first.status == 4, "exit \(first.status): \(stderr)")
        #expect(stderr.contains("rerun"), "\(stderr)")
        let partial = VideoCLI.frameNumbers(try VideoCLI.records(out + "/results.jsonl"))
        #expect(partial.count >= 30 && partial.count < 240, "\(partial.count) frames before the kill")
        #expect(partial == Array(1...partial.count))

        let restarted = try await Self.start(state)
        defer { Task { try? await Self.kill(state) } }
        let rerun = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.frameEcho], url: restarted)
        #expect(rerun.status == 0, "\(rerun)")
        let records = try VideoCLI.records(out + "/results.jsonl")
        #expect(VideoCLI.frameNumbers(records) == Array(1...240), "each frame exactly once, in order")
        #expect(records.map(VideoCLI.encodedIndex) == Array(0..<240).map { Optional($0) })
        try await Self.kill(state)
    }
}
