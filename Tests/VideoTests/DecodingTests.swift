import Foundation
import InferenceSDK
import InferenceSDKVideo
import TestSupport
import Testing

/// `processVideo` on generated clips against the real server: every frame once, in order, with the metadata the
/// server's blocks see (`ExtractFrameMetadata`), for each container/codec.
@Suite(.enabled(if: RealServer.available && Requirement.runs(Clips.available), "needs INFERENCE_SERVER_URL, INFERENCE_PYTHON and ffmpeg"))
struct DecodingTests {
    static let spec: WorkflowSpecification? = try? WorkflowSpecification(contentsOfFile: VideoCLI.frameEcho)

    /// `body` with a run of the frame-echo workflow over the video file at `path`, against the real server.
    static func withFileRun<T: Sendable>(
        _ path: String, options: VideoProcessingOptions = VideoProcessingOptions(), _ body: (VideoRun) async throws -> T
    ) async throws -> T {
        let spec = try #require(Self.spec)
        return try await RealServer.withClient { client in
            try await body(try await client.processVideo(.file(path), workflow: .inline(spec), options: options))
        }
    }

    @Test(arguments: Clips.Kind.allCases)
    func everyFrameInOrderWithMetadata(kind: Clips.Kind) async throws {
        let path = try await Clips.clip(kind, frames: 40)
        let results = try await Self.withFileRun(path) { run in
            #expect(run.info.width == 96 && run.info.height == 64)
            #expect(run.info.totalFrames == 40)
            #expect(run.info.sendsJPEGAsIs == (kind == .mjpegAvi))
            var results: [VideoFrameResult] = []
            for try await frame in run { results.append(frame) }
            #expect(run.statistics.decoded == 40 && run.statistics.sent == 40 && run.statistics.corrupt == 0)
            return results
        }
        #expect(results.map(\.frameNumber) == Array(1...40))
        for frame in results {
            let output = try #require(frame.output, "frame \(frame.frameNumber) failed: \(frame.result)")
            #expect(output.int("frame_number") == frame.frameNumber, "the server saw frame_number \(String(describing: output["frame_number"]))")
            let color = try output.decode("color", as: [Int].self)
            #expect(Clips.frameIndex(fromRGB: color) == frame.frameNumber - 1, "frame \(frame.frameNumber) shows \(color)")
            #expect(abs(frame.timestamp - Double(frame.frameNumber - 1) / 30) < 0.002)
            #expect(abs((output.double("seconds_since_start") ?? -1) - Double(frame.frameNumber - 1) / 30) < 0.002)
            #expect(frame.width == 96 && frame.height == 64)
        }
    }

