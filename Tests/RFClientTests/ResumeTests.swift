import ImageCodecs
import Foundation
import InferenceSDK
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An interrupted `rfclient process` and its rerun: together they do every image exactly once.
///
/// Requests go through a ``FaultProxy`` that forwards them to the real server, except the ones a test
/// fails (503) or holds (to interrupt the run at a known point). Every image has its own width, so the
/// injector can tell which image each request carried.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct ResumeTests {
    /// `img-0.png` … `img-5.png` (gradients 50…55 px wide) and `sub/img-6.png` (56 px).
    static let widths: [String: Int] = Dictionary(uniqueKeysWithValues: (0..<7).map { ($0 == 6 ? "sub/img-6.png" : "img-\($0).png", 50 + $0) })

    func makeImages(_ tmp: TemporaryDirectory) throws -> String {
        for (path, width) in Self.widths {
            try tmp.write("in/\(path)", PNGCodec.encode(try Fixture.gradient(width: width, height: 30)))
        }
        return tmp.file("in")
    }

    func progressPaths(_ path: String) throws -> [String] {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        return try text.split(separator: "\n").map { try JSONValue(parsing: String($0))["path"]?.stringValue ?? "?" }
    }

    func widths(of paths: some Sequence<String>) -> Set<Int> { Set(paths.compactMap { Self.widths[$0] }) }

    func arguments(_ input: String, _ out: String, _ injector: FaultProxy) -> [String] {
        [
            "process", input, "-o", out, "--spec", Fixture.path("blur.json"), "--recursive", "--concurrency", "1",
            "--retries", "0", "--api-url", injector.baseURL,
        ]
    }

    @Test func stoppedAfterMaxFailuresThenRerunFinishesTheRest() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let input = try makeImages(tmp)
        let out = tmp.file("out")
        let upstream = try #require(RealServer.url)
        // img-2 (52 px) fails with 503: with one request at a time the run stops there.
        let injector = try await FaultProxy.start(upstream: upstream) { _, width in
            width == 52 ? .fault(TestHTTPServer.json(503, #"{"message":"injected outage"}"#)) : .forward
        }
        defer { Task { await injector.shutdown() } }

        let first = try await CLI.run(arguments(input, out, injector) + ["--max-failures", "1"])
        #expect(first.status == 1, "\(first)")
        #expect(first.stderrText.contains("done 2, skipped 0, failed 1 of 7 images"), "\(first)")
        #expect(first.stderrText.contains("stopped after 1 failures"))
        #expect(injector.requestWidths == [50, 51, 52])
        #expect(try progressPaths(out + "/progress.jsonl") == ["img-0.png", "img-1.png"])
        let failures = String(decoding: try tmp.read("out/failures.jsonl"), as: UTF8.self)
        let failure = try JSONValue(parsing: failures.trimmingCharacters(in: .newlines))
        #expect(failure["path"] == "img-2.png")
        #expect(failure["status"] == 503)
        #expect(failure["message"]?.stringValue?.contains("injected outage") == true)

        injector.reset { _, _ in .forward }
        let second = try await CLI.run(arguments(input, out, injector))
        #expect(second.status == 0, "\(second)")
        #expect(second.stderrText.contains("done 5, skipped 2, failed 0 of 7 images"), "\(second)")
        // Exactly the remaining five, each once: the failed one is retried, finished ones are not redone.
        let rerun = injector.requestWidths.compactMap { $0 }
        #expect(rerun.count == 5)
        #expect(Set(rerun) == [52, 53, 54, 55, 56])
        let logged = try progressPaths(out + "/progress.jsonl")
        #expect(logged.count == 7)
        #expect(Set(logged) == Set(Self.widths.keys))
        #expect(try tmp.read("out/failures.jsonl").isEmpty)
        #expect(!second.stderrText.contains("failures:"))
    }

    /// Ctrl-C (SIGINT) and a service manager's stop (SIGTERM) take the same path: exit 130, log consistent.
    @Test(arguments: [SIGINT, SIGTERM])
    func interruptedBySignalThenRerunFinishesExactlyTheRemainingImages(signal: Int32) async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let input = try makeImages(tmp)
        let out = tmp.file("out")
        let upstream = try #require(RealServer.url)
        // The fourth request (img-3) is held, so the interrupt lands with img-0…img-2 done and img-3 in flight.
        let injector = try await FaultProxy.start(upstream: upstream) { index, _ in index == 3 ? .hold : .forward }
        defer { Task { await injector.shutdown() } }

        let child = try CLI.spawn(arguments(input, out, injector))
        // Three images first: on a loaded CI machine the shared server has taken a minute for them.
        let held = await injector.waitForHeldRequest(bound: .seconds(180))
        #expect(held)
        child.send(signal)
        let first = await child.wait(bound: .seconds(60))
        injector.release()
        let stderr = String(decoding: first.stderr, as: UTF8.self)
        #expect(!first.timedOut)
        #expect(first.status == 130, "exit \(first.status): \(stderr)")
        #expect(stderr.contains("done 3, skipped 0, failed 0 of 7 images"), "\(stderr)")
        #expect(stderr.contains("interrupted: rerun to finish 4 images"), "\(stderr)")
        #expect(injector.requestWidths == [50, 51, 52, 53])
        // The log holds whole lines for the finished images only; the abandoned image is not a failure.
        #expect(try progressPaths(out + "/progress.jsonl") == ["img-0.png", "img-1.png", "img-2.png"])
        #expect(try tmp.read("out/failures.jsonl").isEmpty)
        #expect(!tmp.exists("out/img-3.png/results.json"))
        let jsonl = String(decoding: try tmp.read("out/aggregated_results.jsonl"), as: UTF8.self)
        #expect(jsonl.split(separator: "\n").count == 3)

        injector.reset { _, _ in .forward }
        let second = try await CLI.run(arguments(input, out, injector))
        #expect(second.status == 0, "\(second)")
        #expect(second.stderrText.contains("done 4, skipped 3, failed 0 of 7 images"), "\(second)")
        let rerun = injector.requestWidths.compactMap { $0 }
        #expect(rerun.count == 4)
        #expect(Set(rerun) == [53, 54, 55, 56])
        let logged = try progressPaths(out + "/progress.jsonl")
        #expect(logged.count == 7)
        #expect(Set(logged) == Set(Self.widths.keys))
        for (path, width) in Self.widths {
            let results = try JSONValue(parsing: tmp.read("out/\(path)/results.json"))
            #expect(results["blurred"]?["width"] == .int(width), "\(path)")
        }
        let aggregated = String(decoding: try tmp.read("out/aggregated_results.jsonl"), as: UTF8.self)
        #expect(aggregated.split(separator: "\n").count == 7)

        // A third run has nothing left to do; --force redoes everything.
        injector.reset { _, _ in .forward }
        let third = try await CLI.run(arguments(input, out, injector))
        #expect(third.status == 0, "\(third)")
        #expect(third.stderrText.contains("done 0, skipped 7, failed 0 of 7 images"), "\(third)")
        #expect(injector.requestWidths.isEmpty)
        let forced = try await CLI.run(arguments(input, out, injector) + ["--force"])
        #expect(forced.status == 0, "\(forced)")
        #expect(forced.stderrText.contains("done 7, skipped 0, failed 0 of 7 images"), "\(forced)")
        #expect(try progressPaths(out + "/progress.jsonl").count == 7)
    }
}
