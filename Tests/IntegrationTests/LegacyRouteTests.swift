import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// A transport that records the URL of every request it passes on to the real one.
final class RecordingTransport: InferenceTransport, @unchecked Sendable {
    let inner: AsyncHTTPClientTransport
    private let lock = NSLock()
    private var recorded: [String] = []

    init() { inner = AsyncHTTPClientTransport(connectTimeout: .seconds(10)) }

    /// The URLs sent so far.
    var urls: [String] { lock.withLock { recorded } }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        lock.withLock { recorded.append(request.url) }
        return try await inner.send(request)
    }

    func shutdown() async throws { try await inner.shutdown() }
}

/// `legacyEndpoints`: runs go to `POST /infer/workflows` and `POST /infer/workflows/{ws}/{id}`, against the
/// real 1.8.3 server, which serves both.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL (scripts/test.sh starts the real server)"))
struct LegacyRouteTests {
    func client(legacy: Bool, transport: RecordingTransport) throws -> InferenceHTTPClient {
        var configuration = RealServer.configuration()
        configuration.legacyEndpoints = legacy
        configuration.retry = .none
        return try InferenceHTTPClient(configuration: configuration, transport: transport)
    }

    @Test func inlineRunOnTheLegacyRouteGivesTheSameOutputs() async throws {
        let base = try #require(RealServer.url)
        var outputs: [JSONValue] = []
        for legacy in [false, true] {
            let transport = RecordingTransport()
            let client = try client(legacy: legacy, transport: transport)
            let result = try await client.runWorkflow(
                specification: try Fixture.spec("scalars-and-parameters.json"), images: ["image": .file(Fixture.swatch)],
                parameters: ["min_width": 50, "label": "swatch"]
            )
            try await transport.shutdown()
            #expect(transport.urls == [base + (legacy ? "/infer/workflows" : "/workflows/run")])
            outputs.append(result.rawOutputs)
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].arrayValue?.isEmpty == false)
    }

    @Test func savedRunOnTheLegacyRouteReachesTheServer() async throws {
        let base = try #require(RealServer.url)
        let transport = RecordingTransport()
        let client = try client(legacy: true, transport: transport)
        defer { Task { try? await transport.shutdown() } }
        // Offline, the server cannot fetch the definition from Roboflow's API: 503, as on the other saved route.
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(workspace: "acme space", id: "count-cars", images: ["image": .file(Fixture.swatch)])
        }
        #expect(error?.status == 503)
        #expect(error?.serverError?.message?.contains("Roboflow API") == true)
        #expect(transport.urls == [base + "/infer/workflows/acme%20space/count-cars"])
    }

    @Test func pathsForBothRouteStyles() {
        let saved = WorkflowTarget.saved(workspace: "w", id: "i")
        #expect(saved.path(legacy: false) == "/w/workflows/i")
        #expect(saved.path(legacy: true) == "/infer/workflows/w/i")
        #expect(WorkflowTarget.inline(Fixture.echo).path(legacy: true) == "/infer/workflows")
        #expect(WorkflowTarget.inline(Fixture.echo).path(legacy: false) == "/workflows/run")
    }
}
