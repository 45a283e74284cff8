import Foundation
import InferenceSDK
import InferenceSDKVideo
import TestSupport
import Testing

/// `rfclient process-video --cpu-priority`: with a server on this machine and a file, the process runs under
/// SCHED_IDLE by default so that it takes no CPU the server wants; otherwise it competes as usual. `--verbose` prints
/// what was chosen and on how many threads the kernel reports SCHED_IDLE afterwards.
@Suite(.serialized, .enabled(if: RealServer.available && Requirement.runs(Clips.available), "needs INFERENCE_SERVER_URL, INFERENCE_PYTHON and ffmpeg"))
struct CPUPriorityTests {
    @Test
    func aFileWithALocalServerRunsInTheBackgroundByDefault() async throws {
        let clip = try await Clips.clip(.h264Mp4, frames: 20)
        let out = VideoCLI.temporaryFolder("priority-auto")
        let result = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.frameEcho, "--verbose", "--cpu-priority", "auto"])
        #expect(result.status == 0, "\(result)")
        let line = try #require(Self.priorityLine(result.stderr), "\(result)")
        if SchedulingPolicy.canReturnToNormal() {
            #expect(line.contains("background, SCHED_IDLE on ") && line.contains(", watched (the server is on this machine and the source is a file)"), "\(line)")
            // Every thread the process had then but the watchdog: the main thread, the runtime's and the HTTP client's.
            let threads = line.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .punctuationCharacters)) }.first ?? 0
            #expect(threads >= 2, "\(line)")
        } else {
            #expect(line.hasSuffix("normal (this process could not return to normal priority if other work starved it)"), "\(line)")
        }
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

    @Test(.enabled(if: Requirement.runs(SchedulingPolicy.canReturnToNormal()), "needs the privilege to leave SCHED_IDLE"))
    func aStarvedBackgroundRunReturnsToNormalAndFinishes() async throws {
        guard Requirement.expect(SchedulingPolicy.canReturnToNormal(), "the privilege to leave SCHED_IDLE (root or CAP_SYS_NICE)") else { return }
        let clip = try await Clips.clip(.h264Mp4, frames: 90)
        let out = VideoCLI.temporaryFolder("priority-starved")
        let child = try VideoCLI.spawn([clip, "-o", out, "--spec", VideoCLI.frameEcho, "--verbose", "--cpu-priority", "background"])
        // Busy threads at normal priority on every core: under SCHED_IDLE the run gets (almost) no CPU until the
        // watchdog moves it back. They stop as soon as it says so (or the run ends, or after 20 s), so that the rest
        // of the suite is slowed as little as can be.
        let returned = "cpu priority: back to normal: other processes keep this machine's CPU busy"
        let hogs = CPUHogs(threads: ProcessInfo.processInfo.activeProcessorCount, seconds: 20)
        let clock = ContinuousClock()
        let start = clock.now
        while child.isRunning, clock.now - start < .seconds(20), !String(decoding: child.stderrSoFar, as: UTF8.self).contains(returned) {
            try await Task.sleep(for: .milliseconds(100))
        }
        let hogged = clock.now - start
        hogs.stop()
        let result = await child.wait(bound: .seconds(180))
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        #expect(result.status == 0 && !result.timedOut, "exit \(result.status): \(stderr)")
        #expect(stderr.contains(returned), "busy for \(hogged): \(stderr)")
        #expect(VideoCLI.frameNumbers(try VideoCLI.records(out + "/results.jsonl")) == Array(1...90))
    }

    /// The `cpu priority:` line of a `--verbose` run's stderr.
    static func priorityLine(_ stderr: String) -> String? {
        stderr.split(separator: "\n").map(String.init).first { $0.contains("cpu priority:") }
    }
}

/// Threads that keep the CPU busy until stopped (or for `seconds`).
final class CPUHogs: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    init(threads: Int, seconds: Double) {
        let until = Date().addingTimeInterval(seconds)
        for _ in 0..<max(1, threads) {
            Thread {
                var x: UInt64 = 1
                while !self.isStopped && Date() < until {
                    for _ in 0..<100_000 { x = x &* 6364136223846793005 &+ 1442695040888963407 }
                }
                if x == 42 { print(x) }  // keeps the loop from being optimized away
            }.start()
        }
    }

    var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }
}
