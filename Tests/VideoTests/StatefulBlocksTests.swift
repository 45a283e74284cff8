import Foundation
import InferenceSDK
import InferenceSDKVideo
import TestSupport
import Testing

/// What stateful blocks do over HTTP (issue 10, point 7), measured on the 1.8.3 server: `byte_tracker` on
/// `template_matching` detections of an object that moves across the frames.
///
/// The server builds a new execution engine for every request, so a tracker's state lives exactly as long as one
/// request: across the frames of one batch request (`framesPerRequest`) the object keeps its track and is "new"
/// only in the batch's first frame; the next request starts over (a new track, "new" again, ids from 1 again).
@Suite(.enabled(if: RealServer.available && Requirement.runs(Clips.python != nil), "needs INFERENCE_SERVER_URL and INFERENCE_PYTHON"))
struct StatefulBlocksTests {
    static let spec = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tracker.json").path

    /// An MJPEG clip of `frames` frames: the fixture template moving 6 px per frame over a flat background.
    static func movingTemplate(frames: Int) async throws -> String {
        let path = Clips.directory + "/moving-template-\(frames).avi"
        if FileManager.default.fileExists(atPath: path) { return path }
        let python = try #require(Clips.python)
        let partial = Clips.directory + "/\(UUID().uuidString)-moving.avi"
        let script = """
            import sys, cv2, numpy as np
            tpl = cv2.imread(sys.argv[2]); out = cv2.VideoWriter(sys.argv[1], cv2.VideoWriter_fourcc(*"MJPG"), 30, (200, 120))
            out.set(cv2.VIDEOWRITER_PROP_QUALITY, 95)
            for i in range(int(sys.argv[3])):
                f = np.full((120, 200, 3), 128, np.uint8); x = 10 + 6 * i; f[40:80, x:x + 40] = tpl; out.write(f)
            out.release()
            """
        let made = try await ChildProcess.run(
            python, ["-c", script, partial, Fixture.template, String(frames)], environment: ProcessInfo.processInfo.environment)
        try #require(made.status == 0, "\(String(decoding: made.stderr, as: UTF8.self))")
        try #require(rename(partial, path) == 0)
        return path
    }

    @Test
    func trackerStateLastsOneBatchRequest() async throws {
        let clip = try await Self.movingTemplate(frames: 15)
        let spec = try WorkflowSpecification(contentsOfFile: Self.spec)
        let template = JSONValue.object(["type": "base64", "value": .string(Data(try Fixture.bytes("template.png")).base64EncodedString())])
        let rows = try await RealServer.withClient { client in
            let run = try await client.processVideo(
                .file(clip), workflow: .inline(spec), parameters: ["template": template],
                options: VideoProcessingOptions(requestsInFlight: 1, framesPerRequest: 5))
            var rows: [(frame: Int, tracked: [Int], new: [Int])] = []
            for try await frame in run {
                let output = try #require(frame.output, "frame \(frame.frameNumber): \(frame.result)")
                // Raw JSON: an empty `new_instances` comes with `image: {width: null, height: null}`.
                func ids(_ name: String) -> [Int] {
                    guard case .array(let predictions)? = output[name]?["predictions"] else { return [] }
                    return predictions.compactMap { $0["tracker_id"]?.intValue }
                }
                let tracked = ids("tracked")
                let new = ids("new")
                rows.append((frame.frameNumber, tracked, new))
            }
            return rows
        }
        #expect(rows.map(\.frame) == Array(1...15))
        for row in rows {
            #expect(row.tracked.count == 1, "frame \(row.frame): one tracked object, got \(row.tracked)")
            // New only in the first frame of each 5-frame request: state carries within a request, not across.
            let firstOfRequest = (row.frame - 1) % 5 == 0
            #expect(row.new.count == (firstOfRequest ? 1 : 0), "frame \(row.frame): new instances \(row.new)")
        }
        // Within one request the track id is stable; each request starts its tracker over.
        for start in stride(from: 0, to: 15, by: 5) {
            let ids = Set(rows[start..<start + 5].flatMap(\.tracked))
            #expect(ids.count == 1, "frames \(start + 1)–\(start + 5): ids \(ids)")
        }
        #expect(rows[0].tracked == rows[5].tracked, "ids start over with every request")
    }
}
