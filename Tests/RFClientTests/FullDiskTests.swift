import ImageCodecs
import Foundation
import InferenceSDK
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `rfclient process` into a small tmpfs that fills up mid-run: the run stops at the first write that fails
/// (exit 5, one line naming the path and the OS's cause, nothing more sent), and a rerun after space is freed
/// finishes the rest, every image done exactly once across both runs.
///
/// Mounting needs root (CI runs as root); elsewhere the suite is skipped, visibly.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"), .enabled(if: Requirement.runs(Requirement.isRoot), "mounting a tmpfs needs root"))
struct FullDiskTests {
    static let count = 24

    /// Incompressible images (~36 KB as PNG), image `i` is `100 + i` pixels wide so requests can be told apart.
    static func noisyPNG(index: Int) throws -> [UInt8] {
        let width = 100 + index, height = 100
        var state = UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15 | 1
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        for i in bytes.indices {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[i] = UInt8(truncatingIfNeeded: state)
        }
        return try PNGCodec.encode(try PixelBuffer(width: width, height: height, format: .rgb8, bytes: bytes))
    }

    static func run(_ command: String, _ arguments: [String]) async throws -> Int32 {
        let child = try ChildProcess.spawn(command, arguments, environment: ProcessInfo.processInfo.environment, stdin: nil)
        let result = await child.wait(bound: .seconds(30))
        return result.status
    }

    @Test func aFullDiskStopsTheRunAndARerunFinishesTheRest() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        for index in 0..<Self.count { try tmp.write("in/img-\(index).png", try Self.noisyPNG(index: index)) }
        let spec = try tmp.write("echo.json", json: .object(Fixture.echo.json))
        let mount = tmp.file("disk")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        // Room for a handful of results (each image is saved back beside its results.json).
        #expect(try await Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mount]) == 0)
        defer { _ = umount(mount) }

        let upstream = try #require(RealServer.url)
        let injector = try await FaultProxy.start(upstream: upstream) { _, _ in .forward }
        defer { Task { await injector.shutdown() } }
        let out = mount + "/out"
        let arguments = ["process", tmp.file("in"), "-o", out, "--spec", spec, "--concurrency", "1", "--api-url", injector.baseURL]

        let first = try await CLI.run(arguments)
        #expect(first.status == 5, "\(first)")
        let cause = try #require(first.stderrLines.last, "\(first)")
        #expect(cause.hasPrefix("rfclient: local I/O failed: cannot "), "\(first)")
        #expect(cause.contains(out + "/"), "the line names the path: \(cause)")
        #expect(cause.hasSuffix(": No space left on device"), "\(cause)")
        #expect(first.stderrText.contains("stopped: results cannot be written here"), "\(first)")
        let firstDone = Set(ProcessOutput(directory: out).donePaths)
        let sentFirst = injector.requestWidths.compactMap { $0 }
        #expect(!firstDone.isEmpty && firstDone.count < Self.count, "the disk should fill mid-run: \(firstDone.count) done")
        // Stopped at the first failed write: one request more than the images kept, not the whole folder.
        #expect(sentFirst.count == firstDone.count + 1, "sent \(sentFirst.count) requests for \(firstDone.count) kept results")

        #expect(try await Self.run("/bin/mount", ["-o", "remount,size=16m", mount]) == 0)
        injector.reset { _, _ in .forward }
        let second = try await CLI.run(arguments)
        #expect(second.status == 0, "\(second)")
        #expect(second.stderrText.contains("done \(Self.count - firstDone.count), skipped \(firstDone.count), failed 0 of \(Self.count) images"), "\(second)")
        // Every image exactly once in the log, and the rerun sent exactly the images the first run did not keep.
        let log = ProcessOutput(directory: out).donePaths
        #expect(log.count == Self.count && Set(log).count == Self.count, "\(log)")
        let sentSecond = injector.requestWidths.compactMap { $0 }
        let keptFirst = Set(firstDone.compactMap { Int($0.dropFirst(4).dropLast(4)) }.map { $0 + 100 })
        #expect(sentSecond.count == Self.count - firstDone.count)
        #expect(Set(sentSecond).isDisjoint(with: keptFirst))
        #expect(Set(sentSecond).union(keptFirst) == Set((0..<Self.count).map { $0 + 100 }))
        #expect(FileManager.default.fileExists(atPath: out + "/aggregated_results.jsonl"))
    }
}
