import TestSupport
import Testing
import InferenceSDK

@Suite struct ServerHarnessTests {
    /// With INFERENCE_REQUIRE_SERVER=1 (CI), a missing server fails the run instead of skipping the integration tests.
    /// Without a server (and without the flag) it is skipped, and counted as such, instead of passing.
    @Test(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
    func realServerIsRunningWhenRequired() async throws {
        try #require(RealServer.url != nil, "missing requirement: INFERENCE_SERVER_URL (INFERENCE_REQUIRE_SERVER=1 is set)")
        let info = try await RealServer.withClient { try await $0.serverInfo() }
        #expect(info.version == "1.8.3")
        #expect(info.name == "Roboflow Inference Server")
    }
}

/// Under INFERENCE_REQUIRE_SERVER=1 the Python parity suite runs even without `INFERENCE_PYTHON` (``Requirement``):
/// this names it, once, instead of a skipped suite keeping the run green.
@Suite struct IntegrationRequirementTests {
    @Test(.enabled(if: RealServer.required, "only under INFERENCE_REQUIRE_SERVER=1"))
    func thePythonSDKIsHere() {
        Requirement.expect(PythonParity.python != nil, "INFERENCE_PYTHON (the inference venv's python, with inference_sdk; scripts/test.sh sets it)")
    }
}
