import ImageCodecs
import Foundation
import InferenceSDK
import TestSupport
import Testing

/// What `rfclient run` prints and writes: formats, saved images, excluded fields, profiler traces.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct RunOutputTests {
    var templateMatching: [String] {
        [
            "run", "--spec", Fixture.path("template-matching-crops.json"), "--image", "image=\(Fixture.scene)",
            "--image", "template=\(Fixture.template)",
        ]
    }

    func batchOfTwo(_ spec: String) -> [String] {
        ["run", "--spec", spec, "--image", "image=\(Fixture.scene)", "--image", "image=\(Fixture.swatch)", "--param", "b=[1,{\"x\":2}]"]
    }

    @Test func jsonIsOneCompactLineAsTheServerSentIt() async throws {
        let out = try await CLI.run(templateMatching)
        #expect(out.status == 0, "\(out)")
        #expect(out.stdoutLines.count == 1)
        let outputs = try #require(try out.json().arrayValue)
        #expect(outputs.count == 1)
        let output = try #require(outputs.first)
        #expect(output["number_of_matches"] == 5)
        #expect(output["class_names"]?.arrayValue?.count == 5)
        #expect(output["predictions"]?["predictions"]?.arrayValue?.count == 5)
        #expect(output["annotated"]?["type"] == "base64")
        #expect(output["crops"]?.arrayValue?.count == 5)
        #expect(output["crops"]?[0]?["parent_origin"] != nil)
    }

    @Test func ndjsonIsOneOutputPerLine() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("echo.json", json: Specs.echo)
        let out = try await CLI.run(batchOfTwo(spec) + ["--format", "ndjson"])
        #expect(out.status == 0, "\(out)")
        let lines = try out.ndjson()
        #expect(lines.count == 2)
        #expect(lines.map { $0["width"] } == [480, 200])
        #expect(lines.allSatisfy { $0["b"] == [1, ["x": 2]] })
    }

    @Test func prettyIsIndentedAndSameValueAsJSON() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("echo.json", json: Specs.echo)
        let pretty = try await CLI.run(batchOfTwo(spec) + ["--format", "pretty"])
        let compact = try await CLI.run(batchOfTwo(spec) + ["--format", "json"])
        #expect(pretty.status == 0 && compact.status == 0, "\(pretty)\n\(compact)")
        #expect(pretty.stdoutLines.count > 5)
        #expect(pretty.stdoutLines.contains { $0.hasPrefix("  ") })
        #expect(compact.stdoutLines.count == 1)
        #expect(try pretty.json() == compact.json())
    }

    @Test func saveImagesWritesFilesAndPlaceholders() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let dir = tmp.file("saved")
        let out = try await CLI.run(templateMatching + ["--save-images", dir])
        #expect(out.status == 0, "\(out)")
        let output = try #require(try out.json()[0])
        // Layout: annotated.jpg and crops/0.jpg … crops/4.jpg, nothing else.
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir).filter { !$0.hasSuffix("crops") }.sorted()
        #expect(files == ["annotated.jpg", "crops/0.jpg", "crops/1.jpg", "crops/2.jpg", "crops/3.jpg", "crops/4.jpg"])
        #expect(output["annotated"]?["path"] == .string(dir + "/annotated.jpg"))
        #expect(SavedFile.problems(placeholder: output["annotated"]).isEmpty, "\(SavedFile.problems(placeholder: output["annotated"]))")
        #expect(try SavedFile.info(dir + "/annotated.jpg") == ImageInfo(format: .jpeg, width: 480, height: 360))
        let crops = try #require(output["crops"]?.arrayValue)
        #expect(crops.count == 5)
        for (index, crop) in crops.enumerated() {
            #expect(crop["path"] == .string("\(dir)/crops/\(index).jpg"))
            #expect(crop["width"] == 40 && crop["height"] == 40)
            #expect(SavedFile.problems(placeholder: crop).isEmpty, "\(SavedFile.problems(placeholder: crop))")
        }
        // Non-image outputs are untouched and no base64 is left in the printed JSON.
        #expect(output["number_of_matches"] == 5)
        #expect(!out.stdoutText.contains("\"base64\""))
    }

    @Test func saveImagesKeepsAnEchoedPNGAsPNGAndSplitsABatch() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let spec = try tmp.write("image.json", json: Specs.outputNamedImage)
        let dir = tmp.file("saved")
        let out = try await CLI.run([
            "run", "--spec", spec, "--image", "image=\(Fixture.scene)", "--image", "image=\(Fixture.swatch)", "--save-images", dir,
        ])
        #expect(out.status == 0, "\(out)")
        let outputs = try #require(try out.json().arrayValue)
        #expect(outputs.count == 2)
        #expect(outputs[0]["image"]?["path"] == .string(dir + "/0/image.png"))
        #expect(outputs[1]["image"]?["path"] == .string(dir + "/1/image.png"))
        #expect(outputs.map { $0["image"]?["format"] } == ["png", "png"])
        #expect(outputs.map { $0["width"] } == [480, 200])
        for output in outputs { #expect(SavedFile.problems(placeholder: output["image"]).isEmpty) }
        // The echoed input keeps its own bytes.
        #expect(try tmp.read("saved/0/image.png") == Fixture.bytes("template_scene.png"))
    }

    @Test func excludeDropsFields() async throws {
        let out = try await CLI.run(templateMatching + ["--exclude", "annotated", "--exclude", "crops"])
        #expect(out.status == 0, "\(out)")
        let keys = Set(try #require(try out.json()[0]?.objectValue).keys)
        #expect(keys == ["predictions", "number_of_matches", "class_names"])
    }

    @Test func profileWritesAJSONListOfTraceEvents() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let trace = tmp.file("trace.json")
        let out = try await CLI.run(["run", "--spec", Fixture.path("blur.json"), "--image", "image=\(Fixture.swatch)", "--profile", trace])
        #expect(out.status == 0, "\(out)")
        let events = try #require(try JSONValue(parsing: tmp.read("trace.json")).arrayValue)
        // scripts/inference-server.sh starts the server with ENABLE_WORKFLOWS_PROFILING=true.
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0["name"]?.stringValue != nil && $0["ph"]?.stringValue != nil })
        #expect(events.contains { $0["name"] == "workflow_run" })
        // The outputs still go to stdout.
        #expect(try out.json()[0]?["blurred"]?["type"] == "base64")
    }

    @Test func profileToAnUnwritablePathIsTwo() async throws {
        let out = try await CLI.run([
            "run", "--spec", Fixture.path("blur.json"), "--image", "image=\(Fixture.swatch)", "--profile", "/nonexistent-dir/trace.json",
        ])
        #expect(out.status == 2, "\(out)")
        #expect(out.stderrLines.count == 1)
        #expect(out.stderrText.contains("/nonexistent-dir/trace.json"))
    }
}
