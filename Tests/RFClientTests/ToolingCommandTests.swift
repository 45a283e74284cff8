import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `describe`, `validate`, `info`, `blocks`, help, version and shell completion.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct ToolingCommandTests {
    @Test func describeListsInputsAndOutputs() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("echo.json", json: Specs.echo)
        let text = try await CLI.run(["describe", "--spec", spec])
        #expect(text.status == 0, "\(text)")
        let lines = text.stdoutLines
        let outputsAt = try #require(lines.firstIndex(of: "outputs:"))
        #expect(lines.first == "inputs:")
        let inputNames = lines[1..<outputsAt].compactMap { $0.split(separator: ":").first?.trimmingCharacters(in: .whitespaces) }
        let outputNames = lines[(outputsAt + 1)...].compactMap { $0.split(separator: ":").first?.trimmingCharacters(in: .whitespaces) }
        #expect(inputNames == ["a", "b", "c", "image"])
        #expect(outputNames == ["a", "b", "c", "width"])

        let json = try await CLI.run(["describe", "--spec", spec, "--json"])
        #expect(json.status == 0, "\(json)")
        let answer = try json.json()
        #expect(Set(answer["inputs"]?.objectValue?.keys ?? []) == ["image", "a", "b", "c"])
        #expect(Set(answer["outputs"]?.objectValue?.keys ?? []) == ["a", "b", "c", "width"])
        #expect(answer["typing_hints"] != nil)
    }

    @Test func describeOfAnInvalidSpecIsThree() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("invalid.json", json: Specs.invalid)
        let out = try await CLI.run(["describe", "--spec", spec])
        #expect(out.status == 3, "\(out)")
        #expect(out.stderrLines.count == 1)
    }

    @Test func validateAcceptsAValidDefinition() async throws {
        for name in ["blur.json", "template-matching-crops.json", "scalars-and-parameters.json"] {
            let out = try await CLI.run(["validate", "--spec", Fixture.path(name)])
            #expect(out.status == 0, "\(name): \(out)")
            #expect(out.stdoutText.contains("valid"))
        }
        let viaStdin = try await CLI.run(["validate", "--spec", "-"], stdin: Specs.echo.serialized())
        #expect(viaStdin.status == 0, "\(viaStdin)")
    }

    @Test func validateRejectsAnInvalidDefinitionWithTheServersErrorType() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("invalid.json", json: Specs.invalid)
        let out = try await CLI.run(["validate", "--spec", spec])
        #expect(out.status == 3, "\(out)")
        #expect(out.stdout.isEmpty)
        #expect(out.stderrLines.count == 1)
        #expect(out.stderrText.contains("HTTP 400 WorkflowSyntaxError"), "\(out)")
        #expect(out.stderrText.contains("no_such_block"))

        // A bad reference is another server error type.
        var broken = try #require(try JSONValue(parsing: Fixture.bytes("blur.json")).objectValue)
        broken["outputs"] = [["type": "JsonField", "name": "x", "selector": "$steps.missing.image"]]
        let reference = try tmp.write("reference.json", json: .object(broken))
        let bad = try await CLI.run(["validate", "--spec", reference])
        #expect(bad.status == 3, "\(bad)")
        #expect(bad.stderrText.contains("HTTP 400"))
        #expect(bad.stderrLines.count == 1)
    }

    @Test func infoNamesTheServer() async throws {
        let text = try await CLI.run(["info"])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdoutText.hasPrefix("Roboflow Inference Server 1.8.3 at \(RealServer.url ?? "?")"))
        let json = try await CLI.run(["info", "--json"])
        #expect(json.status == 0, "\(json)")
        let info = try json.json()
        #expect(info["name"] == "Roboflow Inference Server")
        #expect(info["version"] == "1.8.3")
        #expect(info["uuid"]?.stringValue != nil)
    }

    @Test func infoWithNoServerIsFour() async throws {
        let out = try await CLI.run(["info", "--api-url", "http://127.0.0.1:\(try unusedLoopbackPort())", "--retries", "0"])
        #expect(out.status == 4, "\(out)")
        #expect(out.stderrLines.count == 1)
    }

    @Test func blocksListsTheCatalogue() async throws {
        let text = try await CLI.run(["blocks"])
        #expect(text.status == 0, "\(text)")
        let identifiers = text.stdoutLines.compactMap { $0.split(separator: "\t").first.map(String.init) }
        #expect(identifiers.contains("roboflow_core/image_blur@v1"))
        #expect(identifiers.contains("roboflow_core/dynamic_crop@v1"))
        #expect(identifiers == identifiers.sorted())
        #expect(identifiers.count > 50)

        let json = try await CLI.run(["blocks", "--json"])
        #expect(json.status == 0, "\(json)")
        let blocks = try #require(try json.json().arrayValue)
        #expect(blocks.count == identifiers.count)
        let blur = try #require(blocks.first { $0["identifier"] == "roboflow_core/image_blur@v1" })
        #expect(blur["name"] == "Image Blur")
        #expect(blur["outputs"]?.arrayValue?.contains { $0["name"] == "image" } == true)
    }

    @Test(arguments: ["run", "process", "describe", "validate", "info", "blocks"])
    func helpHasAnExample(command: String) async throws {
        let out = try await CLI.run([command, "--help"])
        #expect(out.status == 0, "\(out)")
        #expect(out.stdoutText.contains("USAGE: rfclient \(command)"))
        #expect(out.stdoutText.contains("Example"))
        #expect(out.stdoutText.contains("rfclient \(command) "), "an example invoking the command")
        #expect(out.stdoutText.contains("--api-url"))
    }

    @Test func topLevelHelpVersionAndCompletion() async throws {
        let help = try await CLI.run(["--help"])
        #expect(help.status == 0)
        for command in ["run", "process", "describe", "validate", "info", "blocks"] {
            #expect(help.stdoutText.contains("  \(command) "), "\(command) listed")
        }
        #expect(help.stdoutText.contains("Exit codes"))

        let version = try await CLI.run(["--version"])
        #expect(version.status == 0)
        let versionText = version.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(versionText == InferenceClientConfiguration.sdkVersion)
        #expect(versionText.split(separator: ".").count == 3)

        for shell in ["bash", "zsh", "fish"] {
            let completion = try await CLI.run(["--generate-completion-script", shell])
            #expect(completion.status == 0, "\(shell): \(completion)")
            #expect(completion.stdoutText.contains("rfclient"))
            #expect(completion.stdoutText.contains("process"))
        }
        let bash = try await CLI.run(["--generate-completion-script", "bash"])
        #expect(bash.stdoutText.contains("--save-images"))
        #expect(bash.stdoutText.contains("complete "))
    }

    @Test func bashAcceptsTheCompletionScript() async throws {
        let script = try await CLI.run(["--generate-completion-script", "bash"])
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let file = try tmp.write("rfclient.bash", script.stdout)
        let bash = try await ChildProcess.run(
            "/bin/bash", ["-c", "source \(file) && complete -p rfclient"], environment: CLI.environment()
        )
        #expect(bash.status == 0, "\(String(decoding: bash.stderr, as: UTF8.self))")
        #expect(String(decoding: bash.stdout, as: UTF8.self).contains("rfclient"))
    }
}
