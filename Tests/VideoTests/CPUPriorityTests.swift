import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient process-video --cpu-priority`: with a server on this machine and a file, the process runs under
/// SCHED_IDLE by default so that it takes no CPU the server wants; otherwise it competes as usual. `--verbose` prints
/// what was chosen and on how many threads the kernel reports SCHED_IDLE afterwards.
@Suite(.enabled(if: RealServer.available && Clips.available, "needs INFERENCE_SERVER_URL, INFERENCE_PYTHON and ffmpeg"))
struct CPUPriorityTests {
    @Test
    func aFileWithALocalServerRunsInTheBackgroundByDefault() async throws {
        let clip = try await Clips.clip(.h264Mp4, frames: 20)
        let out = VideoCLI.temporaryFolder("priority-auto")
        let result = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.frameEcho, "--verbose", "--cpu-priority", "auto"])
        #expect(result.status == 0, "\(result)")
        let line = try #require(Self.priorityLine(result.stderr), "\(result)")
        #expect(line.contains("background, SCHED_IDLE on ") && line.contains("(the server is on this machine and the source is a file)"), "\(line)")
        // Every thread the process had then: the main thread, the runtime's and the HTTP client's.
        let threads = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        #expect(threads >= 2, "\(line)")
        #expect(VideoCLI.frameNumbers(try VideoCLI.records(out + "/results.jsonl")) == Array(1...20))
    }

    @Test
    func normalAndBackgroundAreHonoured() async throws {
        let clip = try await Clips.clip(.mjpegAvi, frames: 6)
        let normal = try await VideoCLI.run([clip, "-o", "-", "--spec", VideoCLI.frameEcho, "--verbose", "--cpu-priority", "normal"])
        #expect(normal.status == 0, "\(normal)")
        #expect(Self.priorityLine(normal.stderr) == "rfclient: cpu priority: normal (--cpu-priority normal)", "\(normal)")
        #expect(VideoCLI.frameNumbers(try VideoCLI.records(ndjson: normal.stdout)) == Array(1...6))
        let background = try await VideoCLI.run([clip, "-o", "-", "--spec", VideoCLI.frameEcho, "--verbose", "--cpu-priority", "background"])
        #expect(background.status == 0, "\(background)")
        let line = try #require(Self.priorityLine(background.stderr), "\(background)")
        #expect(line.contains("background, SCHED_IDLE on ") && line.hasSuffix("(--cpu-priority background)"), "\(line)")
    }

    @Test
    func aLiveSourceStaysAtNormalPriority() async throws {
        let server = try MJPEGStreamServer(frames: 10, fps: 30)
        defer { server.stop() }
        let result = try await VideoCLI.run([server.url, "-o", "-", "--spec", VideoCLI.frameEcho, "--verbose", "--cpu-priority", "auto"])
        #expect(result.status == 0, "\(result)")
        #expect(Self.priorityLine(result.stderr) == "rfclient: cpu priority: normal (the source is live and must be read as it comes)", "\(result)")
    }

    @Test
    func aRemoteServerLeavesThePriorityAlone() async throws {
        let clip = try await Clips.clip(.mjpegAvi, frames: 2)
        // 192.0.2.1 (TEST-NET-1) is nobody's: the run stops unreachable, after choosing its priority.
        let result = try await VideoCLI.run(
            [clip, "-o", "-", "--spec", VideoCLI.frameEcho, "--verbose", "--cpu-priority", "auto", "--timeout", "1", "--retries", "0"],
            url: "http://192.0.2.1:9001"
        )
        #expect(result.status == 4, "\(result)")
        #expect(Self.priorityLine(result.stderr) == "rfclient: cpu priority: normal (the server is on another machine)", "\(result)")
    }

    @Test
    func aBadPriorityIsAUsageError() async throws {
        let clip = try await Clips.clip(.mjpegAvi, frames: 2)
        let result = try await VideoCLI.run([clip, "-o", "-", "--spec", VideoCLI.frameEcho, "--cpu-priority", "high"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("cpu-priority") && result.stderr.contains("high"), "\(result)")
        #expect(result.stdout.isEmpty)
    }

    /// The `cpu priority:` line of a `--verbose` run's stderr.
    static func priorityLine(_ stderr: String) -> String? {
        stderr.split(separator: "\n").map(String.init).first { $0.contains("cpu priority:") }
    }
}
