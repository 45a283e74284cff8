import Foundation
import TestSupport
import Testing
@testable import InferenceSDK
import InferenceSDKURLSession

/// The transport seam: the same client over Foundation's URLSession (what Apple platforms would plug in).
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct URLSessionTransportTests {
    /// A new one per test; the client only sends through it, so each test shuts it down.
    let transport = URLSessionTransport()

    func client() throws -> InferenceHTTPClient {
        try InferenceHTTPClient(configuration: .init(apiURL: RealServer.url ?? "", apiKey: nil), transport: transport)
    }

    @Test func runsAWorkflowAndKeepsTheRequestID() async throws {
        let client = try client()
        let result = try await client.runWorkflow(
            specification: try Fixture.spec("scalars-and-parameters.json"), images: ["image": .file(Fixture.swatch)],
            parameters: ["min_width": 50, "label": "u"]
        )
        try await transport.shutdown()
        #expect(result.outputs.first?.string("caption") == "U is 200x100")
        #expect(result.requestID?.isEmpty == false)
    }

    @Test func serverErrorsKeepTheirBody() async throws {
        let client = try client()
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: try Fixture.spec("blur.json"), images: ["image": .file(Fixture.swatch)], parameters: ["kernel_size": "x"])
        }
        try await transport.shutdown()
        #expect(error?.status == 400)
        #expect(error?.serverError?.errorType == "RuntimeInputError")
    }

    @Test func refusedConnectionIsAConnectionFailure() async throws {
        let client = try InferenceHTTPClient(
            configuration: .init(apiURL: "http://127.0.0.1:1", apiKey: nil, retry: .none), transport: transport
        )
        let error = await #expect(throws: InferenceError.self) { try await client.serverInfo() }
        try await transport.shutdown()
        #expect(error?.kind == .connectionFailed)
    }
}
