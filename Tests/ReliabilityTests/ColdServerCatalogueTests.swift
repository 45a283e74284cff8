import Foundation
import InferenceSDK
import Logging
import TestSupport
import Testing

/// A freshly started 1.8.3 server answers some of its first concurrent catalogue reads with `500 Internal error.`
/// (two request threads build the same lazy pydantic schema: "AssertionError: this is a bug!" in its log); about one
/// fresh server in six here. Those reads change nothing, so the client retries them and every read succeeds.
@Suite(.enabled(if: RealServer.available, "needs the real server's venv (INFERENCE_SERVER_URL set)"))
struct ColdServerCatalogueTests {
    @Test(.timeLimit(.minutes(10)))
    func concurrentFirstCatalogueReadsOnAFreshServerAllSucceed() async throws {
        try await OwnServer.with { server in
            let (logger, storage) = CapturingLogHandler.logger()
            var configuration = InferenceClientConfiguration(apiURL: server.url, apiKey: nil)
            configuration.logger = logger
            try await InferenceHTTPClient.withClient(configuration) { client in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    // Six reads, four of them the catalogue (~4.5 s of the server's CPU each; the race shows with these six too:
                    // 2 retried in a local run): twelve kept a core busy for two minutes of the CI run and
                    // starved the shared server the other suites use.
                    for index in 0..<6 {
                        group.addTask {
                            if index % 3 != 2 { return try await client.describeBlocks().blocks.count }
                            return try await client.workflowDefinitionSchema().definitionSchema == nil ? 0 : 1
                        }
                    }
                    var answers: [Int] = []
                    for try await answer in group { answers.append(answer) }
                    #expect(answers.count == 6)
                    #expect(answers.allSatisfy { $0 > 0 })
                }
            }
            let retried = storage.all.filter { $0.contains("retrying GET") && $0.contains("HTTP 500") }
            print("ColdServerCatalogueTests: \(retried.count) first reads answered 500 and were retried")
        }
    }
}
