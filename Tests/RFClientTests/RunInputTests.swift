import ImageCodecs
import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient run` with every kind of input, against the real server.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct RunInputTests {
    @Test func imageFromAFilePath() async throws {
        let out = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", "image=\(Fixture.scene)"])
        #expect(out.status == 0, "\(out)")
        let outputs = try #require(try out.json().arrayValue)
        #expect(outputs.count == 1)
        let blurred = try #require(outputs.first?["blurred"])
        #expect(blurred["type"] == "base64")
        let bytes = try Base64.decode(blurred["value"]?.stringValue ?? "")
        #expect(ImageInfo.read(bytes) == ImageInfo(format: .jpeg, width: 480, height: 360))
        #expect(out.stderr.isEmpty)
    }

    @Test func imageFromALoopbackURL() async throws {
        let bytes = try Fixture.bytes("template_scene.png")
        let files = try await TestHTTPServer.start { request in
            request.uri == "/scene.png"
                ? .respond(status: 200, headers: [("Content-Type", "image/png")], body: bytes) : .respond(status: 404)
        }
        defer { Task { await files.shutdown() } }
        let out = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", "image=\(files.baseURL)/scene.png"])
        #expect(out.status == 0, "\(out)")
        let blurred = try #require(try out.json()[0]?["blurred"]?["value"]?.stringValue)
        #expect(ImageInfo.read(try Base64.decode(blurred))?.width == 480)
        #expect(files.requests.map(\.uri) == ["/scene.png"])

        // A URL that 404s is bad input (exit 2), refused before any workflow request.
        let missing = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", "image=\(files.baseURL)/gone.png"])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderrLines.count == 1)
        #expect(missing.stderrText.contains("404"))
        #expect(missing.stdout.isEmpty)
    }

    @Test func imageFromStandardInput() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("echo.json", json: Specs.echo)
        let out = try await CLI.run(["run", "--spec", spec, "--image", "image=-"], stdin: try Fixture.bytes("template.png"))
        #expect(out.status == 0, "\(out)")
        #expect(try out.json() == [["a": "unset", "b": "unset", "c": "unset", "width": 40]])

        // The spec can come from stdin too.
        let viaStdin = try await CLI.run(["run", "--spec", "-", "--image", "image=\(Fixture.swatch)"], stdin: Specs.echo.serialized())
        #expect(viaStdin.status == 0, "\(viaStdin)")
        #expect(try viaStdin.json()[0]?["width"] == 200)
    }

    @Test func repeatedImageMakesABatchInOrder() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("echo.json", json: Specs.echo)
        let out = try await CLI.run([
            "run", "--spec", spec, "--image", "image=\(Fixture.scene)", "--image", "image=\(Fixture.template)",
            "--image", "image=\(Fixture.swatch)", "--param", "a=1",
        ])
        #expect(out.status == 0, "\(out)")
        let outputs = try #require(try out.json().arrayValue)
        #expect(outputs.map { $0["width"] } == [480, 40, 200])
        #expect(outputs.map { $0["a"] } == [1, 1, 1])
    }

    static let parameterCases: [(String, JSONValue)] = [
        ("-5", -5), ("0.3", 0.3), ("true", true), ("[1,2]", [1, 2]), ("\"quoted\"", "quoted"),
        ("plain text", "plain text"), ("{\"k\":[null]}", ["k": [nil]]), ("007", "007"), ("x=y", "x=y"), ("", ""),
    ]

    @Test(arguments: parameterCases)
    func parameterValueParsing(text: String, expected: JSONValue) async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("echo.json", json: Specs.echo)
        let out = try await CLI.run(["run", "--spec", spec, "--image", "image=\(Fixture.template)", "--param", "a=\(text)"])
        #expect(out.status == 0, "\(out)")
        #expect(try out.json()[0]?["a"] == expected)
    }

    @Test func paramsFileWithParamOverriding() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("echo.json", json: Specs.echo)
        let params = try tmp.write("params.json", json: ["a": "from file", "b": [1, 2, 3], "ignored_extra": true])
        let out = try await CLI.run([
            "run", "--spec", spec, "--image", "image=\(Fixture.template)", "--params", params, "--param", "b=-1",
            "--param", "c={\"n\":2}",
        ])
        #expect(out.status == 0, "\(out)")
        #expect(try out.json() == [["a": "from file", "b": -1, "c": ["n": 2], "width": 40]])

        // The order of the options does not matter: --param still wins.
        let reordered = try await CLI.run([
            "run", "--param", "a=cli", "--spec", spec, "--params", params, "--image", "image=\(Fixture.template)",
        ])
        #expect(try reordered.json()[0]?["a"] == "cli")
        #expect(try reordered.json()[0]?["b"] == [1, 2, 3])
    }

    @Test func apiURLOptionBeatsTheEnvironment() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("echo.json", json: Specs.echo)
        let dead = "http://127.0.0.1:\(try unusedLoopbackPort())"
        let url = try #require(RealServer.url)
        let out = try await CLI.run(
            ["run", "--api-url", url, "--spec", spec, "--image", "image=\(Fixture.template)"],
            environment: ["ROBOFLOW_API_URL": dead]
        )
        #expect(out.status == 0, "\(out)")
        let viaEnvironment = try await CLI.run(
            ["run", "--retries", "0", "--spec", spec, "--image", "image=\(Fixture.template)"], environment: ["ROBOFLOW_API_URL": dead]
        )
        #expect(viaEnvironment.status == 4, "\(viaEnvironment)")
    }
}
