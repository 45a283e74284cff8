import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient` with the key from the environment or `--api-key`, `--verbose` on, against a server that echoes
/// the key back in its answers: the key appears in no output of any command.
@Suite struct CLISecretsTests {
    enum KeySource: String, CaseIterable, Sendable { case environment, option }

    /// Answers every request with the key it saw, in the status the command meets: 401 for workflows and
    /// describe, 400 for validate, 500 for info.
    static func echoingServer() async throws -> TestHTTPServer {
        try await TestHTTPServer.start { request in
            let seen = SecretsTests.seenKey(request)
            switch request.uri {
            case "/info":
                return .respond(status: 500, headers: [("Content-Type", "text/plain")], body: Array("crashed on \(seen)".utf8))
            case "/workflows/validate":
                return TestHTTPServer.json(400, #"{"message":"invalid for \#(seen)","error_type":"WorkflowSyntaxError","context":"\#(seen)"}"#)
            default:
                return TestHTTPServer.json(401, #"{"message":"Unauthorized api_key=\#(seen)","detail":[{"loc":["body"],"msg":"\#(seen)","input":"\#(seen)"}]}"#)
            }
        }
    }

    static func commands(_ spec: String, _ image: String) -> [(name: String, arguments: [String], status: Int32)] {
        [
            ("run", ["run", "--spec", spec, "--image", "image=\(image)"], 3),
            ("run saved", ["run", "--workspace", "ws", "--workflow", "wf", "--image", "image=\(image)"], 3),
            ("describe", ["describe", "--spec", spec], 3),
            ("validate", ["validate", "--spec", spec], 3),
            ("info", ["info", "--retries", "0"], 4),
        ]
    }

    @Test(arguments: KeySource.allCases)
    func noCommandPrintsTheKey(source: KeySource) async throws {
        let folder = try TemporaryDirectory("cli-secrets")
        defer { folder.remove() }
        let image = try folder.write("photo.png", try Images.png(seed: 1))
        let server = try await Self.echoingServer()
        for command in Self.commands(Fixture.path("blur.json"), image) {
            let key = source == .option ? ["--api-key", Secret.key] : []
            let environment = source == .environment ? ["ROBOFLOW_API_KEY": Secret.key] : [:]
            let run = try await CLI.run(
                command.arguments + ["--api-url", server.baseURL, "--verbose"] + key, environment: environment)
            #expect(run.status == command.status, "\(command.name): \(run)")
            #expect(run.errorLines.count == 1, "\(command.name): \(run)")
            Secret.expectAbsent(in: run.stdoutText, "\(command.name) stdout")
            Secret.expectAbsent(in: run.stderrText, "\(command.name) stderr")
        }
        // The key did reach the server, so the echoes above were real.
        #expect(server.requests.contains { SecretsTests.seenKey($0).contains(Secret.key) })
        await server.shutdown()
    }

    @Test(.enabled(if: RealServer.available, "needs the real server"))
    func successfulVerboseRunPrintsNoKey() async throws {
        let url = try #require(RealServer.url)
        let folder = try TemporaryDirectory("cli-secrets")
        defer { folder.remove() }
        let image = try folder.write("photo.png", try Images.png(seed: 2))
        let run = try await CLI.run(
            ["run", "--spec", Fixture.path("blur.json"), "--image", "image=\(image)", "--api-url", url, "--verbose",
             "--save-images", folder.file("saved")],
            environment: ["ROBOFLOW_API_KEY": Secret.key])
        #expect(run.status == 0, "\(run)")
        #expect(run.stderrText.contains("debug rfclient: [InferenceSDK] POST \(url)/workflows/run -> 200"), "\(run)")
        Secret.expectAbsent(in: run.stdoutText + run.stderrText, "the CLI output")
        Secret.expectAbsent(inFilesUnder: folder.file("saved"))
    }
}
