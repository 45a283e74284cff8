import ImageCodecs
import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The real server is stopped while `rfclient process` runs, then restarted on the same port; a rerun
/// finishes the batch, and the results are the same as those of an undisturbed run.
@Suite(.serialized, .enabled(if: RealServer.available, "needs the real server's venv (INFERENCE_SERVER_URL set)"))
struct ServerKillTests {
    static let imageCount = 40

    /// Keys whose values differ between runs of the same workflow on the same image.
    static let volatileKeys: Set<String> = [
        "detection_id", "parent_id", "root_parent_id", "video_identifier", "frame_timestamp", "inference_id", "time",
        "prediction_type_id", "tracker_id",
    ]

    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var out = JSONObject()
            for (key, element) in object where !volatileKeys.contains(key) { out[key] = normalized(element) }
            return .object(out)
        case .array(let items): return .array(items.map(normalized))
        default: return value
        }
    }

    /// A bilateral blur (about 0.2 s per 480×360 image here), so the batch is still running when the server stops.
    static func arguments(input: String, output: String, url: String) -> [String] {
        ["process", input, "-o", output, "--spec", Fixture.path("blur.json"), "--api-url", url,
         "--param", "blur_type=bilateral", "--param", "kernel_size=25", "--concurrency", "2", "--retries", "1",
         "--aggregate", "jsonl"]
    }

    @Test(.timeLimit(.minutes(15)))
    func serverKilledMidBatchThenRestartedGivesTheUndisturbedResults() async throws {
        let work = try TemporaryDirectory("server-kill")
        defer { work.remove() }
        let input = try TemporaryDirectory.sub(work, "in")
        let names = try Images.rowVariants(seed: 7, width: 480, height: 360, count: Self.imageCount, in: input) {
            String(format: "scene-%02d.png", $0)
        }
        let disturbed = work.file("disturbed")
        let undisturbed = work.file("undisturbed")

        try await OwnServer.with { server in
            let arguments = Self.arguments(input: input.path, output: disturbed, url: server.url)
            let child = try CLI.spawn(arguments, environment: ["ROBOFLOW_API_KEY": Secret.key])
            // Stop the server once a few images are done.
            let progress = ProcessOutput(directory: disturbed)
            _ = await eventually(timeout: .seconds(120), every: .milliseconds(20)) { progress.donePaths.count >= 6 }
            await server.stop()
            let first = await child.wait(bound: .seconds(300))
            let firstRun = CLIRun(arguments: arguments, status: first.status, stdout: first.stdout, stderr: first.stderr)
            let doneBeforeKill = Set(progress.donePaths)
            #expect(first.status == 1, "the run should end with failed images: \(firstRun)")
            #expect(doneBeforeKill.count >= 6 && doneBeforeKill.count < Self.imageCount, "\(doneBeforeKill.count) done")
            #expect(progress.failures.count == Self.imageCount - doneBeforeKill.count, "every other image is recorded as failed")
            for record in progress.failures.values {
                #expect(["connectionFailed", "timeout"].contains(record["error_type"]?.stringValue ?? ""), "\(record)")
            }

            try await server.start()
            let second = try await CLI.run(arguments, environment: ["ROBOFLOW_API_KEY": Secret.key])
            #expect(second.status == 0, "\(second)")
            #expect(second.stderrText.contains("skipped \(doneBeforeKill.count), failed 0 of \(Self.imageCount)"), "\(second)")
            #expect(progress.failures.isEmpty)
            #expect(progress.donePaths.sorted() == names, "every image done exactly once over both runs")

            let reference = try await CLI.run(
                Self.arguments(input: input.path, output: undisturbed, url: server.url), environment: ["ROBOFLOW_API_KEY": Secret.key])
            #expect(reference.status == 0, "\(reference)")
            for run in [firstRun, second, reference] { Secret.expectAbsent(in: run.stdoutText + run.stderrText, "the CLI output") }
        }

        // Same results, image by image: results.json (volatile ids aside) and the blurred image's bytes.
        let left = ProcessOutput(directory: disturbed)
        let right = ProcessOutput(directory: undisturbed)
        for name in names {
            let a = try #require(left.results(for: name), "\(name) has no results after the rerun")
            let b = try #require(right.results(for: name))
            #expect(Self.normalized(a) == Self.normalized(b), "\(name)")
            let blurredA = FileManager.default.contents(atPath: "\(disturbed)/\(name)/blurred.jpg")
            let blurredB = FileManager.default.contents(atPath: "\(undisturbed)/\(name)/blurred.jpg")
            #expect(blurredA != nil && blurredA == blurredB, "\(name): blurred images differ")
        }
        func aggregate(_ output: ProcessOutput) -> [String] {
            output.lines("aggregated_results.jsonl").compactMap { line in
                (try? JSONValue(parsing: Array(line.utf8))).map { Self.normalized($0).jsonString }
            }.sorted()
        }
        #expect(aggregate(left).count == Self.imageCount)
        #expect(aggregate(left) == aggregate(right))
        Secret.expectAbsent(inFilesUnder: disturbed)
    }
}
