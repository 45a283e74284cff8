import Foundation
import InferenceSDK
import TestSupport
import Testing

/// Every documented exit code of `rfclient run`, each with one clear line on stderr and nothing on stdout.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct RunExitCodeTests {
    /// Checks a failed run: `code`, stdout empty, stderr exactly one `rfclient: ` line containing `needles`.
    func expectFailure(_ out: CLIRun, code: Int32, contains needles: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(out.status == code, "\(out)", sourceLocation: sourceLocation)
        #expect(out.stdout.isEmpty, "\(out)", sourceLocation: sourceLocation)
        #expect(out.stderrLines.count == 1, "\(out)", sourceLocation: sourceLocation)
        #expect(out.stderrText.hasPrefix("rfclient: "), "\(out)", sourceLocation: sourceLocation)
        for needle in needles {
            #expect(out.stderrText.contains(needle), "missing '\(needle)': \(out)", sourceLocation: sourceLocation)
        }
    }

    @Test func successIsZero() async throws {
        let out = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", "image=\(Fixture.swatch)"])
        #expect(out.status == 0, "\(out)")
        #expect(out.stderr.isEmpty)
        #expect(try out.json().arrayValue?.count == 1)
    }

    @Test func missingImageFileIsTwo() async throws {
        let out = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", "image=/nonexistent/photo.jpg"])
        expectFailure(out, code: 2, contains: ["/nonexistent/photo.jpg", "does not exist"])
    }

    @Test(arguments: ["novalue", "=5"])
    func badParamSyntaxIsTwo(param: String) async throws {
        let out = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", "image=\(Fixture.swatch)", "--param", param])
        expectFailure(out, code: 2, contains: ["--param"])
    }

    @Test func badImageSyntaxIsTwo() async throws {
        let out = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", Fixture.swatch])
        expectFailure(out, code: 2, contains: ["--image", "NAME=VALUE"])
    }

    @Test func nonJSONSpecIsTwo() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("spec.json", Array("this is not json".utf8))
        let out = try await CLI.run(["run", "--spec", spec, "--image", "image=\(Fixture.swatch)"])
        expectFailure(out, code: 2, contains: ["not valid JSON"])
    }

    @Test func specThatIsNotAnObjectIsTwo() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("spec.json", json: [1, 2])
        let out = try await CLI.run(["run", "--spec", spec, "--image", "image=\(Fixture.swatch)"])
        expectFailure(out, code: 2, contains: ["not an object"])
    }

    @Test func noWorkflowChosenIsTwo() async throws {
        let out = try await CLI.run(["run", "--image", "image=\(Fixture.swatch)"])
        expectFailure(out, code: 2, contains: ["choose the workflow", "rfclient run --help"])
        let both = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--workspace", "w", "--workflow", "x"])
        expectFailure(both, code: 2, contains: ["not both"])
    }

    @Test func specAndImageBothFromStdinIsTwo() async throws {
        let out = try await CLI.run(["run", "--spec", "-", "--image", "image=-"], stdin: try Fixture.bytes("swatch.png"))
        expectFailure(out, code: 2, contains: ["stdin"])
        let twice = try await CLI.run(
            ["run", "--spec", Fixture.path("blur.json"), "--image", "image=-", "--image", "image=-"], stdin: try Fixture.bytes("swatch.png")
        )
        expectFailure(twice, code: 2, contains: ["stdin"])
    }

    @Test func unknownOptionIsTwo() async throws {
        let out = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--no-such-option"])
        expectFailure(out, code: 2, contains: ["--no-such-option"])
    }

    @Test func paramsFileThatIsNotAnObjectIsTwo() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let params = try tmp.write("params.json", json: ["a", "b"])
        let out = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", "image=\(Fixture.swatch)", "--params", params])
        expectFailure(out, code: 2, contains: ["--params", "JSON object"])
        let missing = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", "image=\(Fixture.swatch)", "--params", tmp.file("none.json")])
        expectFailure(missing, code: 2, contains: ["--params", "none.json"])
    }

    @Test func serverRejectionIsThreeWithTheServersErrorType() async throws {
        let out = try await CLI.run([
            "run", "--spec", Fixture.path("blur.json"), "--image", "image=\(Fixture.swatch)", "--param", "kernel_size=abc",
        ])
        expectFailure(out, code: 3, contains: ["HTTP 400", "RuntimeInputError", "kernel_size"])

        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("invalid.json", json: Specs.invalid)
        let invalid = try await CLI.run(["run", "--spec", spec, "--image", "image=\(Fixture.swatch)"])
        expectFailure(invalid, code: 3, contains: ["HTTP 400", "no_such_block"])
    }

    @Test func failingStepIsFour() async throws {
        // min_width has no default: the expression step fails at run time (500).
        let out = try await CLI.run([
            "run", "--spec", Fixture.path("scalars-and-parameters.json"), "--image", "image=\(Fixture.swatch)", "--param", "label=x",
        ])
        expectFailure(out, code: 4, contains: ["HTTP 500", "EvaluationEngineError"])
    }

    @Test func savedWorkflowOfflineIsFour() async throws {
        let out = try await CLI.run([
            "run", "--workspace", "some-workspace", "--workflow", "some-workflow", "--image", "image=\(Fixture.swatch)", "--retries", "0",
        ])
        expectFailure(out, code: 4, contains: ["HTTP 503", "Could not connect to Roboflow API"])
    }

    @Test func connectionRefusedIsFour() async throws {
        let port = try unusedLoopbackPort()
        let out = try await CLI.run([
            "run", "--api-url", "http://127.0.0.1:\(port)", "--spec", Fixture.path("blur.json"), "--image", "image=\(Fixture.swatch)",
            "--retries", "0",
        ])
        expectFailure(out, code: 4, contains: ["connection"])
    }

    @Test func apiKeyIsNeverPrinted() async throws {
        let key = "rf_TESTKEY_must_not_leak_7f3a"
        let out = try await CLI.run([
            "run", "--workspace", "acme", "--workflow", "wf", "--image", "image=\(Fixture.swatch)", "--retries", "1",
            "--api-key", key, "--verbose",
        ])
        #expect(out.status == 4, "\(out)")
        #expect(!out.stderrText.contains(key))
        #expect(!out.stdoutText.contains(key))
        #expect(out.stderrText.contains("HTTP 503"))
        let viaEnvironment = try await CLI.run(
            ["run", "--workspace", "acme", "--workflow", "wf", "--image", "image=\(Fixture.swatch)", "--retries", "0", "--verbose"],
            environment: ["ROBOFLOW_API_KEY": key]
        )
        #expect(viaEnvironment.status == 4, "\(viaEnvironment)")
        #expect(!viaEnvironment.stderrText.contains(key))
    }
}
