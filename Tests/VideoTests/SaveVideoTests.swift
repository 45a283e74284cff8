import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `--save-video`: OUT/<output>.mp4 holds every processed frame, in order, at the processed frame rate.
@Suite(.enabled(if: RealServer.available && Clips.available, "needs INFERENCE_SERVER_URL, INFERENCE_PYTHON and ffmpeg"))
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
        let echoed = try await VideoCLI.run([video, "-o", "-", "--spec", VideoCLI.frameEcho])
        #expect(echoed.status == 0, "\(echoed)")
        let indices = echoed.stdout.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).flatMap(VideoCLI.encodedIndex)
        }
        let step = maxFPS == nil ? 1 : 3
        #expect(indices == Array(stride(from: 0, to: 45, by: step)).map { Optional($0) })
    }
}
