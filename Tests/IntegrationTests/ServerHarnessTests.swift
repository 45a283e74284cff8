import TestSupport
import Testing
import InferenceSDK

@Suite struct ServerHarnessTests {
    /// With INFERENCE_REQUIRE_SERVER=1 (CI), a missing server fails the run instead of skipping the integration tests.
    @Test func realServerIsRunningWhenRequired() async throws {
        guard RealServer.required || RealServer.available else { return }
        #expect(RealServer.url != nil, "INFERENCE_REQUIRE_SERVER=1 but INFERENCE_SERVER_URL is not set")
        let info = try await RealServer.withClient { try await $0.serverInfo() }
        #expect(info.version == "1.8.3")
        #expect(info.name == "Roboflow Inference Server")
    }
}
