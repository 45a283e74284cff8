import Foundation
import InferenceSDK
import TestSupport
import Testing

/// Whether the network suites run: with the real server and the fixtures' programs, or under
/// `INFERENCE_REQUIRE_SERVER=1` (where a missing one fails, naming it).
let networkSuitesRun = RealServer.available && Requirement.runs(NetworkFixture.toolsPresent)

/// Starts the fixtures for one test, runs `body`, stops them whatever happens.
func withNetwork<T: Sendable>(_ body: (NetworkFixture) async throws -> T) async throws -> T {
    guard Requirement.expect(NetworkFixture.toolsPresent, "nginx, tinyproxy and openssl (scripts/bootstrap.sh installs them)") else {
        throw ChildProcessError(message: "the network fixtures' programs are missing")
    }
    let fixture = try await NetworkFixture.start()
    do {
        let result = try await body(fixture)
        await fixture.stop()
        return result
    } catch {
        await fixture.stop()
        throw error
    }
}

/// Runs the blur fixture on `url` with a client configured by `configure`; the outcome either way.
func runBlur(
    _ url: String, apiKey: String? = nil, _ configure: (inout InferenceClientConfiguration) -> Void = { _ in }
) async throws -> Result<WorkflowRunResult, InferenceError> {
    let configuration = RealServer.configuration(url: url) {
        $0.apiKey = apiKey
        configure(&$0)
    }
    let client = try InferenceHTTPClient(configuration: configuration)
    let outcome: Result<WorkflowRunResult, InferenceError>
    do {
        outcome = .success(try await client.runWorkflow(
            specification: try Fixture.spec("blur.json"), images: ["image": .file(Fixture.swatch)], parameters: ["kernel_size": 5]))
    } catch let error as InferenceError {
        outcome = .failure(error)
    }
    try await client.shutdown()
    return outcome
}

extension Result where Failure == InferenceError {
    /// The error, or a recorded failure and `nil` when it succeeded.
    func failure(sourceLocation: SourceLocation = #_sourceLocation) -> InferenceError? {
        switch self {
        case .success: Issue.record("expected an error, got a result", sourceLocation: sourceLocation); return nil
        case .failure(let error): return error
        }
    }
}
