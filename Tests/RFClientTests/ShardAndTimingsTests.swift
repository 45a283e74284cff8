import Foundation
import InferenceJobs
import InferenceSDK
import TestSupport
import Testing

/// `rfclient process --shard K/N` against the real server, `--timings` against an in-process server that
/// sends the timing headers, and the `run` options of issue 12 (`--legacy-endpoints`, `--verbose`, `--debug`).
@Suite struct ShardAndTimingsTests {
    func lines(_ path: String) throws -> [JSONValue] {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        return try text.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    /// 24 small images in nested folders.
    func makeFolder(_ tmp: TemporaryDirectory) throws -> (String, Set<String>) {
        var names = Set<String>()
        let bytes = try Fixture.bytes("template.png")
        for i in 0..<24 {
            let name = i % 3 == 0 ? "img-\(i).png" : i % 3 == 1 ? "cam-a/\(i).png" : "cam-b/deep/\(i).png"
            try tmp.write("in/" + name, bytes)
            names.insert(name)
        }
        return (tmp.file("in"), names)
    }

    @Test(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
    func shardsTogetherProcessEveryImageExactlyOnce() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let (input, names) = try makeFolder(tmp)
        var seen: [String] = []
        for k in 1...3 {
            let out = tmp.file("out-\(k)")
            let result = try await CLI.run(["process", input, "-o", out, "--spec", Fixture.path("blur.json"), "--recursive", "--shard", "\(k)/3"])
            #expect(result.status == 0, "\(result)")
            let done = try lines(out + "/progress.jsonl").compactMap { $0["path"]?.stringValue }
            #expect(!done.isEmpty, "shard \(k)/3 got no image of 24")
            #expect(result.stderrText.contains("of \(done.count) images"), "\(result)")
            #expect(done.allSatisfy { DirectoryShard.shardIndex(of: $0, count: 3) == k })
            seen += done
            // Resumable in its own OUT: a rerun skips all of its share.
            let rerun = try await CLI.run(["process", input, "-o", out, "--spec", Fixture.path("blur.json"), "--recursive", "--shard", "\(k)/3"])
            #expect(rerun.status == 0, "\(rerun)")
            #expect(rerun.stderrText.contains("done 0, skipped \(done.count), failed 0 of \(done.count) images"), "\(rerun)")
        }
        #expect(seen.count == names.count)
        #expect(Set(seen) == names)
    }

    @Test(arguments: ["0/3", "4/3", "1/0", "two/3", "3", "1/3/1", ""])
    func badShardsAreUsageErrors(_ value: String) async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        try tmp.write("in/a.png", Fixture.bytes("template.png"))
        let result = try await CLI.run(["process", tmp.file("in"), "-o", tmp.file("out"), "--spec", Fixture.path("blur.json"),
                                        "--api-url", "http://127.0.0.1:9", "--shard", value])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrText.contains("--shard"), "\(result)")
        #expect(!tmp.exists("out"))
    }

    @Test func timingsGoIntoTheAggregates() async throws {
        let server = try await TestHTTPServer.start { _ in
            TestHTTPServer.json(200, #"{"outputs":[{"count":3}],"profiler_trace":[]}"#, headers: [
                ("x-request-id", "r-1"), ("x-processing-time", "0.125"), ("x-model-cold-start", "true"),
                ("x-model-cold-start-count", "1"), ("x-model-load-time", "0.75"), ("x-model-id", "yolov8n-640"),
            ])
        }
        defer { Task { await server.shutdown() } }
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        try tmp.write("in/a.png", Fixture.bytes("template.png"))
        try tmp.write("in/b.png", Fixture.bytes("swatch.png"))
        let out = tmp.file("out")
        let result = try await CLI.run(["process", tmp.file("in"), "-o", out, "--spec", Fixture.path("blur.json"),
                                        "--api-url", server.baseURL, "--timings"])
        #expect(result.status == 0, "\(result)")
        let rows = try lines(out + "/aggregated_results.jsonl")
        #expect(rows.count == 2)
        for row in rows {
            #expect(row["count"] == 3)
            #expect(row["server_processing_time"] == 0.125)
            #expect(row["server_model_cold_start"] == true)
            #expect(row["server_model_cold_start_count"] == 1)
            #expect(row["server_model_load_time"] == 0.75)
            #expect(row["server_model_ids"] == "yolov8n-640")
            #expect(row["server_request_id"] == "r-1")
            #expect((row["client_round_trip_time"]?.doubleValue ?? -1) > 0)
        }
        let csv = CSVTable(String(decoding: try tmp.read("out/aggregated_results.csv"), as: UTF8.self))
        #expect(csv.columns.contains("server_processing_time"))
        #expect(csv.rows.first?["server_processing_time"] == "0.125")
        #expect(csv.rows.first?["server_model_cold_start"] == "true")
        // results.json holds the outputs only.
        let results = try JSONValue(parsing: tmp.read("out/a.png/results.json"))
        #expect(results["server_processing_time"] == nil)

        // Without --timings, no timing columns.
        let plain = tmp.file("plain")
        _ = try await CLI.run(["process", tmp.file("in"), "-o", plain, "--spec", Fixture.path("blur.json"), "--api-url", server.baseURL])
        #expect(try lines(plain + "/aggregated_results.jsonl").allSatisfy { $0["server_processing_time"] == nil && $0["count"] == 3 })
    }

    @Test func processAndRunUseTheLegacyRoutes() async throws {
        let server = try await TestHTTPServer.start { _ in TestHTTPServer.json(200, #"{"outputs":[{"count":3}],"profiler_trace":[]}"#) }
        defer { Task { await server.shutdown() } }
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        try tmp.write("in/a.png", Fixture.bytes("template.png"))
        let process = try await CLI.run(["process", tmp.file("in"), "-o", tmp.file("out"), "--workspace", "acme", "--workflow", "count",
                                         "--api-url", server.baseURL, "--legacy-endpoints"])
        #expect(process.status == 0, "\(process)")
        let run = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", "image=" + Fixture.swatch,
                                     "--api-url", server.baseURL, "--legacy-endpoints"])
        #expect(run.status == 0, "\(run)")
        #expect(server.requests.map(\.uri) == ["/infer/workflows/acme/count", "/infer/workflows"])
    }

    @Test(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
    func runVerbosePrintsTheServerMetadataAndDebugTheBlocksOutput() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("debug.json", json: .object(Fixture.pythonEcho(
            "def run(self, value):\n    print('hello', value)\n    debug_traces.append({'v': value})\n    return {'out': value}\n").json))
        let result = try await CLI.run(["run", "--spec", spec, "--param", "x=5", "--debug", "--verbose", "--legacy-endpoints"])
        #expect(result.status == 0, "\(result)")
        #expect(try result.json() == [["out": 5]])
        #expect(result.stderrText.contains("/infer/workflows -> 200"), "\(result)")
        #expect(result.stderrLines.contains { $0.hasPrefix("server: request ") && $0.contains("cold start no (0 models)") }, "\(result)")
        #expect(result.stderrLines.contains("python echo[0] stdout: hello 5"), "\(result)")
        #expect(result.stderrLines.contains(#"python trace echo: {"step":"echo","value":{"v":5}}"#), "\(result)")
        // Without --debug: no capture asked for, nothing printed.
        let plain = try await CLI.run(["run", "--spec", spec, "--param", "x=5"])
        #expect(plain.status == 0, "\(plain)")
        #expect(!plain.stderrText.contains("python"))
    }
}
