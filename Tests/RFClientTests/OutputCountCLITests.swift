import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient run` with three images against a server answering one output: a server failure (exit 4) naming both
/// counts, and nothing on stdout (it used to exit 0 with the one output put on the first image).
@Suite struct OutputCountCLITests {
    @Test(arguments: [1, 2, 4])
    func aRunAnsweredWithAnotherNumberOfOutputsFails(outputs: Int) async throws {
        let body = #"{"outputs":[\#(Array(repeating: #"{"n":1}"#, count: outputs).joined(separator: ","))],"profiler_trace":[]}"#
        let server = try await TestHTTPServer.start { _ in TestHTTPServer.json(200, body) }
        defer { Task { await server.shutdown() } }
        let images = ["swatch.png", "template.png", "template_scene.png"].flatMap { ["--image", "image=" + Fixture.path($0)] }
        let run = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--api-url", server.baseURL, "--retries", "0"] + images)
        #expect(run.status == 4, "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
        #expect(run.errorLines.count == 1, "\(run)")
        #expect(run.stderrText.contains("returned \(outputs) output\(outputs == 1 ? "" : "s") for a batch of 3 images"), "\(run)")
        #expect(server.requests.count == 1)
    }

    @Test func aRunAnsweredWithOneOutputPerImageSucceeds() async throws {
        let server = try await TestHTTPServer.start { _ in
            TestHTTPServer.json(200, #"{"outputs":[{"n":0},{"n":1},{"n":2}],"profiler_trace":[]}"#)
        }
        defer { Task { await server.shutdown() } }
        let images = ["swatch.png", "template.png", "template_scene.png"].flatMap { ["--image", "image=" + Fixture.path($0)] }
        let run = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--api-url", server.baseURL] + images)
        #expect(run.status == 0, "\(run)")
        #expect(try run.json().arrayValue?.compactMap { $0["n"]?.intValue } == [0, 1, 2])
    }
}
