import ImageCodecs
import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The faults of ``FaultInjectionTests`` through `rfclient process`, with a fault injector in front of the real
/// server: the run finishes, the faulted images are recorded in failures.jsonl (with the error type and status),
/// a rerun after the fault clears completes every image, and the server-side count per image proves that
/// nothing was lost or done twice. The API key (from the environment or `--api-key`) is printed nowhere.
@Suite(.serialized, .enabled(if: RealServer.available, "needs the real server (INFERENCE_SERVER_URL)"))
struct CLIFaultTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var fault: TestHTTPServer.Action
        /// Requests per faulted image in the faulty run (`--retries 1`: 2 when retried, 1 when not).
        var requests: Int
        var errorType: String
        var status: Int?
        var extra: [String] = []

        var testDescription: String { name }
    }

    static let html = Array("<html><body><h1>502 Bad Gateway</h1></body></html>".utf8)
    static func body(_ text: String) -> [UInt8] { Array(text.utf8) }
    static let jsonHeaders = [("Content-Type", "application/json")]

    static let cases: [Case] = [
        Case(name: "reset before answering", fault: .close(reset: true), requests: 2, errorType: "connectionFailed", status: nil),
        Case(name: "reset mid-response", fault: .truncatedReset(status: 200, declaredLength: 5000, body: body(#"{"outputs":["#)),
             requests: 2, errorType: "connectionFailed", status: nil),
        Case(name: "truncated JSON (Content-Length lies)", fault: .truncated(status: 200, declaredLength: 5000, body: body(#"{"outputs":["#)),
             requests: 2, errorType: "connectionFailed", status: nil),
        Case(name: "stall before headers", fault: .delay(.seconds(20), then: .respond(status: 200, body: [])),
             requests: 1, errorType: "timeout", status: nil, extra: ["--timeout", "4"]),
        Case(name: "body dribbled slower than the timeout",
             fault: .dribble(status: 200, body: body(#"{"outputs":[{"a":1}],"profiler_trace":[]}"#), chunkSize: 3, interval: .milliseconds(800)),
             requests: 1, errorType: "timeout", status: nil, extra: ["--timeout", "4"]),
        Case(name: "429 without Retry-After", fault: .respond(status: 429, body: []), requests: 2, errorType: "clientError", status: 429),
        Case(name: "429 with Retry-After", fault: .respond(status: 429, headers: [("Retry-After", "1")], body: []),
             requests: 2, errorType: "clientError", status: 429),
        Case(name: "500 step error", fault: .respond(status: 500, headers: jsonHeaders,
             body: body(#"{"message":"block failed","error_type":"StepExecutionError","inner_error_message":"None"}"#)),
             requests: 1, errorType: "StepExecutionError", status: 500),
        Case(name: "502", fault: .respond(status: 502, body: []), requests: 2, errorType: "serverFailure", status: 502),
        Case(name: "503", fault: .respond(status: 503, headers: [("Retry-After", "0")], body: []), requests: 2, errorType: "serverFailure", status: 503),
        Case(name: "504", fault: .respond(status: 504, body: []), requests: 2, errorType: "serverFailure", status: 504),
        Case(name: "HTML error page", fault: .respond(status: 502, headers: [("Content-Type", "text/html")], body: html),
             requests: 2, errorType: "serverFailure", status: 502),
        Case(name: "malformed JSON", fault: .respond(status: 200, headers: jsonHeaders, body: body(#"{"outputs":[{"a":}]}"#)),
             requests: 1, errorType: "invalidResponse", status: 200),
        Case(name: "wrong content type", fault: .respond(status: 200, headers: [("Content-Type", "image/jpeg")], body: [0xFF, 0xD8, 0xFF, 0xE0]),
             requests: 1, errorType: "invalidResponse", status: 200),
        Case(name: "400", fault: .respond(status: 400, headers: jsonHeaders, body: body(#"{"message":"bad input","error_type":"RuntimeInputError"}"#)),
             requests: 1, errorType: "RuntimeInputError", status: 400),
        Case(name: "401", fault: .respond(status: 401, headers: jsonHeaders, body: body(#"{"message":"Unauthorized api_key"}"#)),
             requests: 1, errorType: "clientError", status: 401),
        Case(name: "403", fault: .respond(status: 403, body: []), requests: 1, errorType: "clientError", status: 403),
        Case(name: "404", fault: .respond(status: 404, headers: jsonHeaders, body: body(#"{"detail":"Not Found"}"#)),
             requests: 1, errorType: "clientError", status: 404),
        Case(name: "422", fault: .respond(status: 422, headers: jsonHeaders,
             body: body(#"{"detail":[{"type":"missing","loc":["body","inputs"],"msg":"Field required"}]}"#)),
             requests: 1, errorType: "clientError", status: 422),
    ]

    /// Images 1, 3 and 4 of 6 meet the fault in the first run.
    static let faulted: Set<Int> = [1, 3, 4]

    @Test(arguments: cases.indices)
    func faultyRunThenRerunCompletesEveryImageOnce(_ index: Int) async throws {
        let fault = Self.cases[index]
        let upstream = try #require(RealServer.url)
        let work = try TemporaryDirectory("cli-fault")
        defer { work.remove() }
        let names = try Images.folder(TemporaryDirectory.sub(work, "in"), count: 6)
        let faultedKeys = Set(names.filter { Self.faulted.contains(Int($0.value.dropFirst(4).prefix(3)) ?? -1) }.keys)
        let action = fault.fault
        let proxy = try await FaultProxy.start(upstream: upstream) { image, _ in
            image.map { faultedKeys.contains($0) } == true ? action : nil
        }
        // Half the cases pass the key in the environment, half with --api-key.
        let keyArguments = index.isMultiple(of: 2) ? ["--api-key", Secret.key] : []
        let environment = index.isMultiple(of: 2) ? [:] : ["ROBOFLOW_API_KEY": Secret.key]
        let output = work.file("out")
        let arguments = ProcessArguments.blur(input: work.file("in"), output: output, apiURL: proxy.baseURL, extra: ["--retries", "1"] + fault.extra + keyArguments)

        let first = try await CLI.run(arguments, environment: environment)
        #expect(first.status == 1, "\(first)")
        #expect(first.stderrText.contains("done 3, skipped 0, failed 3 of 6 images"), "\(first)")
        let results = ProcessOutput(directory: output)
        let failures = results.failures
        #expect(Set(failures.keys) == Set(faultedKeys.compactMap { names[$0] }), "\(failures)")
        for (path, record) in failures {
            #expect(record["error_type"]?.stringValue == fault.errorType, "\(path): \(record)")
            #expect(record["status"]?.intValue == fault.status, "\(path): \(record)")
            #expect(record["message"]?.stringValue?.contains("\n") == false)
        }
        #expect(Set(results.donePaths).count == 3)
        for (key, name) in names where faultedKeys.contains(key) {
            #expect(proxy.perImage[key]?.requests == fault.requests, "\(name): \(String(describing: proxy.perImage[key]))")
            #expect(proxy.perImage[key]?.successes == 0)
        }

        proxy.setRule { _, _ in nil }
        let second = try await CLI.run(arguments, environment: environment)
        #expect(second.status == 0, "\(second)")
        #expect(second.stderrText.contains("done 3, skipped 3, failed 0 of 6 images"), "\(second)")
        #expect(results.failures.isEmpty)
        #expect(results.donePaths.sorted() == names.values.sorted(), "each image recorded done exactly once")
        for (key, name) in names {
            // The real server ran every image exactly once over both runs.
            #expect(proxy.perImage[key]?.successes == 1, "\(name): \(String(describing: proxy.perImage[key]))")
            #expect(results.results(for: name)?["blurred"]?["type"]?.stringValue == "image", "\(name)")
            #expect(FileManager.default.fileExists(atPath: "\(output)/\(name)/blurred.jpg"))
        }
        for run in [first, second] {
            Secret.expectAbsent(in: run.stdoutText, "stdout")
            Secret.expectAbsent(in: run.stderrText, "stderr (with --verbose)")
            #expect(run.stderrText.contains("debug rfclient: [InferenceSDK] POST"), "verbose logging is on")
        }
        Secret.expectAbsent(inFilesUnder: output)
        await proxy.shutdown()
    }

    enum Outage: String, CaseIterable, Sendable {
        /// Nothing listens on the port: every connection is refused.
        case refused
        /// The server resets each connection after 1 KB of a 1 MB request.
        case resetMidRequest
    }

    @Test(arguments: Outage.allCases)
    func serverDownThenUpCompletesEveryImageOnce(outage: Outage) async throws {
        let upstream = try #require(RealServer.url)
        let work = try TemporaryDirectory("cli-outage")
        defer { work.remove() }
        let input = try TemporaryDirectory.sub(work, "in")
        var names: [String: String] = [:]
        for index in 0..<3 {
            // Noise does not compress: about 1 MB per image, so a reset comes while the request is being sent.
            let bytes = try Images.noisyPNG(width: 600, height: 560, seed: UInt64(index + 1))
            try input.write("noise-\(index).png", bytes)
            names[Base64.encode(bytes)] = "noise-\(index).png"
        }
        let output = work.file("out")
        let resetting = outage == .resetMidRequest ? try ResettingServer(readBeforeReset: 1024) : nil
        defer { resetting?.stop() }
        let down = resetting?.baseURL ?? "http://127.0.0.1:\(ResettingServer.closedPort())"
        let first = try await CLI.run(
            ProcessArguments.blur(input: input.path, output: output, apiURL: down, extra: ["--retries", "2"]),
            environment: ["ROBOFLOW_API_KEY": Secret.key])
        #expect(first.status == 1, "\(first)")
        #expect(first.stderrText.contains("done 0, skipped 0, failed 3 of 3 images"), "\(first)")
        let results = ProcessOutput(directory: output)
        #expect(results.failures.count == 3)
        for record in results.failures.values {
            #expect(record["error_type"]?.stringValue == "connectionFailed")
            let message = record["message"]?.stringValue ?? ""
            if outage == .refused {
                #expect(message == "connection failed: connection refused after 3 attempts")
            } else {
                // Reset, broken pipe or a close before the answer, depending on how far the upload got.
                let causes = ["connection reset", "connection closed while sending", "the server closed the connection"]
                #expect(message.hasPrefix("connection failed: ") && message.hasSuffix(" after 3 attempts")
                        && causes.contains { message.contains($0) }, "\(message)")
            }
        }
        if let resetting { #expect(resetting.connectionCount == 9, "3 images × 3 attempts") }
        let proxy = try await FaultProxy.start(upstream: upstream)
        let second = try await CLI.run(
            ProcessArguments.blur(input: input.path, output: output, apiURL: proxy.baseURL),
            environment: ["ROBOFLOW_API_KEY": Secret.key])
        #expect(second.status == 0, "\(second)")
        #expect(results.failures.isEmpty)
        #expect(results.donePaths.sorted() == names.values.sorted())
        for key in names.keys { #expect(proxy.perImage[key]?.successes == 1) }
        for run in [first, second] {
            Secret.expectAbsent(in: run.stdoutText + run.stderrText, "the CLI output")
        }
        Secret.expectAbsent(inFilesUnder: output)
        await proxy.shutdown()
    }

    @Test func transientFaultsInsideOneRunAreRetriedAndEachImageIsDoneOnce() async throws {
        let upstream = try #require(RealServer.url)
        let work = try TemporaryDirectory("cli-transient")
        defer { work.remove() }
        let names = try Images.folder(TemporaryDirectory.sub(work, "in"), count: 8)
        // Each image's first attempt meets a different transient fault; the retry goes through.
        let faults: [TestHTTPServer.Action] = [
            .close(reset: true), .respond(status: 503, headers: [("Retry-After", "0")], body: []), .respond(status: 429, body: []),
            .truncated(status: 200, declaredLength: 900, body: Array("{".utf8)), .respond(status: 502, body: []),
            .respond(status: 504, body: []), .close(reset: false),
            .truncatedReset(status: 200, declaredLength: 900, body: Array("{".utf8)),
        ]
        let order = Array(names.keys.sorted())
        let proxy = try await FaultProxy.start(upstream: upstream) { image, attempt in
            guard attempt == 1, let image, let index = order.firstIndex(of: image) else { return nil }
            return faults[index % faults.count]
        }
        let output = work.file("out")
        let run = try await CLI.run(
            ProcessArguments.blur(input: work.file("in"), output: output, apiURL: proxy.baseURL, extra: ["--api-key", Secret.key]))
        #expect(run.status == 0, "\(run)")
        #expect(run.stderrText.contains("done 8, skipped 0, failed 0 of 8 images"), "\(run)")
        for (key, name) in names {
            #expect(proxy.perImage[key] == FaultProxy.Tally(requests: 2, faults: 1, successes: 1), "\(name)")
        }
        #expect(run.stderrText.components(separatedBy: "info rfclient: [InferenceSDK] retrying POST").count - 1 == 8, "\(run)")
        Secret.expectAbsent(in: run.stdoutText + run.stderrText, "the CLI output")
        Secret.expectAbsent(inFilesUnder: output)
        await proxy.shutdown()
    }
}

extension TemporaryDirectory {
    /// A sub-folder of `parent` (created), as a TemporaryDirectory that shares the parent's lifetime.
    static func sub(_ parent: TemporaryDirectory, _ name: String) throws -> TemporaryDirectory {
        try FileManager.default.createDirectory(atPath: parent.file(name), withIntermediateDirectories: true)
        return TemporaryDirectory(existing: parent.file(name))
    }
}
