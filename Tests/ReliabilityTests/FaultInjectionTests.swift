import Foundation
import InferenceSDK
import TestSupport
import Testing

/// Every network fault, through the real transport (AsyncHTTPClient) against an in-process server: the right
/// typed error or a success after the right number of requests (counted on the server), no hang past the
/// timeout, no retry of a rejected request, and the API key in none of it.
@Suite struct FaultInjectionTests {
    /// One fault: how the server answers each attempt, and what the client must make of it.
    struct Case: Sendable, CustomTestStringConvertible {
        enum Expected: Sendable {
            case success
            case failure(InferenceError.Kind, status: Int?, contains: String)
        }

        var name: String
        var script: FaultHarness.Script
        var expected: Expected
        /// Requests the server must receive.
        var requests: Int
        var maxResponseBytes: Int? = nil

        var testDescription: String { name }
    }

    /// A workflow error body that echoes the request's Authorization header, as a careless server might.
    static func echoingError(_ status: Int, _ type: String, headers: [(String, String)] = []) -> FaultHarness.Script {
        { request, _ in
            TestHTTPServer.json(
                status, #"{"message":"refused (saw \#(request.authorization))","error_type":"\#(type)","inner_error_message":"None"}"#,
                headers: headers)
        }
    }

    static let html = Array("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>".utf8)

