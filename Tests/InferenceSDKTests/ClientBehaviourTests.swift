import ImageCodecs
import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import InferenceSDK
import InferenceSDKTesting

@Suite struct ClientBehaviourTests {
    @Test func sendsBearerHeaderUserAgentAndPythonKeyOrder() async throws {
        let transport = ScriptedTransport.echoing()
        let client = try InferenceHTTPClient.scripted(transport)
        _ = try await client.runWorkflow(
            specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)], parameters: ["k": 9],
            options: .init(excludedFields: ["a"], enableProfiling: true)
        )
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "http://127.0.0.1:9/workflows/run")
        #expect(request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer rf_TEST_KEY_0123456789" })
        #expect(request.headers.contains { $0.name == "User-Agent" && $0.value.hasPrefix("inference-sdk-swift/") })
        let body = try JSONValue(parsing: request.body ?? [])
        #expect(body.objectValue?.keys.elements == ["use_cache", "enable_profiling", "inputs", "excluded_fields", "specification"])
        #expect(body["inputs"]?["image"]?["type"] == "base64")
        #expect(try Base64.decode(body["inputs"]?["image"]?["value"]?.stringValue ?? "") == Fixtures.png)
        #expect(body["inputs"]?["k"] == 9)
        #expect(body["api_key"] == nil)
    }

    @Test(arguments: [InferenceClientConfiguration.APIKeyPlacement.body, .both])
    func putsTheKeyInTheBodyWhenAsked(placement: InferenceClientConfiguration.APIKeyPlacement) async throws {
        let transport = ScriptedTransport.echoing()
        let client = try InferenceHTTPClient.scripted(transport) { $0.apiKeyPlacement = placement }
        _ = try await client.runWorkflow(workspace: "my ws", id: "wf/1", images: ["image": .bytes(Fixtures.png)], options: .init(workflowVersionID: "7"))
        let request = try #require(transport.requests.first)
        #expect(request.url == "http://127.0.0.1:9/my%20ws/workflows/wf%2F1")
        let body = try JSONValue(parsing: request.body ?? [])
        #expect(body["api_key"] == "rf_TEST_KEY_0123456789")
        #expect(body.objectValue?.keys.first == "api_key")
        #expect(body["workflow_version_id"] == "7")
        #expect(request.headers.contains { $0.name == "Authorization" } == (placement == .both))
    }

    @Test func retriesTransientStatusesThenSucceedsKeepingCount() async throws {
        let transport = ScriptedTransport { request, index in
            if index < 2 { return .success(TransportResponse(status: 503, headers: [("Retry-After", "0")], body: Array(#"{"message":"busy"}"#.utf8))) }
            return .success(TransportResponse(status: 200, body: Array(#"{"outputs":[{"a":1}],"profiler_trace":[]}"#.utf8)))
        }
        let client = try InferenceHTTPClient.scripted(transport)
        let result = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        #expect(result.outputs.first?.int("a") == 1)
        #expect(transport.requests.count == 3)
    }

    @Test(arguments: [400, 401, 403, 404, 422])
    func neverRetriesClientErrors(status: Int) async throws {
        let transport = ScriptedTransport { _, _ in
            .success(TransportResponse(status: status, body: Array(#"{"message":"nope","error_type":"X"}"#.utf8)))
        }
        let client = try InferenceHTTPClient.scripted(transport)
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        }
        #expect(transport.requests.count == 1)
        #expect(error?.status == status)
        #expect(error?.kind == .clientError)
        #expect(error?.serverError?.message == "nope")
    }

    @Test func givesUpAfterMaxAttemptsKeepingTheServerBody() async throws {
        let transport = ScriptedTransport { _, _ in
            .success(TransportResponse(status: 502, body: Array(#"{"message":"upstream down"}"#.utf8)))
        }
        let client = try InferenceHTTPClient.scripted(transport) { $0.retry.maxAttempts = 3 }
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        }
        #expect(transport.requests.count == 3)
        #expect(error?.attempts == 3)
        #expect(error?.serverError?.message == "upstream down")
        #expect(error?.description == "HTTP 502: upstream down after 3 attempts")
    }

    @Test func retriesConnectionFailuresOnly() async throws {
        let transport = ScriptedTransport { _, index in
            index == 0 ? .failure(InferenceError(.connectionFailed, "connection reset by the server"))
                : .success(TransportResponse(status: 200, body: Array(#"{"outputs":[],"profiler_trace":[]}"#.utf8)))
        }
        let client = try InferenceHTTPClient.scripted(transport)
        _ = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        #expect(transport.requests.count == 2)

        let slow = ScriptedTransport { _, _ in .failure(InferenceError(.timeout, "no complete response within 1 s")) }
        let client2 = try InferenceHTTPClient.scripted(slow)
        await #expect(throws: InferenceError.self) {
            try await client2.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        }
        #expect(slow.requests.count == 1)
    }

    @Test func refusesOversizedRequestsBeforeSending() async throws {
        let transport = ScriptedTransport.echoing()
        let client = try InferenceHTTPClient.scripted(transport) { $0.maxRequestBytes = 100 }
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        }
        #expect(error?.kind == .requestTooLarge)
        #expect(error?.description.contains("limit of 100 bytes") == true)
        #expect(transport.requests.isEmpty)
    }

    @Test func splitsLargeBatchesAndMergesInOrder() async throws {
        let transport = ScriptedTransport.echoing()
        let client = try InferenceHTTPClient.scripted(transport) { $0.maxBatchSize = 3 }
        var images: [ImageInput] = []
        for i in 0..<8 {
            guard let pixels = try? PixelBuffer(width: 1, height: 1, format: .gray8, bytes: [UInt8(i * 30)]) else { continue }
            images.append(.pixels(pixels, encoding: .png))
        }
        let result = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .batch(images), "template": .bytes(Fixtures.png)])
        #expect(transport.requests.count == 3)
        #expect(result.outputs.count == 8)
        #expect(result.requestIDs.sorted() == ["r2", "r3", "r3"])
        // Each output echoes its own image: decode it and compare its gray level.
        for (i, output) in result.outputs.enumerated() {
            let base64 = try #require(output["first"]?.stringValue)
            let pixels = try PNGCodec.decode(try Base64.decode(base64))
            #expect(pixels.bytes.first == UInt8(i * 30))
        }
        // The broadcast image goes with every chunk.
        for request in transport.requests {
            #expect(try JSONValue(parsing: request.body ?? [])["inputs"]?["template"]?["type"] == "base64")
        }
    }

    @Test func descriptionsNeverContainTheKey() async throws {
        let key = "rf_TEST_KEY_0123456789"
        let transport = ScriptedTransport { request, _ in
            .success(TransportResponse(status: 401, body: Array(#"{"message":"bad key \#(key) at \#(request.url)?api_key=\#(key)"}"#.utf8)))
        }
        let client = try InferenceHTTPClient.scripted(transport)
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(workspace: "w", id: "x", images: ["image": .bytes(Fixtures.png)])
        }
        let text = "\(String(describing: error)) \(error?.message ?? "") \(error?.serverError?.summary ?? "")"
        #expect(!text.contains(key))
        #expect(text.contains("***"))
    }
}

/// `withClient` with an injected transport, and `isTransient` for the documented statuses.
@Suite struct ClientLifetimeTests {
    final class CountingTransport: InferenceTransport {
        let shutdowns = NIOLockedValueBox(0)
        func send(_ request: TransportRequest) async throws -> TransportResponse {
            TransportResponse(status: 200, body: Array(#"{"outputs":[{"n":1}],"profiler_trace":[]}"#.utf8))
        }
        func shutdown() async throws { shutdowns.withLockedValue { $0 += 1 } }
    }

    /// An injected transport is its caller's: neither `withClient` nor `shutdown()` shuts it down.
    @Test func withClientUsesAnInjectedTransportAndLeavesItToItsOwner() async throws {
        let transport = CountingTransport()
        let n = try await InferenceHTTPClient.withClient(.testing(), transport: transport) { client in
            try await client.runWorkflow(specification: Fixtures.spec).outputs.first?.int("n")
        }
        #expect(n == 1)
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await InferenceHTTPClient.withClient(.testing(), transport: transport) { _ in throw Boom() }
        }
        let client = try InferenceHTTPClient(configuration: .testing(), transport: transport)
        try await client.shutdown()
        #expect(transport.shutdowns.withLockedValue { $0 } == 0)
    }

    /// The error the client makes of each status, against the statuses the README lists as transient (written
    /// out here: comparing with `RetryPolicy.default`, the set `isTransient` itself reads, could not fail).
    @Test(arguments: 400..<600)
    func isTransientHoldsForExactlyTheDocumentedStatuses(status: Int) {
        let error = WorkflowResponseDecoder.error(for: TransportResponse(status: status, body: []), redact: Redactor(secret: nil))
        #expect(error.isTransient == [429, 502, 503, 504].contains(status), "HTTP \(status)")
    }
}
