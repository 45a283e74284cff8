import Foundation
import ImageCodecs
import InferenceSDK
import RFClientCommon
import Synchronization
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A second Ctrl-C quits at once. The first stops new work; what it cannot reach it waits for, and a job can be stuck
/// where cancelling does not reach: here the fourth image is replaced, after the folder was listed, by a FIFO nobody
/// writes to, so reading it blocks in `open(2)` (as a file on a hung network mount would). A second Ctrl-C within a few
/// seconds then exits 130 straight away, keeping what finished, and a rerun does the rest. (An HTTP request in flight
/// is abandoned by the first Ctrl-C already: ResumeTests.) A Ctrl-C after those seconds counts as a first one again.
@Suite struct SecondInterruptTests {
    /// The widths of the images the in-process server was sent, in order.
    final class Seen: Sendable {
        let widths = Mutex<[Int]>([])
        func record(_ width: Int) { widths.withLock { $0.append(width) } }
        var all: [Int] { widths.withLock { $0 } }
        func reset() { widths.withLock { $0 = [] } }
    }

    static func width(_ request: TestHTTPServer.Request) -> Int {
        let inputs = request.json?["inputs"] as? [String: Any]
        guard let value = (inputs?["image"] as? [String: Any])?["value"] as? String, let bytes = Data(base64Encoded: value) else { return -1 }
        return ImageInfo.read([UInt8](bytes))?.width ?? -1
    }

    static func png(_ index: Int) throws -> [UInt8] { try PNGCodec.encode(try Fixture.gradient(width: 50 + index, height: 20)) }

    /// A `process` run of six images (`--concurrency 1`) against an in-process server, stuck on its fourth: three
    /// images are done and the job blocks reading img-3.png, a FIFO by then.
    struct StuckJob {
        let tmp: TemporaryDirectory
        let fifo: String
        let seen: Seen
        let server: TestHTTPServer
        let arguments: [String]
        let child: ChildProcess

        /// What the child wrote on stderr so far.
        var stderr: String { String(decoding: child.stderrSoFar, as: UTF8.self) }

        /// The "stopping" lines so far: one per Ctrl-C taken as a first one.
        var stoppingLines: Int { stderr.components(separatedBy: "rfclient: stopping").count - 1 }

        /// Kills the child if it still runs, stops the server, removes the folder.
        func cleanUp() {
            if child.isRunning { _ = child.send(SIGKILL) }
            let server = self.server
            Task { await server.shutdown() }
            tmp.remove()
        }
    }

