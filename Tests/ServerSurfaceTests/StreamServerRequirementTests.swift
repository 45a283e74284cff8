import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The pipeline tests run only against a server started with the stream API; CI must not skip them silently.
@Suite struct StreamServerRequirementTests {
    /// With INFERENCE_REQUIRE_SERVER=1 (scripts/test.sh, CI), a missing stream server fails the run; without it the
    /// test is skipped (and counted as such), not passed.
    @Test(.enabled(if: StreamServer.available, "needs INFERENCE_STREAM_SERVER_URL"))
    func streamServerIsRunningWhenRequired() async throws {
        guard Requirement.expect(StreamServer.url != nil, "INFERENCE_STREAM_SERVER_URL (a server started with ENABLE_STREAM_API=true)") else { return }
        let info = try await StreamServer.withClient { try await $0.serverInfo() }
        #expect(info.version == "1.8.3")
        // The manager answers: the stream API is on and its process runs.
        _ = try await StreamServer.withClient { try await $0.listPipelines() }
        Requirement.expect(VideoFixtures.python != nil, "INFERENCE_PYTHON (the pipeline tests make their videos with it)")
    }
}

/// All tests that start pipelines, one at a time (each pipeline is a server process; two cores here).
@Suite(
    .serialized, .timeLimit(.minutes(5)),
    .enabled(if: StreamServer.available, "needs INFERENCE_STREAM_SERVER_URL (scripts/test.sh starts a server with ENABLE_STREAM_API=true)")
)
struct StreamPipelineTests {}
