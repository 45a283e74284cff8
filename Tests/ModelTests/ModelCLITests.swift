import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient infer`, `process --model` and a detection workflow over a folder and a video, on the real models.
extension ModelSuites {
@Suite struct ModelCLITests {
    /// The "done when": `rfclient infer --model yolov8n-640 --image photo.jpg` prints the Python SDK's
    /// predictions (ids masked).
    @Test func inferPrintsThePythonSDKsAnswer() async throws {
        let url = try ModelServer.requireURL()
        let run = try await CLI.run(["infer", "--model", "yolov8n-640", "--image", ModelServer.scene1], server: url)
        #expect(run.status == 0, "\(run)")
        let printed = try JSONValue(parsing: run.stdout)
        let theirs = try await ModelServer.pythonInfer(model: "yolov8n-640", image: ModelServer.scene1)
        #expect(printed.arrayValue?.count == 1)
        #expect(ModelServer.masked(printed[0] ?? .null) == ModelServer.masked(theirs))
    }

    @Test func inferErrorsAreTypedExits() async throws {
        let url = try ModelServer.requireURL()
        let badTask = try await CLI.run(["infer", "--model", "sdk-cls/1", "--image", ModelServer.scene1, "--task", "ocr"], server: url)
        #expect(badTask.status == 2 && badTask.stderrText.contains("--task must be one of"), "\(badTask)")
        let missing = try await CLI.run(["infer", "--model", "sdk-cls/1", "--image", "/nonexistent.jpg"], server: url)
        #expect(missing.status == 2 && missing.stderrText.contains("/nonexistent.jpg"), "\(missing)")
    }

    /// A model over a folder: every image once, each results.json the model's answer, the aggregate CSV lossless.
    @Test func processWithAModel() async throws {
        let url = try ModelServer.requireURL()
        let work = try TemporaryDirectory("model-process")
        defer { work.remove() }
        let input = work.file("in")
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for index in 0..<4 {
            try FileManager.default.copyItem(atPath: index % 2 == 0 ? ModelServer.scene1 : ModelServer.scene2, toPath: input + "/img-\(index).jpg")
        }
        let output = work.file("out")
        let run = try await CLI.run(["process", input, "-o", output, "--model", "sdk-cls/1", "--param", "confidence=0.01"], server: url)
        #expect(run.status == 0, "\(run)")
        #expect(run.stderrText.contains("done 4, skipped 0, failed 0 of 4 images"), "\(run)")
        let progress = ProcessOutput(directory: output)
        #expect(progress.donePaths.sorted() == (0..<4).map { "img-\($0).jpg" })
        let result = try JSONValue(parsing: [UInt8](try Data(contentsOf: URL(fileURLWithPath: output + "/img-0.jpg/results.json"))))
        let classification = try result.decode(as: Classification.self)
        #expect(classification.top != nil)
        let csv = try String(contentsOfFile: output + "/aggregated_results.csv", encoding: .utf8)
        #expect(csv.contains("top") && csv.contains("predictions"), "\(csv.prefix(300))")
        // A rerun sends nothing more.
        let again = try await CLI.run(["process", input, "-o", output, "--model", "sdk-cls/1"], server: url)
        #expect(again.stderrText.contains("done 0, skipped 4, failed 0 of 4 images"), "\(again)")
    }

    /// A detection workflow over a folder and over a video: every image and every frame once, results typed.
    @Test func detectionWorkflowOverAFolderAndAVideo() async throws {
        let url = try ModelServer.requireURL()
        let work = try TemporaryDirectory("model-video")
        defer { work.remove() }
        let input = work.file("in")
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for index in 0..<3 { try FileManager.default.copyItem(atPath: ModelServer.scene1, toPath: input + "/s-\(index).jpg") }
        let folder = try await CLI.run(["process", input, "-o", work.file("out"), "--spec", Fixture.path("detect.json")], server: url)
        #expect(folder.status == 0 && folder.stderrText.contains("done 3, skipped 0, failed 0 of 3 images"), "\(folder)")
        let results = try JSONValue(parsing: [UInt8](try Data(contentsOf: URL(fileURLWithPath: work.file("out/s-1.jpg/results.json")))))
        let detections = try results["predictions"]?.decode(as: Detections.self)
        #expect((detections?.predictions.count ?? 0) >= 1)

        let ffmpeg = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard Requirement.expect(ffmpeg != nil, "ffmpeg (scripts/bootstrap.sh installs it)"), let ffmpeg else { return }
        let clip = work.file("clip.mp4")
        let made = try await ChildProcess.run(
            ffmpeg, ["-v", "error", "-loop", "1", "-i", ModelServer.scene1, "-frames:v", "8", "-r", "8", "-c:v", "mpeg4", "-q:v", "3", clip],
            environment: ProcessInfo.processInfo.environment, bound: .seconds(60))
        try #require(made.status == 0, "\(String(decoding: made.stderr, as: UTF8.self))")
        let video = try await CLI.run(["process-video", clip, "-o", work.file("video"), "--spec", Fixture.path("detect.json")], server: url, bound: .seconds(300))
        #expect(video.status == 0, "\(video)")
        #expect(video.stderrText.contains("done 8, failed 0 frames"), "\(video)")
        let lines = try String(contentsOfFile: work.file("video/results.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 8)
        let frames = try lines.map { try JSONValue(parsing: Array($0.utf8)) }
        #expect(frames.compactMap { $0["frame_number"]?.intValue } == Array(1...8))
        for frame in frames {
            let typed = try frame["outputs"]?["predictions"]?.decode(as: Detections.self)
            #expect((typed?.predictions.count ?? 0) >= 1)
        }
    }
}
}