    /// A consumer slower than the server: while it handles one frame, every request in flight finishes, so results
    /// are handed out before their completions are counted. Each frame must still come, once, in order (an engine
    /// that took "all started requests handed out" for the end of the video stopped after the first window).
    @Test
    func aSlowConsumerGetsEveryFrame() async throws {
        let path = try await Clips.clip(.h264Mp4, frames: 16)
        let numbers = try await Self.withFileRun(path, options: VideoProcessingOptions(requestsInFlight: 4)) { run in
            var numbers: [Int] = []
            for try await frame in run {
                numbers.append(frame.frameNumber)
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(run.statistics.decoded == 16 && run.statistics.sent == 16, "\(run.statistics)")
            return numbers
        }
        #expect(numbers == Array(1...16))
    }

    @Test
    func batchRequestsKeepOrderAndNumbers() async throws {
        let path = try await Clips.clip(.h264Mp4, frames: 23)
        let numbers = try await Self.withFileRun(path, options: VideoProcessingOptions(requestsInFlight: 3, framesPerRequest: 4)) { run in
            var numbers: [(Int, Int?, Int?)] = []
            for try await frame in run {
                let color = try frame.output?.decode("color", as: [Int].self)
                numbers.append((frame.frameNumber, frame.output?.int("frame_number"), color.flatMap(Clips.frameIndex)))
            }
            return numbers
        }
        #expect(numbers.map(\.0) == Array(1...23))
        #expect(numbers.map(\.1) == Array(1...23).map { Optional($0) })
        #expect(numbers.map(\.2) == Array(0..<23).map { Optional($0) })
    }

    @Test
    func maxFPSSubsamplesKeepingNumbers() async throws {
        let path = try await Clips.clip(.mpeg4Mp4, frames: 30)
        let numbers = try await Self.withFileRun(path, options: VideoProcessingOptions(maxFPS: 10)) { run in
            var numbers: [Int] = []
            for try await frame in run {
                #expect(frame.output?.int("frame_number") == frame.frameNumber)
                numbers.append(frame.frameNumber)
            }
            #expect(run.statistics.skipped == 20)
            return numbers
        }
        #expect(numbers == Array(stride(from: 1, through: 30, by: 3)))
    }

    @Test
    func corruptFrameMidFileIsSkippedAndCounted() async throws {
        // Frame 20 of an MJPEG AVI loses its end (end-of-image marker and the last entropy bytes).
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try await Clips.clip(.mjpegAvi, frames: 40))))
        var starts: [Int] = []
        for i in 0..<(bytes.count - 3) where bytes[i] == 0xFF && bytes[i + 1] == 0xD8 && bytes[i + 2] == 0xFF { starts.append(i) }
        try #require(starts.count == 40, "\(starts.count) JPEG frames found")
        let end = try #require((starts[19]..<starts[20]).last { bytes[$0 - 1] == 0xFF && bytes[$0] == 0xD9 })
        for k in (end - 60)...end { bytes[k] = 0 }
        let path = VideoCLI.temporaryFolder("corrupt") + "/corrupt.avi"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (numbers, statistics) = try await Self.withFileRun(path) { run in
            var numbers: [Int] = []
            for try await frame in run {
                let color = try #require(try frame.output?.decode("color", as: [Int].self), "frame \(frame.frameNumber): \(frame.result)")
                #expect(Clips.frameIndex(fromRGB: color) == frame.frameNumber - 1)
                numbers.append(frame.frameNumber)
            }
            return (numbers, run.statistics)
        }
        #expect(numbers == Array(1...19) + Array(21...40), "the corrupt frame is skipped, the others keep their numbers")
        #expect(statistics.corrupt == 1, "\(statistics)")
    }

    /// How many of this process's file descriptors are open on `path` (its real path).
    static func descriptors(openOn path: String) -> Int {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let folder = FileManager.default.fileExists(atPath: "/proc/self/fd") ? "/proc/self/fd" : "/dev/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { name in
            #if canImport(Darwin)
            guard let fd = Int32(name) else { return false }
            var buffer = [CChar](repeating: 0, count: Int(MAXPATHLEN))
            return fcntl(fd, F_GETPATH, &buffer) == 0 && String(cString: buffer) == target
            #else
            return (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + name)) == target
            #endif
        }.count
    }

    /// Cancelling stops decoding and releases the source, as `VideoRun` promises: the test waits for that event (the
    /// file closed), then decoding cannot go on. (Was: two 300 ms sleeps, the decoded count compared across them.)
    @Test
    func cancellingTheConsumerStopsTheRun() async throws {
        // A copy of its own, which no other test opens.
        let path = VideoCLI.temporaryFolder("cancel") + "/clip.mp4"
        try FileManager.default.copyItem(atPath: try await Clips.clip(.h264Mp4, frames: 200), toPath: path)
        try await Self.withFileRun(path) { run in
            #expect(Self.descriptors(openOn: path) > 0, "the open source is not seen among the descriptors")
            let consumer = Task { () -> (Int, (any Error)?) in
                var seen = 0
                do {
                    for try await _ in run {
                        seen += 1
                        if seen == 5 { withUnsafeCurrentTask { $0?.cancel() } }
                    }
                    return (seen, nil)
                } catch {
                    return (seen, error)
                }
            }
            let (seen, error) = await consumer.value
            #expect((error as? InferenceError)?.kind == .cancelled, "ended with \(String(describing: error)) after \(seen) frames")
            #expect(seen < 200)
            // The decoding thread closes the source when it ends; a run that went on decoding keeps it open (a file
            // waits for room to put its next frame, so it would stay open for good).
            let released = await eventually(timeout: .seconds(20), every: .milliseconds(10)) { Self.descriptors(openOn: path) == 0 }
            #expect(released, "the source is still open \(run.statistics.decoded) frames in: decoding went on after cancellation")
            #expect(run.statistics.decoded < 200, "decoding went on to the end after cancellation")
        }
    }

    @Test
    func aRunIsIteratedOnceASecondIteratorGetsAClearError() async throws {
        let path = try await Clips.clip(.h264Mp4, frames: 12)
        try await Self.withFileRun(path) { run in
            var first = run.makeAsyncIterator()
            var second = run.makeAsyncIterator()
            do {
                _ = try await second.next()
                Issue.record("a second iterator of the same run got a frame")
            } catch {
                let error = try #require(error as? InferenceError)
                #expect(error.kind == .invalidConfiguration)
                #expect(error.message.contains("iterated once"), "\(error)")
            }
            // The first iterator still gets every frame, in order.
            var numbers: [Int] = []
            while let frame = try await first.next() { numbers.append(frame.frameNumber) }
            #expect(numbers == Array(1...12))
        }
    }
}
