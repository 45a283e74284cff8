import Foundation
import NIOConcurrencyHelpers
import InferenceSDK
import Logging
import TestSupport
import Testing

/// Runs one workflow request through a faulty ``TestHTTPServer`` with a client configured for fast,
/// countable retries, and collects everything a test asserts on: the outcome, the server's request log
/// with arrival times, the SDK's log lines (trace level), and the elapsed time.
struct FaultHarness {
    /// How the server answers the request with 0-based index `attempt`.
    typealias Script = @Sendable (_ request: TestHTTPServer.Request, _ attempt: Int) -> TestHTTPServer.Action

    struct Outcome: Sendable {
        var result: Result<WorkflowRunResult, InferenceError>
        var requests: [TestHTTPServer.Request]
        /// Arrival times of the requests, relative to the start of the call.
        var arrivals: [Duration]
        var logs: [String]
        var elapsed: Duration

        var error: InferenceError? {
            if case .failure(let error) = result { return error }
            return nil
        }

        /// Gaps between consecutive arrivals (the client's waits plus the failed attempts' own time).
        var gaps: [Duration] { zip(arrivals.dropFirst(), arrivals).map { $0 - $1 } }
    }

    /// A success body with one output.
    static let success = TestHTTPServer.json(200, #"{"outputs":[{"answer":42}],"profiler_trace":[]}"#)

    /// The client every fault test uses: the secret key in the header, 3 attempts, waits of 40–200 ms, and a request
    /// timeout long enough (15 s) that a loaded machine never turns a fault into a timeout; timeout tests set their own.
    static func configuration(
        _ url: String, requestTimeout: Duration = .seconds(15), logger: Logger? = nil
    ) -> InferenceClientConfiguration {
        var configuration = InferenceClientConfiguration(apiURL: url, apiKey: Secret.key)
        configuration.timeout = .init(connect: .seconds(2), request: requestTimeout)
        configuration.retry = RetryPolicy(
            maxAttempts: 3, initialBackoff: .milliseconds(40), maxBackoff: .milliseconds(200), maxTotalTime: .seconds(30)
        )
        configuration.logger = logger
        return configuration
    }

    /// Starts a server running `script`, sends one workflow request, and returns what happened.
    static func run(
        requestTimeout: Duration = .seconds(15),
        configure: (inout InferenceClientConfiguration) -> Void = { _ in },
        _ script: @escaping Script
    ) async throws -> Outcome {
        let clock = ContinuousClock()
        let start = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
        let arrivals = NIOLockedValueBox<[Duration]>([])
        let server = try await TestHTTPServer.start { request in
            let attempt = arrivals.withLockedValue { list -> Int in
                list.append(clock.now - (start.withLockedValue { $0 } ?? clock.now))
                return list.count - 1
            }
            return script(request, attempt)
        }
        let (logger, storage) = CapturingLogHandler.logger()
        var configuration = Self.configuration(server.baseURL, requestTimeout: requestTimeout, logger: logger)
        configure(&configuration)
        let client = try InferenceHTTPClient(configuration: configuration)
        let image = try Images.png(seed: 1)
        start.withLockedValue { $0 = clock.now }
        let began = clock.now
        let result: Result<WorkflowRunResult, InferenceError>
        do {
            result = .success(try await client.runWorkflow(specification: Fixture.echo, images: ["image": .bytes(image)]))
        } catch {
            result = .failure(error)
        }
        let elapsed = clock.now - began
        try? await client.shutdown()
        let requests = server.requests
        await server.shutdown()
        return Outcome(result: result, requests: requests, arrivals: arrivals.withLockedValue { $0 }, logs: storage.all, elapsed: elapsed)
    }

    /// The key never appears in the error (description, message, server summary and body) or the log.
    static func expectNoLeak(_ outcome: Outcome, sourceLocation: SourceLocation = #_sourceLocation) {
        if let error = outcome.error {
            Secret.expectAbsent(in: error.description, "the error description", sourceLocation: sourceLocation)
            Secret.expectAbsent(in: String(reflecting: error), "the error's reflection", sourceLocation: sourceLocation)
            Secret.expectAbsent(in: error.serverError?.summary ?? "", "the server error summary", sourceLocation: sourceLocation)
            Secret.expectAbsent(in: error.serverError?.body?.jsonString ?? "", "the kept server body", sourceLocation: sourceLocation)
        }
        Secret.expectAbsent(in: outcome.logs.joined(separator: "\n"), "the SDK log", sourceLocation: sourceLocation)
    }
}

extension TestHTTPServer.Request {
    /// The `Authorization` header as received (the tests' fault bodies echo it back, like a careless server).
    var authorization: String { header("authorization") ?? "none" }
}
