import ImageCodecs
import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// The saved-workflow route needs Roboflow's cloud, so its request shape is asserted on the wire with the
/// in-process server.
@Suite struct SavedWorkflowRoutingTests {
    @Test func savedWorkflowRequestOnTheWire() async throws {
        let server = try await TestHTTPServer.start { _ in
            TestHTTPServer.json(200, #"{"outputs":[{"count":3}],"profiler_trace":[]}"#, headers: [("x-request-id", "req-1")])
        }
        defer { Task { await server.shutdown() } }
        var configuration = InferenceClientConfiguration(apiURL: server.baseURL + "/", apiKey: "rf_WIRE_KEY")
        configuration.retry = .none
        let result = try await InferenceHTTPClient.withClient(configuration) { client in
            try await client.runWorkflow(
                workspace: "acme", id: "count-things", images: ["image": .file(Fixture.swatch)],
                parameters: ["confidence": 0.4, "classes": ["a", "b"]],
                options: .init(excludedFields: ["viz"], useCache: false, disableSinks: true, workflowVersionID: "v3")
            )
        }
        #expect(result.outputs.first?.int("count") == 3)
        #expect(result.requestID == "req-1")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.uri == "/acme/workflows/count-things")
        #expect(request.header("Authorization") == "Bearer rf_WIRE_KEY")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("User-Agent")?.hasPrefix("inference-sdk-swift/") == true)
        let body = try JSONValue(parsing: request.body)
        #expect(body["use_cache"] == false)
        #expect(body["disable_sinks"] == true)
        #expect(body["workflow_version_id"] == "v3")
        #expect(body["excluded_fields"] == ["viz"])
        #expect(body["specification"] == nil)
        #expect(body["api_key"] == nil)
        #expect(body["inputs"]?["confidence"] == 0.4)
        #expect(body["inputs"]?["classes"] == ["a", "b"])
        #expect(try Base64.decode(body["inputs"]?["image"]?["value"]?.stringValue ?? "") == (try Fixture.bytes("swatch.png")))
    }

    @Test func connectionsAreReused() async throws {
        let server = try await TestHTTPServer.start { _ in TestHTTPServer.json(200, #"{"outputs":[],"profiler_trace":[]}"#) }
        defer { Task { await server.shutdown() } }
        let configuration = InferenceClientConfiguration(apiURL: server.baseURL, apiKey: nil)
        try await InferenceHTTPClient.withClient(configuration) { client in
            for _ in 0..<5 {
                _ = try await client.runWorkflow(specification: Fixture.echo, images: ["image": .file(Fixture.swatch)])
            }
        }
        #expect(server.requests.count == 5)
        #expect(server.connectionCount == 1)
    }

    /// A client dropped without `shutdown()` (a task that threw first) closes its pooled connection instead of
    /// stopping the process (AsyncHTTPClient's debug-build check) or leaking the pool.
    @Test func aClientDroppedWithoutShutdownClosesItsConnections() async throws {
        let server = try await TestHTTPServer.start { _ in TestHTTPServer.json(200, #"{"outputs":[],"profiler_trace":[]}"#) }
        defer { Task { await server.shutdown() } }
        try await Self.runOnceAndDropTheClient(server.baseURL)
        #expect(server.connectionCount == 1)
        _ = await eventually(every: .milliseconds(20)) { server.closedConnectionCount > 0 }
        #expect(server.closedConnectionCount == 1, "the pooled connection is still open")
    }

    private static func runOnceAndDropTheClient(_ url: String) async throws {
        let client = try InferenceHTTPClient(configuration: InferenceClientConfiguration(apiURL: url, apiKey: nil))
        _ = try await client.runWorkflow(specification: Fixture.echo, images: ["image": .file(Fixture.swatch)])
    }
}
