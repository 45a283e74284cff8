import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `--save-video`: OUT/<output>.mp4 holds every processed frame, in order, at the processed frame rate.
@Suite(.enabled(if: RealServer.available && Requirement.runs(Clips.available), "needs INFERENCE_SERVER_URL, INFERENCE_PYTHON and ffmpeg"))
struct SaveVideoTests {
    /// Frame count and rate of a video as OpenCV reads it (counting frames by reading them all).
    static func probe(_ path: String) async throws -> (frames: Int, fps: Double) {
        let python = try #require(Clips.python)
        let script = """
            import sys, cv2
            c = cv2.VideoCapture(sys.argv[1]); n = 0
            while c.read()[0]: n += 1
            print(n, c.get(cv2.CAP_PROP_FPS))
            """
        let result = try await ChildProcess.run(python, ["-c", script, path], environment: ProcessInfo.processInfo.environment)
        let parts = String(decoding: result.stdout, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        try #require(parts.count == 2, "probe failed: \(String(decoding: result.stderr, as: UTF8.self))")
        return (Int(parts[0]) ?? -1, Double(parts[1]) ?? -1)
    }

    /// The frame index each frame of a saved video encodes, in the video's order (the video run through frame-echo).
    static func encodedIndices(_ video: String) async throws -> [Int?] {
        let echoed = try await VideoCLI.run([video, "-o", "-", "--spec", VideoCLI.frameEcho])
        #expect(echoed.status == 0, "\(echoed)")
        return try VideoCLI.records(ndjson: echoed.stdout).map(VideoCLI.encodedIndex)
    }

    @Test(arguments: [nil, 10.0])
    func savedVideoHasEveryProcessedFrameInOrder(maxFPS: Double?) async throws {
        let clip = try await Clips.clip(.mpeg4Mp4, frames: 45)
        let out = VideoCLI.temporaryFolder("save-video")
        var arguments = [clip, "-o", out, "--spec", VideoCLI.blur, "--param", "kernel_size=3", "--save-video"]
        if let maxFPS { arguments += ["--max-fps", String(maxFPS)] }
        let result = try await VideoCLI.run(arguments)
        #expect(result.status == 0, "\(result)")
        let video = out + "/blurred.mp4"
        let expected = maxFPS == nil ? 45 : 15
        let (frames, fps) = try await Self.probe(video)
        #expect(frames == expected)
        #expect(abs(fps - (maxFPS ?? 30)) < 0.01, "fps \(fps)")
        let records = try VideoCLI.records(out + "/results.jsonl")
        let placeholder = (records.first?["outputs"] as? [String: Any])?["blurred"] as? [String: Any]
        #expect(placeholder?["path"] as? String == "blurred.mp4")

        // Order: run the saved video itself through the frame-echo workflow.
        let step = maxFPS == nil ? 1 : 3
        #expect(try await Self.encodedIndices(video) == Array(stride(from: 0, to: 45, by: step)).map { Optional($0) })
    }

    /// A rerun with --save-video never writes over the earlier run's video: its frames go to `blurred.2.mp4`, and each
    /// record's placeholder names the video that holds the frame.
    @Test
    func aRerunNeverWritesOverTheEarlierVideo() async throws {
        let clip = try await Clips.clip(.mpeg4Mp4, frames: 45)
        let out = VideoCLI.temporaryFolder("save-video-rerun")
        let arguments = [clip, "-o", out, "--spec", VideoCLI.blur, "--param", "kernel_size=3", "--save-video"]
        let first = try await VideoCLI.run(arguments + ["--max-fps", "10"])  // frames 1, 4, 7, …, 43
        #expect(first.status == 0, "\(first)")
        let rerun = try await VideoCLI.run(arguments)  // the 30 frames results.jsonl lacks
        #expect(rerun.status == 0, "\(rerun)")
        #expect(rerun.stderr.contains("stay in the earlier videos"), "\(rerun)")
        #expect(try await Self.probe(out + "/blurred.mp4").frames == 15)
        #expect(try await Self.probe(out + "/blurred.2.mp4").frames == 30)
        let records = try VideoCLI.records(out + "/results.jsonl")
        #expect(VideoCLI.frameNumbers(records) == Array(1...45))
        for record in records {
            let number = record["frame_number"] as? Int ?? 0
            let path = ((record["outputs"] as? [String: Any])?["blurred"] as? [String: Any])?["path"] as? String
            #expect(path == ((number - 1) % 3 == 0 ? "blurred.mp4" : "blurred.2.mp4"), "frame \(number): \(path ?? "none")")
        }
        #expect(try await Self.encodedIndices(out + "/blurred.2.mp4") == (0..<45).filter { $0 % 3 != 0 }.map { Optional($0) })
    }
}
