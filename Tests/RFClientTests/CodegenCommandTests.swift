import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient codegen` and `rfclient describe --save-interface`, end to end: the files they write are the ones
/// committed for the fixtures (Tests/Fixtures/workflows/*.interface.json, Tests/TypedWorkflowTests/Generated/).
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct CodegenCommandTests {
    static let generated = BuiltRFClient.repositoryRoot + "/Tests/TypedWorkflowTests/Generated"

    @Test func codegenFromTheServerWritesTheCommittedBlurType() async throws {
        let run = try await CLI.run(["codegen", "--spec", Fixture.path("blur.json"), "--name", "Blur"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdoutText == (try String(contentsOfFile: Self.generated + "/Blur.swift", encoding: .utf8)))
    }

    @Test func describeSaveInterfaceThenCodegenWithoutAServer() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let interface = tmp.file("crops.interface.json")
        let saved = try await CLI.run(["describe", "--spec", Fixture.path("template-matching-crops.json"), "--save-interface", interface])
        #expect(saved.status == 0, "\(saved)")
        #expect(try tmp.read("crops.interface.json") == (try Fixture.bytes("template-matching-crops.interface.json")))
        // No server: the URL points at a closed port, and the interface file is all codegen reads.
        let generated = tmp.file("TemplateMatchingCrops.swift")
        let run = try await CLI.run(
            ["codegen", "--spec", Fixture.path("template-matching-crops.json"), "--interface", interface,
             "--name", "TemplateMatchingCrops", "-o", generated],
            server: "http://127.0.0.1:9")
        #expect(run.status == 0, "\(run)")
        #expect(try tmp.read("TemplateMatchingCrops.swift") == Array((try String(contentsOfFile: Self.generated + "/TemplateMatchingCrops.swift", encoding: .utf8)).utf8))
    }

    @Test func badNamesAndFilesAreUsageErrors() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let badName = try await CLI.run(
            ["codegen", "--spec", Fixture.path("blur.json"), "--interface", Fixture.path("blur.interface.json"), "--name", "2Blur"],
            server: "http://127.0.0.1:9")
        #expect(badName.status == 2, "\(badName)")
        #expect(badName.stderrText.contains("is not a Swift type name"))
        let notInterface = try tmp.write("not.json", Array(#"{"a": 1}"#.utf8))
        let wrongFile = try await CLI.run(
            ["codegen", "--spec", Fixture.path("blur.json"), "--interface", notInterface, "--name", "Blur"], server: "http://127.0.0.1:9")
        #expect(wrongFile.status == 2, "\(wrongFile)")
        #expect(wrongFile.stderrText.contains("is not a describe_interface answer"))
        let missing = try await CLI.run(["codegen", "--spec", Fixture.path("blur.json"), "--interface", tmp.file("none.json"), "--name", "Blur"])
        #expect(missing.status == 2, "\(missing)")
    }

    /// A saved workflow is described by the server, which fetches it from Roboflow: offline, its 503 is exit 4, the key
    /// never printed.
    @Test func codegenForASavedWorkflowOnAnOfflineServerIsAServerFailure() async throws {
        let key = "rf_CODEGEN_key_must_not_leak"
        let run = try await CLI.run(
            ["codegen", "--workspace", "acme", "--workflow", "wf", "--name", "Wf", "--retries", "0"], environment: ["ROBOFLOW_API_KEY": key])
        #expect(run.status == 4, "\(run)")
        #expect(run.stderrText.contains("HTTP 503"))
        #expect(!run.stderrText.contains(key) && run.stdout.isEmpty)
    }

    /// The build plugin's tool (`workflow-codegen`, beside rfclient) writes the same bytes as `rfclient codegen`.
    @Test func thePluginToolWritesTheCommittedFile() async throws {
        let rfclient = try #require(BuiltRFClient.path)
        let tool = URL(fileURLWithPath: rfclient).deletingLastPathComponent().appendingPathComponent("workflow-codegen").path
        try #require(FileManager.default.isExecutableFile(atPath: tool), "build workflow-codegen first (swift build --build-tests)")
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let child = try ChildProcess.spawn(
            tool,
            ["--interface", Fixture.path("template-matching-crops.interface.json"), "--spec", Fixture.path("template-matching-crops.json"),
             "--name", "TemplateMatchingCrops", "-o", tmp.file("out.swift")],
            environment: BuiltRFClient.environment(), stdin: nil)
        let result = await child.wait(bound: .seconds(60))
        #expect(result.status == 0)
        #expect(try tmp.read("out.swift") == Array((try String(contentsOfFile: Self.generated + "/TemplateMatchingCrops.swift", encoding: .utf8)).utf8))
    }
}
