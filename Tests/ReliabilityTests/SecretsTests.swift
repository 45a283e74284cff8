import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The API key never leaves the request: not in error descriptions (even when the server echoes it back in
/// every field), not in the SDK's log at trace level, not to another origin on a redirect, not to an image
/// host, and `api_key` query values are masked wherever a URL is printed. (Every fault of
/// FaultInjectionTests and CLIFaultTests checks the same on its own outcome.)
@Suite struct SecretsTests {
    /// Error bodies of every shape a server sends, each quoting the key it was sent.
    static func echoBodies(_ seen: String) -> [(status: Int, type: String, body: String)] {
        [
            (400, "application/json", #"{"message":"bad key \#(seen)","error_type":"RuntimeInputError \#(seen)","context":"ctx \#(seen)","inner_error_type":"X","inner_error_message":"inner \#(seen) api_key=\#(seen)","blocks_errors":[{"block_id":"b","block_type":"t","block_details":"details \#(seen)","property_name":"p","property_details":"\#(seen)"}]}"#),
            (422, "application/json", #"{"detail":[{"type":"string_type","loc":["body","api_key"],"msg":"Input \#(seen) should be a valid string","input":{"api_key":"\#(seen)","inputs":{}}}]}"#),
            (401, "application/json", #"{"status":401,"message":"Unauthorized api_key=\#(seen)"}"#),
            (500, "text/plain", "Internal error while handling key \(seen)"),
            (502, "text/html", "<html><body>upstream rejected \(seen)</body></html>"),
        ]
    }

    /// The key as the server saw it: the Bearer header, else the body's api_key.
    static func seenKey(_ request: TestHTTPServer.Request) -> String {
        if let header = request.header("authorization") { return header }
        return (try? JSONValue(parsing: request.body))?["api_key"]?.stringValue ?? "none"
    }

    @Test(arguments: [InferenceClientConfiguration.APIKeyPlacement.header, .body, .both])
    func serverEchoingTheKeyInEveryFieldLeaksNothing(placement: InferenceClientConfiguration.APIKeyPlacement) async throws {
        for index in Self.echoBodies("").indices {
            let outcome = try await FaultHarness.run(configure: { $0.apiKeyPlacement = placement; $0.retry.maxAttempts = 1 }) { request, _ in
                let echo = Self.echoBodies(Self.seenKey(request))[index]
                return .respond(status: echo.status, headers: [("Content-Type", echo.type)], body: Array(echo.body.utf8))
            }
            let error = try #require(outcome.error)
            #expect(outcome.requests.first.map { String(decoding: $0.body, as: UTF8.self).contains(Secret.key) } == (placement != .header))
            #expect(error.status == Self.echoBodies("")[index].status)
            #expect(error.description.contains("***") || error.description.contains("HTML page"), "\(error.description)")
            FaultHarness.expectNoLeak(outcome)
        }
    }

    @Test func successfulRunLogsNoKeyAtTraceLevel() async throws {
        let outcome = try await FaultHarness.run { _, _ in FaultHarness.success }
        #expect(outcome.error == nil)
        #expect(outcome.logs.contains { $0.hasPrefix("debug POST http://127.0.0.1:") && $0.contains("-> 200") }, "\(outcome.logs)")
        FaultHarness.expectNoLeak(outcome)
    }

    @Test func imageDownloadsCarryNoKeyAndPrintedURLsAreMasked() async throws {
        let images = try await BadInputServer.start()
        let api = try await BadInputServer.start()
        let (logger, storage) = CapturingLogHandler.logger()
        let client = try InferenceHTTPClient(configuration: FaultHarness.configuration(api.baseURL, logger: logger))
        _ = try await client.runWorkflow(specification: Fixture.echo, images: ["image": .url(Secret.urlWithKey(images.baseURL))])
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixture.echo, images: ["image": .url(Secret.urlWithKey(images.baseURL, path: "/missing.png"))])
        }
        try await client.shutdown()
        await images.shutdown()
        await api.shutdown()
        // The image host got the URL it was given, and no Authorization header: the key is for the inference server only.
        #expect(images.requests.count == 2)
        for request in images.requests { #expect(request.header("authorization") == nil) }
        #expect(api.requests.first?.header("authorization") == "Bearer \(Secret.key)")
        #expect(error?.description == "invalid input 'image': URL \(images.baseURL)/missing.png?api_key=***&size=1 could not be downloaded: HTTP 404")
        Secret.expectAbsent(in: storage.text, "the SDK log")
    }

    @Test func redirectToAnotherOriginDropsTheHeaderKey() async throws {
        let elsewhere = try await TestHTTPServer.start { _ in FaultHarness.success }
        let outcome = try await FaultHarness.run { _, _ in
            .respond(status: 307, headers: [("Location", elsewhere.baseURL + "/workflows/run")], body: [])
        }
        let forwarded = elsewhere.requests
        await elsewhere.shutdown()
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(forwarded.count == 1)
        #expect(forwarded.first?.header("authorization") == nil, "the key followed a redirect to another origin")
        FaultHarness.expectNoLeak(outcome)
    }

    @Test(arguments: [InferenceClientConfiguration.APIKeyPlacement.body, .both])
    func redirectToAnotherOriginWithTheKeyInTheBody(placement: InferenceClientConfiguration.APIKeyPlacement) async throws {
        let elsewhere = try await TestHTTPServer.start { _ in FaultHarness.success }
        let outcome = try await FaultHarness.run(configure: { $0.apiKeyPlacement = placement }) { _, _ in
            .respond(status: 307, headers: [("Location", elsewhere.baseURL + "/workflows/run")], body: [])
        }
        let forwarded = elsewhere.requests
        await elsewhere.shutdown()
        // A body that carries the key is never re-sent to another origin: the redirect is refused with a clear error.
        #expect(forwarded.isEmpty, "the body with the key followed a redirect to another origin")
        #expect(outcome.error?.kind == .invalidConfiguration, "\(String(describing: outcome.error))")
        #expect(outcome.error?.description.contains("redirected to another origin") == true)
        FaultHarness.expectNoLeak(outcome)
    }

    @Test func aKeyInTheAPIURLQueryIsMaskedInLogsAndErrors() async throws {
        let port = ResettingServer.closedPort()
        let (logger, storage) = CapturingLogHandler.logger()
        var configuration = FaultHarness.configuration("http://127.0.0.1:\(port)", logger: logger)
        configuration.retry.maxAttempts = 2
        let client = try InferenceHTTPClient(configuration: configuration)
        _ = await #expect(throws: InferenceError.self) { try await client.serverInfo() }
        try await client.shutdown()
        #expect(storage.all.contains { $0.contains("GET http://127.0.0.1:\(port)/info failed") }, "\(storage.all)")
        // A base URL carrying api_key= in its query is refused with the value masked.
        let refused = #expect(throws: InferenceError.self) {
            try InferenceHTTPClient(configuration: .init(apiURL: "127.0.0.1:9001/?api_key=\(Secret.key)", apiKey: Secret.key))
        }
        #expect(refused?.description.contains("api_key=***") == true, "\(String(describing: refused))")
        Secret.expectAbsent(in: refused?.description ?? "", "the configuration error")
        Secret.expectAbsent(in: storage.text, "the SDK log")
    }

    @Test func printingTheConfigurationShowsNoKey() {
        let configuration = InferenceClientConfiguration(apiURL: "http://127.0.0.1:9001", apiKey: Secret.key)
        Secret.expectAbsent(in: String(describing: configuration), "String(describing: configuration)")
        Secret.expectAbsent(in: String(reflecting: configuration), "String(reflecting: configuration)")
        var dumped = ""
        dump(configuration, to: &dumped)
        Secret.expectAbsent(in: dumped, "dump(configuration)")
        #expect(String(describing: configuration).contains("apiKey: ***"))
    }
}