    static let cases: [Case] = [
        // 5xx: 500 is a failed run (not retried); 502/503/504 are transient (retried up to 3 attempts).
        Case(name: "500 StepExecutionError", script: echoingError(500, "StepExecutionError"),
             expected: .failure(.serverFailure, status: 500, contains: "HTTP 500 StepExecutionError: refused"), requests: 1),
        Case(name: "502 always", script: echoingError(502, "BadGateway"),
             expected: .failure(.serverFailure, status: 502, contains: "after 3 attempts"), requests: 3),
        Case(name: "503 always (Retry-After: 0)", script: echoingError(503, "ServiceUnavailable", headers: [("Retry-After", "0")]),
             expected: .failure(.serverFailure, status: 503, contains: "after 3 attempts"), requests: 3),
        Case(name: "504 always", script: echoingError(504, "GatewayTimeout"),
             expected: .failure(.serverFailure, status: 504, contains: "after 3 attempts"), requests: 3),
        Case(name: "503 once, then 200", script: { request, attempt in
            attempt == 0 ? TestHTTPServer.json(503, #"{"message":"loading model"}"#) : FaultHarness.success
        }, expected: .success, requests: 2),
        Case(name: "502, 504, then 200", script: { _, attempt in
            [TestHTTPServer.json(502, "{}"), TestHTTPServer.json(504, "{}")].indices.contains(attempt)
                ? [TestHTTPServer.json(502, "{}"), TestHTTPServer.json(504, "{}")][attempt] : FaultHarness.success
        }, expected: .success, requests: 3),
        // 429 without Retry-After: retried with the policy's backoff.
        Case(name: "429 twice (no Retry-After), then 200", script: { _, attempt in
            attempt < 2 ? .respond(status: 429, body: []) : FaultHarness.success
        }, expected: .success, requests: 3),
        Case(name: "429 always (no Retry-After)", script: { _, _ in .respond(status: 429, body: []) },
             expected: .failure(.clientError, status: 429, contains: "HTTP 429: Too Many Requests after 3 attempts"), requests: 3),
        // Rejections are never retried.
        Case(name: "400 RuntimeInputError", script: echoingError(400, "RuntimeInputError"),
             expected: .failure(.clientError, status: 400, contains: "HTTP 400 RuntimeInputError: refused"), requests: 1),
        Case(name: "401", script: echoingError(401, "Unauthorized"),
             expected: .failure(.clientError, status: 401, contains: "HTTP 401"), requests: 1),
        Case(name: "403", script: echoingError(403, "Forbidden"),
             expected: .failure(.clientError, status: 403, contains: "HTTP 403"), requests: 1),
        Case(name: "404", script: { _, _ in .respond(status: 404, headers: [("Content-Type", "application/json")], body: Array(#"{"detail":"Not Found"}"#.utf8)) },
             expected: .failure(.clientError, status: 404, contains: "HTTP 404: Not Found"), requests: 1),
        Case(name: "422 FastAPI detail echoing the request", script: { request, _ in
            TestHTTPServer.json(422, #"{"detail":[{"type":"missing","loc":["body","inputs"],"msg":"Field required","input":{"api_key":"\#(request.authorization)"}}]}"#)
        }, expected: .failure(.clientError, status: 422, contains: "HTTP 422: body.inputs: Field required"), requests: 1),
        // Broken 200 answers: never retried, reported as invalid responses.
        Case(name: "malformed JSON", script: { _, _ in TestHTTPServer.json(200, #"{"outputs": [{"a": 1,]}"#) },
             expected: .failure(.invalidResponse, status: 200, contains: "that are not JSON"), requests: 1),
        Case(name: "JSON without outputs", script: { _, _ in TestHTTPServer.json(200, #"{"result": []}"#) },
             expected: .failure(.invalidResponse, status: 200, contains: "no \"outputs\" list"), requests: 1),
        Case(name: "empty 200 body", script: { _, _ in .respond(status: 200, body: []) },
             expected: .failure(.invalidResponse, status: 200, contains: "got 0 bytes"), requests: 1),
        Case(name: "HTML page with 200", script: { _, _ in .respond(status: 200, headers: [("Content-Type", "text/html")], body: html) },
             expected: .failure(.invalidResponse, status: 200, contains: "(text/html) that are not JSON"), requests: 1),
        Case(name: "wrong content type, binary body", script: { _, _ in
            .respond(status: 200, headers: [("Content-Type", "application/octet-stream")], body: [0xFF, 0xD8, 0xFF, 0x00, 0x01])
        }, expected: .failure(.invalidResponse, status: 200, contains: "(application/octet-stream)"), requests: 1),
        Case(name: "wrong content type, valid workflow JSON", script: { _, _ in
            .respond(status: 200, headers: [("Content-Type", "text/plain")], body: Array(#"{"outputs":[{"answer":42}],"profiler_trace":[]}"#.utf8))
        }, expected: .success, requests: 1),
        Case(name: "HTML error page with 502", script: { _, _ in .respond(status: 502, headers: [("Content-Type", "text/html")], body: html) },
             expected: .failure(.serverFailure, status: 502, contains: "HTTP 502: Bad Gateway (an HTML page of"), requests: 3),
        Case(name: "huge body beyond maxResponseBytes", script: { _, _ in
            .respond(status: 200, headers: [("Content-Type", "application/json")], body: [UInt8](repeating: 0x20, count: 3 << 20))
        }, expected: .failure(.invalidResponse, status: nil, contains: "larger than 1048576 bytes"), requests: 1, maxResponseBytes: 1 << 20),
        // The connection breaks: retried as connection failures.
        Case(name: "truncated JSON (Content-Length lies), then 200", script: { _, attempt in
            attempt == 0 ? .truncated(status: 200, declaredLength: 4000, body: Array(#"{"outputs":[{"answ"#.utf8)) : FaultHarness.success
        }, expected: .success, requests: 2),
        Case(name: "truncated JSON (Content-Length lies) always", script: { _, _ in
            .truncated(status: 200, declaredLength: 4000, body: Array(#"{"outputs":[{"answ"#.utf8))
        }, expected: .failure(.connectionFailed, status: nil,
                              contains: "connection failed: the connection closed before the whole response arrived (truncated body) after 3 attempts"),
             requests: 3),
        Case(name: "reset mid-response always", script: { _, _ in
            .truncatedReset(status: 200, declaredLength: 4000, body: Array(#"{"outputs":[{"answ"#.utf8))
        }, expected: .failure(.connectionFailed, status: nil, contains: "connection failed: connection reset by the server after 3 attempts"),
             requests: 3),
        Case(name: "closed before answering, then 200", script: { _, attempt in
            attempt == 0 ? .close(reset: false) : FaultHarness.success
        }, expected: .success, requests: 2),
        Case(name: "reset before answering always", script: { _, _ in .close(reset: true) },
             expected: .failure(.connectionFailed, status: nil, contains: "connection failed: connection reset by the server after 3 attempts"),
             requests: 3),
        // Slow answers: a body dribbled faster than the timeout succeeds.
        Case(name: "dribbled body within the timeout", script: { _, _ in
            .dribble(status: 200, body: Array(#"{"outputs":[{"answer":42}],"profiler_trace":[]}"#.utf8), chunkSize: 8, interval: .milliseconds(20))
        }, expected: .success, requests: 1),
    ]

    @Test(arguments: cases)
    func fault(_ fault: Case) async throws {
        let outcome = try await FaultHarness.run(configure: { configuration in
            if let limit = fault.maxResponseBytes { configuration.maxResponseBytes = limit }
        }, fault.script)
        #expect(outcome.requests.count == fault.requests, "server received \(outcome.requests.count) requests")
        switch (fault.expected, outcome.result) {
        case (.success, .success(let result)):
            #expect(result.outputs.first?.int("answer") == 42)
        case (.failure(let kind, let status, let fragment), .failure(let error)):
            #expect(error.kind == kind, "\(error)")
            #expect(error.status == status, "\(error)")
            #expect(error.attempts == fault.requests, "\(error)")
            #expect(error.description.contains(fragment), "\(error.description)")
            #expect(!error.description.contains("\n"))
        case (.success, .failure(let error)):
            Issue.record("expected success, got \(error)")
        case (.failure, .success):
            Issue.record("expected a failure, got success")
        }
        // Every request carried the key in the header only; it shows up in no error or log line.
        for request in outcome.requests { #expect(request.authorization == "Bearer \(Secret.key)") }
        FaultHarness.expectNoLeak(outcome)
        // Retries are logged (at info) with the reason, attempts at debug.
        if fault.requests > 1 {
            #expect(outcome.logs.contains { $0.hasPrefix("info retrying POST") }, "\(outcome.logs)")
        }
    }

    @Test func refusedConnectionFailsFastAfterTheRetries() async throws {
        let port = ResettingServer.closedPort()
        let (logger, storage) = CapturingLogHandler.logger()
        var configuration = FaultHarness.configuration("http://127.0.0.1:\(port)", logger: logger)
        // A connect timeout far above what three refused connects take even on a loaded 2-core CI machine (every
        // suite starts at once). With the bug this guards against, every attempt after the first waits until a timeout
        // ends it (here the 15 s request timeout, before this one): a timeout error, not "connection refused".
        configuration.timeout.connect = .seconds(30)
        let client = try InferenceHTTPClient(configuration: configuration)
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixture.echo, images: ["image": .bytes(try Images.png(seed: 1))])
        }
        let elapsed = clock.now - start
        try await client.shutdown()
        #expect(error?.kind == .connectionFailed)
        #expect(error?.attempts == 3)
        #expect(error?.description == "connection failed: connection refused after 3 attempts")
        // Three refused connects and two short waits, not two waits for a timeout (15 s each): AsyncHTTPClient's own
        // connection retries used to make every attempt after the first wait out the whole connect timeout.
        #expect(elapsed < .seconds(30), "took \(elapsed)")
        #expect(storage.all.filter { $0.contains("failed: connectionFailed connection refused") }.count == 3, "\(storage.all)")
        Secret.expectAbsent(in: storage.text, "the SDK log")
    }

    @Test func resetMidRequestIsAConnectionFailureRetried() async throws {
        let server = try ResettingServer(readBeforeReset: 1024)
        defer { server.stop() }
        let client = try InferenceHTTPClient(configuration: FaultHarness.configuration(server.baseURL, requestTimeout: .seconds(10)))
        // 6 MB of noise: the body is still being sent when the server resets the connection.
        let image = try Images.noisyPNG(width: 1500, height: 1400)
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixture.echo, images: ["image": .bytes(image)])
        }
        let elapsed = clock.now - start
        try await client.shutdown()
        #expect(error?.kind == .connectionFailed, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("connection failed: connection ") == true, "\(String(describing: error))")
        #expect(error?.attempts == 3)
        #expect(server.connectionCount == 3)
        // Three resets, not three 10 s timeouts (30 s); slack for a loaded CI machine's first seconds.
        #expect(elapsed < .seconds(28), "took \(elapsed)")
        Secret.expectAbsent(in: error?.description ?? "", "the error description")
    }
}
