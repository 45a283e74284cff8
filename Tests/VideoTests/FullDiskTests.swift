import Foundation
import InferenceSDK
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `rfclient process-video` into a small tmpfs that fills up mid-video: the run stops at the first write that fails
/// (exit 5, one line naming the path and the OS's cause, the rest of the video not sent), and a rerun after space is
/// freed finishes the rest: results.jsonl then holds every frame exactly once, in order.
@Suite(
    .enabled(if: RealServer.available && Requirement.runs(Clips.available), "needs INFERENCE_SERVER_URL, INFERENCE_PYTHON and ffmpeg"),
    .enabled(if: Requirement.runs(Requirement.isRoot), "mounting a tmpfs needs root")
)
struct VideoFullDiskTests {
    static func mount(_ arguments: [String]) async throws -> Int32 {
        try await ChildProcess.run("/bin/mount", arguments, environment: ProcessInfo.processInfo.environment, bound: .seconds(30)).status
    }

    @Test func aFullDiskStopsTheVideoAndARerunFinishesIt() async throws {
        let frames = 240
        let clip = try await Clips.clip(.mjpegAvi, frames: frames)
        let folder = try TemporaryDirectory("video-full-disk")
        defer { folder.remove() }
        let disk = folder.file("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        // Room for part of results.jsonl and results.csv (a record is ~150 bytes).
        #expect(try await Self.mount(["-t", "tmpfs", "-o", "size=16k", "tmpfs", disk]) == 0)
        defer { _ = umount(disk) }
        let upstream = try #require(RealServer.url)
        let proxy = try await FaultProxy.start(upstream: upstream)
        defer { Task { await proxy.shutdown() } }
        let out = disk + "/out"
        let arguments = [clip, "-o", out, "--spec", VideoCLI.frameEcho, "--concurrency", "1"]

        let first = try await VideoCLI.run(arguments, url: proxy.baseURL)
        #expect(first.status == 5, "\(first)")
        let cause = try #require(first.stderr.split(separator: "\n").last.map(String.init), "\(first)")
        #expect(cause.hasPrefix("rfclient: local I/O failed: "), "\(first)")
        #expect(cause.contains(out + "/"), "the line names the path: \(cause)")
        #expect(cause.contains("No space left on device"), "\(cause)")
        let sentFirst = proxy.requestWidths.count
        #expect(sentFirst < frames, "the whole video was sent although nothing could be kept: \(sentFirst) requests")

        #expect(try await Self.mount(["-o", "remount,size=16m", disk]) == 0)
        proxy.reset { _ in .forward }
        let second = try await VideoCLI.run(arguments, url: proxy.baseURL)
        #expect(second.status == 0, "\(second)")
        let records = try VideoCLI.records(out + "/results.jsonl")
        #expect(VideoCLI.frameNumbers(records) == Array(1...frames), "every frame exactly once, in order")
        #expect(records.map(VideoCLI.encodedIndex) == (0..<frames).map { Optional($0 % 256) })
        // The rerun sent only what the first run did not keep.
        let kept = frames - proxy.requestWidths.count
        #expect(kept > 0 && kept <= sentFirst, "first run sent \(sentFirst), kept \(kept)")
        // "Stops at the first failed write": beyond what it kept, the first run sent the frame whose write failed and
        // at most what was in flight then (one request at a time, `--concurrency 1`: 2 in all). `sentFirst < frames`
        // alone accepted 239 of 240 sent.
        print("VideoFullDiskTests: the first run sent \(sentFirst) of \(frames) frames and kept \(kept)")
        #expect(sentFirst - kept <= 2, "first run sent \(sentFirst), kept \(kept)")
    }
}
