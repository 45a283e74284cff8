import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient process` over a nested folder against the real server: layout, failures, aggregates, filters.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct ProcessTests {
    /// The good images of ``makeTree(_:)`` with their widths.
    static let goodImages: [String: Int] = ["swatch.png": 200, "a/scene.png": 480, "a/b/template.png": 40, "c/swatch copy.png": 200]

    /// IN/swatch.png, IN/a/scene.png, IN/a/b/template.png, IN/c/swatch copy.png, and IN/c/broken.jpg (text).
    func makeTree(_ tmp: TemporaryDirectory) throws -> String {
        try tmp.write("in/swatch.png", Fixture.bytes("swatch.png"))
        try tmp.write("in/a/scene.png", Fixture.bytes("template_scene.png"))
        try tmp.write("in/a/b/template.png", Fixture.bytes("template.png"))
        try tmp.write("in/c/swatch copy.png", Fixture.bytes("swatch.png"))
        try tmp.write("in/c/broken.jpg", Array("this is not an image\n".utf8))
        try tmp.write("in/c/notes.txt", Array("not an image file name\n".utf8))
        return tmp.file("in")
    }

    func lines(_ path: String) throws -> [JSONValue] {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        return try text.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    @Test func recursiveRunRecordsTheCorruptImageAndFinishesTheOthers() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let input = try makeTree(tmp)
        let out = tmp.file("out")
        let result = try await CLI.run(["process", input, "-o", out, "--spec", Fixture.path("blur.json"), "--recursive"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrText.contains("done 4, skipped 0, failed 1 of 5 images"), "\(result)")
        #expect(result.stderrText.contains("failures: \(out)/failures.jsonl"))

        let failures = try lines(out + "/failures.jsonl")
        #expect(failures.count == 1)
        let failure = try #require(failures.first)
        #expect(failure["path"] == "c/broken.jpg")
        #expect(failure["error_type"]?.stringValue?.isEmpty == false)
        #expect(failure["message"]?.stringValue?.contains("broken.jpg") == true)
        #expect(failure.objectValue?.keys.contains("status") == true)
        #expect(!tmp.exists("out/c/broken.jpg/results.json"))

        for (path, width) in Self.goodImages {
            let results = try JSONValue(parsing: tmp.read("out/\(path)/results.json"))
            #expect(results["blurred"]?["path"] == "blurred.jpg", "\(path)")
            #expect(results["blurred"]?["width"] == .int(width), "\(path)")
            #expect(SavedFile.problems(placeholder: results["blurred"], base: "\(out)/\(path)").isEmpty, "\(path)")
        }
        let progress = try lines(out + "/progress.jsonl")
        #expect(Set(progress.compactMap { $0["path"]?.stringValue }) == Set(Self.goodImages.keys))
        #expect(progress.count == 4)
    }

    @Test func aggregatesFlattenObjectsAndKeepListsAsJSONCells() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        try tmp.write("in/scene.png", Fixture.bytes("template_scene.png"))
        try tmp.write("in/more/scene-2.png", Fixture.bytes("template_scene.png"))
        let params = try tmp.write("template.json", json: try Specs.templateParameter())
        let out = tmp.file("out")
        let result = try await CLI.run([
            "process", tmp.file("in"), "-o", out, "--spec", Fixture.path("template-matching-crops.json"), "--params", params,
            "--recursive", "--param", "threshold=0.9",
        ])
        #expect(result.status == 0, "\(result)")

        // Every image output saved beside results.json, crops in a folder.
        for image in ["scene.png", "more/scene-2.png"] {
            let results = try JSONValue(parsing: tmp.read("out/\(image)/results.json"))
            #expect(results["annotated"]?["path"] == "annotated.jpg")
            let crops = try #require(results["crops"]?.arrayValue)
            #expect(crops.map { $0["path"] } == (0..<5).map { .string("crops/\($0).jpg") })
            for placeholder in [results["annotated"]] + crops.map(Optional.some) {
                #expect(SavedFile.problems(placeholder: placeholder, base: "\(out)/\(image)").isEmpty)
            }
        }

        let csv = CSVTable(String(decoding: try tmp.read("out/aggregated_results.csv"), as: UTF8.self))
        #expect(csv.columns.first == "image")
        #expect(Set(csv.widths) == [csv.columns.count])
        for column in ["number_of_matches", "class_names", "crops", "predictions.image.width", "predictions.image.height",
                       "predictions.predictions", "annotated.type", "annotated.path", "annotated.format", "annotated.width",
                       "annotated.height"] {
            #expect(csv.columns.contains(column), "missing column \(column): \(csv.columns)")
        }
        // Nested keys keep their object's order (stable columns from run to run).
        let annotated = csv.columns.filter { $0.hasPrefix("annotated.") }
        #expect(annotated == ["annotated.type", "annotated.path", "annotated.format", "annotated.width", "annotated.height"])
        #expect(Set(csv.rows.compactMap { $0["image"] }) == ["scene.png", "more/scene-2.png"])
        for row in csv.rows {
            #expect(row["number_of_matches"] == "5")
            #expect(row["predictions.image.width"] == "480")
            #expect(row["annotated.path"] == "annotated.jpg")
            let classes = try JSONValue(parsing: row["class_names"] ?? "")
            #expect(classes == .array(Array(repeating: "template_match", count: 5)))
            let predictions = try JSONValue(parsing: row["predictions.predictions"] ?? "")
            #expect(predictions.arrayValue?.count == 5)
            #expect(predictions[0]?["class"] == "template_match")
            let crops = try JSONValue(parsing: row["crops"] ?? "")
            #expect(crops[4]?["path"] == "crops/4.jpg")
        }

        let jsonl = try lines(out + "/aggregated_results.jsonl")
        #expect(jsonl.count == 2)
        #expect(Set(jsonl.compactMap { $0["image"]?.stringValue }) == ["scene.png", "more/scene-2.png"])
        for row in jsonl {
            #expect(row["number_of_matches"] == 5)
            #expect(row["predictions"]?["image"]?["width"] == 480)
            #expect(row["crops"]?.arrayValue?.count == 5)
            #expect(row["annotated"]?["type"] == "image")
        }
    }

    @Test func imageColumnDoesNotCollideWithAnOutputNamedImage() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        try tmp.write("in/scene.png", Fixture.bytes("template_scene.png"))
        try tmp.write("in/swatch.png", Fixture.bytes("swatch.png"))
        let spec = try tmp.write("spec.json", json: Specs.outputNamedImage)
        let out = tmp.file("out")
        let result = try await CLI.run(["process", tmp.file("in"), "-o", out, "--spec", spec])
        #expect(result.status == 0, "\(result)")

        let csv = CSVTable(String(decoding: try tmp.read("out/aggregated_results.csv"), as: UTF8.self))
        let nameColumn = try #require(csv.columns.first)
        #expect(nameColumn != "image")
        #expect(!nameColumn.hasPrefix("image."))
        #expect(csv.columns.contains("image.path") && csv.columns.contains("image.format") && csv.columns.contains("width"))
        let byName = Dictionary(uniqueKeysWithValues: csv.rows.map { ($0[nameColumn] ?? "", $0) })
        #expect(Set(byName.keys) == ["scene.png", "swatch.png"])
        #expect(byName["scene.png"]?["width"] == "480")
        #expect(byName["scene.png"]?["image.path"] == "image.png")
        #expect(byName["scene.png"]?["image.format"] == "png")
        #expect(byName["swatch.png"]?["image.width"] == "200")

        let jsonl = try lines(out + "/aggregated_results.jsonl")
        let scene = try #require(jsonl.first { $0[nameColumn] == "scene.png" })
        #expect(scene["image"]?["path"] == "image.png")
        #expect(scene["width"] == 480)
        #expect(try tmp.read("out/scene.png/image.png") == Fixture.bytes("template_scene.png"))
    }

    @Test func globSelectsFiles() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let input = try makeTree(tmp)
        let out = tmp.file("out")
        let result = try await CLI.run(["process", input, "-o", out, "--spec", Fixture.path("blur.json"), "--recursive", "--glob", "*.png"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderrText.contains("done 4, skipped 0, failed 0 of 4 images"), "\(result)")
        #expect(Set(try lines(out + "/progress.jsonl").compactMap { $0["path"]?.stringValue }) == Set(Self.goodImages.keys))

        let byName = tmp.file("out-named")
        let named = try await CLI.run(["process", input, "-o", byName, "--spec", Fixture.path("blur.json"), "--recursive", "--glob", "scene*"])
        #expect(named.status == 0, "\(named)")
        #expect(try lines(byName + "/progress.jsonl").compactMap { $0["path"]?.stringValue } == ["a/scene.png"])
    }

    @Test func withoutRecursiveSubfoldersAreSkipped() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let input = try makeTree(tmp)
        let out = tmp.file("out")
        let result = try await CLI.run(["process", input, "-o", out, "--spec", Fixture.path("blur.json"), "--aggregate", "jsonl"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderrText.contains("done 1, skipped 0, failed 0 of 1 images"), "\(result)")
        #expect(tmp.exists("out/swatch.png/results.json"))
        #expect(!tmp.exists("out/a"))
        #expect(!tmp.exists("out/c"))
        #expect(!tmp.exists("out/aggregated_results.csv"))
        #expect(try lines(out + "/aggregated_results.jsonl").map { $0["image"] } == ["swatch.png"])
    }

    @Test func outputFolderInsideTheInputIsNotProcessed() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let input = try makeTree(tmp)
        let out = input + "/results"
        let first = try await CLI.run(["process", input, "-o", out, "--spec", Fixture.path("blur.json"), "--recursive", "--glob", "*.png"])
        #expect(first.status == 0, "\(first)")
        // A rerun with --force must not pick up the saved blurred.jpg files under OUT.
        let second = try await CLI.run([
            "process", input, "-o", out, "--spec", Fixture.path("blur.json"), "--recursive", "--force",
        ])
        #expect(second.stderrText.contains("of 5 images"), "\(second)")
        #expect(try lines(out + "/progress.jsonl").count == 4)
    }

    @Test func imageInputNameAndExcludedOutputs() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        try tmp.write("in/swatch.png", Fixture.bytes("swatch.png"))
        // The image input is called `photo`; `echo` would save the image back, `width` is a number.
        let spec: JSONValue = [
            "version": "1.0",
            "inputs": [["type": "WorkflowImage", "name": "photo"]],
            "steps": [
                [
                    "type": "roboflow_core/property_definition@v1", "name": "width", "data": "$inputs.photo",
                    "operations": [["type": "ExtractImageProperty", "property_name": "width"]],
                ],
            ],
            "outputs": [
                ["type": "JsonField", "name": "echo", "selector": "$inputs.photo"],
                ["type": "JsonField", "name": "width", "selector": "$steps.width.output"],
            ],
        ]
        let specFile = try tmp.write("spec.json", json: spec)
        let out = tmp.file("out")
        let result = try await CLI.run([
            "process", tmp.file("in"), "-o", out, "--spec", specFile, "--image-input", "photo", "--exclude", "echo",
        ])
        #expect(result.status == 0, "\(result)")
        #expect(try JSONValue(parsing: tmp.read("out/swatch.png/results.json")) == ["width": 200])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/swatch.png") == ["results.json"])

        // Without --image-input the workflow's `photo` input is missing: the server refuses every image (400).
        let wrong = try await CLI.run(["process", tmp.file("in"), "-o", tmp.file("out2"), "--spec", specFile])
        #expect(wrong.status == 1, "\(wrong)")
        let failure = try #require(try lines(tmp.file("out2/failures.jsonl")).first)
        #expect(failure["status"] == 400)
        #expect(failure["error_type"] == "RuntimeInputError")
    }

    @Test func badFolderAndImageInputClashAreTwo() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let missing = try await CLI.run(["process", tmp.file("nope"), "-o", tmp.file("out"), "--spec", Fixture.path("blur.json")])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderrLines.count == 1)
        #expect(missing.stderrText.contains("not a folder"))
        let input = try makeTree(tmp)
        let clash = try await CLI.run(["process", input, "-o", tmp.file("out"), "--spec", Fixture.path("blur.json"), "--param", "image=1"])
        #expect(clash.status == 2, "\(clash)")
        #expect(clash.stderrLines.count == 1)
    }
}
