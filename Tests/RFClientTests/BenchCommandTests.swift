import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient bench` against an in-process server with a fixed latency and a fixed share of 500s: the report
/// must say what the server did (percentiles and error rate within 10 %, the same request count). Serialized:
/// tests measuring latencies must not share the machine with each other.
@Suite(.serialized) struct BenchCommandTests {
    /// Every answer takes `latency` (timed on the server's event loop) and says so in `x-processing-time`;
    /// every `errorEvery`-th is a 500.
    static func fixedServer(latency: Duration, errorEvery: Int) async throws -> FixedLatencyServer {
        let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18
        return try await FixedLatencyServer.start(latency: latency, errorEvery: errorEvery, headers: [("x-processing-time", String(seconds))])
    }

    func bench(_ url: String, _ extra: [String], json: String) async throws -> (CLIRun, JSONValue?) {
        let result = try await CLI.run(
            ["bench", "--api-url", url, "--spec", Fixture.path("blur.json"), "--image", "image=" + Fixture.swatch, "--json", json, "--interval", "0"] + extra
        )
        let report = FileManager.default.contents(atPath: json).flatMap { try? JSONValue(parsing: [UInt8]($0)) }
        return (result, report)
    }

    /// The server's own `percentile` of the time its answers took, in ms.
    static func served(_ server: FixedLatencyServer, _ percentile: Double) -> Double {
        guard let d = server.servedPercentile(percentile) else { return .nan }
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// The report's latency `key` is within 10 % of the server's own figure for it.
    static func matchesServer(_ report: JSONValue, _ server: FixedLatencyServer) -> [String] {
        var misses: [String] = []
        for (key, percentile) in [("min", 0.0), ("p50", 50), ("p90", 90), ("p95", 95), ("p99", 99), ("max", 100)] {
            let expected = served(server, percentile)
            // The tail also holds the client's own scheduling delays: on a loaded 2-core CI machine a child process
            // waited 130 ms for a core on its slowest requests. Up to 250 ms of that is allowed above p90.
            if !near(report["latency_ms"]?[key], expected, slack: percentile > 90 ? 250 : 0) { misses.append("\(key) \(report["latency_ms"]?[key] ?? .null) vs server \(expected)") }
        }
        return misses
    }

    static func near(_ value: JSONValue?, _ expected: Double, tolerance: Double = 0.10, slack: Double = 0) -> Bool {
        guard let value = value?.doubleValue else { return false }
        return abs(value - expected) <= expected * tolerance + slack
    }

    @Test func closedLoopReportsTheServersLatencyAndErrorShare() async throws {
        let fixed = try await Self.fixedServer(latency: .seconds(1), errorEvery: 4)
        defer { Task { await fixed.shutdown() } }
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let (result, report) = try await bench(fixed.baseURL, ["--requests", "40", "--concurrency", "10", "--warmup", "10"], json: tmp.file("r.json"))
        #expect(result.status == 0, "\(result)")
        let json = try #require(report, "\(result)")
        #expect(json["requests"] == 40)
        // The warm-up (10, which also opens the 10 connections) is sent but not counted.
        #expect(fixed.requestCount == 50)
        #expect(json["mode"] == "closed")
        #expect(json["errors"] == ["500": 10])
        #expect(Self.near(json["error_rate"], 0.25), "\(json)")
        // What the server did: every answer 1 s (its own measurement, in case its thread was held up) …
        #expect(Self.near(.double(Self.served(fixed, 50)), 1000, tolerance: 0.02))
        // … and what the client reports, percentile by percentile.
        #expect(Self.matchesServer(json, fixed).isEmpty, "\(Self.matchesServer(json, fixed))")
        #expect(Self.near(json["latency_ms"]?["mean"], 1000), "\(json["latency_ms"] ?? .null)")
        #expect(Self.near(json["server_processing_time_ms"]?["p50"], 1000, tolerance: 0.01))
        #expect(Self.near(json["rps"], 10, tolerance: 0.10), "10 workers × 1 req/s: \(json["rps"] ?? .null)")
        #expect(result.stdoutText.contains("rfclient bench: 40 requests"))
        #expect(result.stdoutText.contains("500 ×10"))
    }

    @Test func openLoopSendsAtTheRateAndCountsEveryRequest() async throws {
        let fixed = try await Self.fixedServer(latency: .seconds(1), errorEvery: 5)
        defer { Task { await fixed.shutdown() } }
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let (result, report) = try await bench(fixed.baseURL, ["--rps", "20", "--duration", "2", "--warmup", "20"], json: tmp.file("r.json"))
        #expect(result.status == 0, "\(result)")
        let json = try #require(report, "\(result)")
        #expect(json["requests"] == 40)
        #expect(json["requests"]?.intValue == fixed.requestCount - 20)
        #expect(json["mode"] == "open")
        #expect(json["errors"] == ["500": 8])
        #expect(Self.near(json["error_rate"], 0.2))
        #expect(Self.matchesServer(json, fixed).isEmpty, "\(Self.matchesServer(json, fixed))")
    }

    @Test func openLoopCountsTheWaitOfAStalledServer() async throws {
        // One slot in flight, 100 ms answers, 20 requests due every 10 ms: request i waits for the i before it,
        // so the latencies from the intended starts climb to ~2 s; a closed loop would report ~100 ms.
        let fixed = try await Self.fixedServer(latency: .milliseconds(100), errorEvery: 0)
        defer { Task { await fixed.shutdown() } }
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let (result, report) = try await bench(
            fixed.baseURL, ["--rps", "100", "--requests", "20", "--concurrency", "1", "--warmup", "0"], json: tmp.file("r.json"))
        #expect(result.status == 0, "\(result)")
        let json = try #require(report, "\(result)")
        #expect(json["requests"] == 20)
        let p50 = try #require(json["latency_ms"]?["p50"]?.doubleValue)
        let max = try #require(json["latency_ms"]?["max"]?.doubleValue)
        #expect(p50 > 800, "\(json)")
        #expect(max > 1700, "\(json)")
    }

    @Test func warmupRequestsAreSentButNotCounted() async throws {
        let fixed = try await Self.fixedServer(latency: .milliseconds(10), errorEvery: 0)
        defer { Task { await fixed.shutdown() } }
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let (result, report) = try await bench(fixed.baseURL, ["--requests", "12", "--warmup", "5", "--concurrency", "2"], json: tmp.file("r.json"))
        #expect(result.status == 0, "\(result)")
        #expect(report?["requests"] == 12)
        #expect(report?["warmup"] == 5)
        #expect(fixed.requestCount == 17)
    }

    @Test func maxErrorRateDecidesTheExitCode() async throws {
        let fixed = try await Self.fixedServer(latency: .milliseconds(20), errorEvery: 4)
        defer { Task { await fixed.shutdown() } }
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let common = ["--requests", "20", "--concurrency", "5", "--warmup", "0"]
        let (above, aboveReport) = try await bench(fixed.baseURL, common + ["--max-error-rate", "0.2"], json: tmp.file("a.json"))
        #expect(above.status == 1, "\(above)")
        #expect(aboveReport?["error_rate"] == 0.25)
        #expect(above.stderrText.contains("above --max-error-rate"))
        let (within, _) = try await bench(fixed.baseURL, common + ["--max-error-rate", "30%"], json: tmp.file("b.json"))
        #expect(within.status == 0, "\(within)")
        let (unlimited, _) = try await bench(fixed.baseURL, common, json: tmp.file("c.json"))
        #expect(unlimited.status == 0, "\(unlimited)")
    }

    @Test func transportFailuresAreCountedByKindWithoutRetries() async throws {
        let port = try unusedLoopbackPort()
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let (result, report) = try await bench("http://127.0.0.1:\(port)", ["--requests", "6", "--warmup", "0"], json: tmp.file("r.json"))
        #expect(result.status == 0, "\(result)")
        #expect(report?["errors"] == ["connectionFailed": 6])
        #expect(report?["error_rate"] == 1.0)
    }

    @Test(arguments: [
        ["--requests", "0"], ["--requests", "5", "--duration", "1"], ["--rps", "0"], ["--concurrency", "0"],
        ["--max-error-rate", "2"], ["--max-error-rate", "lots"], ["--warmup", "-1"], ["--retries", "2"], ["--interval", "-1"],
    ])
    func badValuesAreUsageErrors(_ extra: [String]) async throws {
        let result = try await CLI.run(["bench", "--api-url", "http://127.0.0.1:9", "--spec", Fixture.path("blur.json"), "--image", "image=" + Fixture.swatch] + extra)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrText.contains("usage error"), "\(result)")
    }

    @Test func aMissingImageStopsBeforeAnyRequest() async throws {
        let fixed = try await Self.fixedServer(latency: .milliseconds(1), errorEvery: 0)
        defer { Task { await fixed.shutdown() } }
        let result = try await CLI.run(["bench", "--api-url", fixed.baseURL, "--spec", Fixture.path("blur.json"), "--image", "image=/no/such.png"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrText.contains("/no/such.png"))
        #expect(fixed.requestCount == 0)
    }
}

extension BenchCommandTests {
    @Test func aSuccessStatusWithABodyThatIsNoResultCountsAsInvalidResponse() async throws {
        let server = try await TestHTTPServer.start { _ in TestHTTPServer.json(200, #"{"nothing":"here"}"#) }
        defer { Task { await server.shutdown() } }
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let (result, report) = try await bench(server.baseURL, ["--requests", "3", "--warmup", "0"], json: tmp.file("r.json"))
        #expect(result.status == 0, "\(result)")
        #expect(report?["errors"] == ["invalidResponse": 3])
    }
}

extension BenchCommandTests {
    @Test func ctrlCEndsTheRunWithAReportOfWhatFinished() async throws {
        let fixed = try await Self.fixedServer(latency: .milliseconds(100), errorEvery: 0)
        defer { Task { await fixed.shutdown() } }
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let child = try CLI.spawn(["bench", "--api-url", fixed.baseURL, "--spec", Fixture.path("blur.json"), "--image", "image=" + Fixture.swatch,
                                   "--duration", "60", "--concurrency", "4", "--warmup", "0", "--json", tmp.file("r.json"), "--interval", "0"])
        _ = await eventually(timeout: .seconds(120), every: .milliseconds(20)) { fixed.requestCount >= 12 }
        #expect(child.send(SIGINT))
        let result = await child.wait(bound: .seconds(30))
        #expect(result.status == 130, "\(String(decoding: result.stderr, as: UTF8.self))")
        let report = try JSONValue(parsing: tmp.read("r.json"))
        #expect(report["interrupted"] == true)
        let counted = try #require(report["requests"]?.intValue)
        #expect(counted >= 8)
        // Requests abandoned in flight are not outcomes: no "cancelled" errors, at most 4 more on the server.
        #expect(report["errors"] == [:])
        #expect(fixed.requestCount >= counted && fixed.requestCount <= counted + 4, "\(fixed.requestCount) sent, \(counted) counted")
        #expect(String(decoding: result.stdout, as: UTF8.self).contains("interrupted"))
    }
}

extension BenchCommandTests {
    @Test func liveLinesAndTheLegacyRoute() async throws {
        let server = try await TestHTTPServer.start { _ in TestHTTPServer.json(200, #"{"outputs":[{"ok":true}],"profiler_trace":[]}"#) }
        defer { Task { await server.shutdown() } }
        let result = try await CLI.run(["bench", "--api-url", server.baseURL, "--spec", Fixture.path("blur.json"), "--image", "image=" + Fixture.swatch,
                                        "--duration", "1.6", "--rps", "20", "--warmup", "2", "--interval", "0.5", "--legacy-endpoints"])
        #expect(result.status == 0, "\(result)")
        let live = result.stderrLines.filter { $0.hasPrefix("[") && $0.contains(" requests, ") && $0.contains(" req/s, ") }
        #expect(live.count >= 2, "\(result)")
        #expect(Set(server.requests.map(\.uri)) == ["/infer/workflows"])
        #expect(server.requests.count == 2 + 32)
        #expect(result.stdoutText.contains("rfclient bench: 32 requests"), "\(result)")
    }
}