    static func stuckJob() async throws -> StuckJob {
        let tmp = try TemporaryDirectory()
        for index in 0..<6 { try tmp.write("in/img-\(index).png", Self.png(index)) }
        let fifo = tmp.file("in/img-3.png")
        let seen = Seen()
        let swapped = Mutex<Int32?>(nil)
        let server = try await TestHTTPServer.start { request in
            let width = Self.width(request)
            seen.record(width)
            // While the third image is in flight (the folder is listed, img-3.png is a regular file there), img-3.png
            // becomes a FIFO: the job's read of it will block.
            if width == 52 {
                let result = unlink(fifo) == 0 && mkfifo(fifo, 0o644) == 0 ? 0 : errno
                swapped.withLock { $0 = result }
            }
            return TestHTTPServer.json(200, #"{"outputs":[{"width":\#(width)}],"profiler_trace":[]}"#)
        }
        let arguments = [
            "process", tmp.file("in"), "-o", tmp.file("out"), "--spec", Fixture.path("blur.json"), "--concurrency", "1",
            "--retries", "0", "--api-url", server.baseURL,
        ]
        let child = try CLI.spawn(arguments)
        let job = StuckJob(tmp: tmp, fifo: fifo, seen: seen, server: server, arguments: arguments, child: child)
        // Three images done, and the fourth blocked on the FIFO (no request for it can come).
        #expect(await eventually(timeout: .seconds(60), every: .milliseconds(20)) { tmp.exists("out/img-2.png/results.json") })
        #expect(swapped.withLock { $0 } == 0, "img-3.png could not be made a FIFO")
        try await Task.sleep(for: .milliseconds(300))
        #expect(seen.all == [50, 51, 52])
        return job
    }

    @Test func aSecondCtrlCQuitsAJobStuckWhereCancellingCannotReachAndARerunFinishesTheRest() async throws {
        let job = try await Self.stuckJob()
        defer { job.cleanUp() }
        let (tmp, fifo, seen, child, arguments) = (job.tmp, job.fifo, job.seen, job.child, job.arguments)

        // The first Ctrl-C: no new work, but the blocked read goes on.
        #expect(child.send(SIGINT))
        let stderrText = { job.stderr }
        #expect(await eventually(timeout: .seconds(10), every: .milliseconds(20)) { stderrText().contains("stopping") }, "\(stderrText())")
        try await Task.sleep(for: .milliseconds(500))
        #expect(child.isRunning, "the run ended on the first Ctrl-C, so this test no longer tests a stuck job: \(stderrText())")

        // The second, within the window: exit 130 now.
        let sent = ContinuousClock.now
        #expect(child.send(SIGINT))
        let first = await child.wait(bound: .seconds(20))
        let waited = ContinuousClock.now - sent
        let stderr = String(decoding: first.stderr, as: UTF8.self)
        #expect(!first.timedOut, "a second Ctrl-C did not end the run: \(stderr)")
        #expect(first.status == 130, "exit \(first.status): \(stderr)")
        #expect(waited < .seconds(5), "took \(waited)")
        #expect(stderr.contains("interrupted again: quitting now"), "\(stderr)")
        #expect(seen.all == [50, 51, 52])
        for index in 0..<3 { #expect(tmp.exists("out/img-\(index).png/results.json"), "img-\(index)") }

        // The FIFO becomes a real image; the rerun does exactly the rest.
        try FileManager.default.removeItem(atPath: fifo)
        try tmp.write("in/img-3.png", Self.png(3))
        seen.reset()
        let rerun = try await CLI.run(arguments, bound: .seconds(120))
        #expect(rerun.status == 0, "\(rerun)")
        #expect(rerun.stderrText.contains("done 3, skipped 3, failed 0 of 6 images"), "\(rerun)")
        #expect(seen.all == [53, 54, 55])
        for index in 0..<6 {
            let results = try JSONValue(parsing: tmp.read("out/img-\(index).png/results.json"))
            #expect(results["width"] == .int(50 + index), "img-\(index)")
        }
    }

    /// A Ctrl-C more than 5 s (`Interrupt.forceWindow`) after the first counts as a first one again, as README says: the run
    /// goes on stopping, and only a Ctrl-C within 5 s of that one quits at once. InterruptWindowTests pins the rule on
    /// chosen instants; this is the built rfclient's handler doing it.
    @Test func aCtrlCAfterTheWindowCountsAsAFirstOneAgain() async throws {
        let job = try await Self.stuckJob()
        defer { job.cleanUp() }
        #expect(job.child.send(SIGINT))
        #expect(await eventually(timeout: .seconds(10), every: .milliseconds(20)) { job.stoppingLines == 1 }, "\(job.stderr)")
        // The child noted the time of that Ctrl-C before printing "stopping": waiting out the window from now (a time
        // span the rule names, not a stand-in for an event) puts the next Ctrl-C after it.
        try await Task.sleep(for: Interrupt.forceWindow + .milliseconds(500))
        #expect(job.child.isRunning, "the run ended on the first Ctrl-C, so this test no longer tests a stuck job: \(job.stderr)")

        // After the window: a first Ctrl-C again, the run goes on.
        #expect(job.child.send(SIGINT))
        #expect(await eventually(timeout: .seconds(10), every: .milliseconds(20)) { job.stoppingLines == 2 },
                "a Ctrl-C after the window was not taken as a first one: \(job.stderr)")
        #expect(job.child.isRunning && !job.stderr.contains("interrupted again"), "\(job.stderr)")

        // Within 5 s of that one: exit 130 now.
        #expect(job.child.send(SIGINT))
        let end = await job.child.wait(bound: .seconds(20))
        let stderr = String(decoding: end.stderr, as: UTF8.self)
        #expect(!end.timedOut && end.status == 130, "exit \(end.status): \(stderr)")
        #expect(stderr.contains("interrupted again: quitting now"), "\(stderr)")
        #expect(job.seen.all == [50, 51, 52])
    }
}
