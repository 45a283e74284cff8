import Foundation
import InferenceSDK
import InferenceSDKVideo
import TestSupport
import Testing

/// A live MJPEG stream over HTTP from an in-process loopback server, through the real server.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct LiveStreamTests {
    static let spec: WorkflowSpecification? = try? WorkflowSpecification(contentsOfFile: VideoCLI.frameEcho)

    /// Serves a `frames`-frame MJPEG stream at `fps` from a loopback server and runs `body` on a `processVideo` run of it
    /// through frame-echo on the real server; the stream server stops afterwards.
    static func withLiveRun<T: Sendable>(
        frames: Int, fps: Double, options: VideoProcessingOptions = VideoProcessingOptions(), _ body: (VideoRun) async throws -> T
    ) async throws -> T {
        let server = try MJPEGStreamServer(frames: frames, fps: fps)
        defer { server.stop() }
        let spec = try #require(Self.spec)
        return try await RealServer.withClient { client in
            try await body(try await client.processVideo(.stream(server.url), workflow: .inline(spec), options: options))
        }
    }

    @Test
    func liveStreamRunsUntilItEndsInOrder() async throws {
        let (results, statistics, info) = try await Self.withLiveRun(frames: 60, fps: 30) { run in
            var results: [VideoFrameResult] = []
            for try await frame in run { results.append(frame) }
            return (results, run.statistics, run.info)
        }
        #expect(info.sendsJPEGAsIs, "MJPEG frames are sent as they are")
        #expect(info.totalFrames == nil)
        #expect(statistics.decoded == 60, "\(statistics)")
        #expect(results.count == statistics.sent && statistics.sent + statistics.dropped == 60, "\(statistics)")
        // How many are dropped depends on how busy the server is, but not which: drop-oldest drops a frame only when
        // `bufferedFrames` (8) newer ones wait, so the newest 8 always reach the server, however slow (the floor was
        // `>= 8` frames, any 8).
        let numbers = results.map(\.frameNumber)
        #expect(Array(numbers.suffix(8)) == Array(53...60), "\(results.count) of 60 frames processed: \(numbers), \(statistics)")
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count)
        for frame in results {
            let output = try #require(frame.output, "frame \(frame.frameNumber): \(frame.result)")
            #expect(output.int("frame_number") == frame.frameNumber)
            #expect(Clips.frameIndex(fromRGB: try output.decode("color", as: [Int].self)) == frame.frameNumber - 1)
        }
    }

    /// A sender that cannot keep up gets the newest frames, never stale ones encoded ahead: nothing is taken until the
    /// 60-frame stream has ended, so exactly the last `bufferedFrames` remain, in order, and the rest count as dropped.
    @Test
    func aSenderThatFallsBehindGetsTheNewestFrames() async throws {
        let (numbers, statistics) = try await Self.withLiveRun(frames: 60, fps: 120, options: VideoProcessingOptions(bufferedFrames: 8)) { run in
            // The stream lasts 0.5 s; take nothing until it has ended and every frame that does not fit the 8 waiting
            // has been dropped (the event itself, not 300 ms after the last decode; a wrong count still ends the wait
            // after 60 s and fails below).
            _ = await eventually(timeout: .seconds(60), every: .milliseconds(20)) {
                run.statistics.decoded >= 60 && run.statistics.dropped >= 60 - 8
            }
            var numbers: [Int] = []
            for try await frame in run {
                #expect(frame.output?.int("frame_number") == frame.frameNumber)
                numbers.append(frame.frameNumber)
            }
            return (numbers, run.statistics)
        }
        #expect(statistics.decoded == 60, "\(statistics)")
        #expect(numbers == Array(53...60), "\(numbers)")
        #expect(statistics.dropped == 52 && statistics.sent == 8, "\(statistics)")
    }

    @Test
    func maxFPSPacesALiveSource() async throws {
        let (count, statistics) = try await Self.withLiveRun(frames: 40, fps: 20, options: VideoProcessingOptions(maxFPS: 5)) { run in
            var count = 0
            for try await frame in run {
                #expect(frame.output != nil)
                count += 1
            }
            return (count, run.statistics)
        }
        // 2 s of stream at 5 frames/s: at most ~10 frames pass the pacing (fewer when a starved machine delivers
        // the stream in bursts: pacing goes by arrival), the rest are skipped. Of those, a busy server may not keep
        // up with all: the oldest waiting ones are dropped (counted), never reordered.
        #expect((1...13).contains(statistics.sent + statistics.dropped), "\(count) frames processed: \(statistics)")
        #expect(statistics.skipped >= 25, "\(statistics)")
        #expect(count == statistics.sent && count >= 1, "\(count) frames processed: \(statistics)")
    }

    @Test
    func cliOnALiveStream() async throws {
        let server = try MJPEGStreamServer(frames: 30, fps: 30)
        defer { server.stop() }
        let out = VideoCLI.temporaryFolder("live")
        let result = try await VideoCLI.run([server.url, "-o", out, "--spec", VideoCLI.frameEcho])
        #expect(result.status == 0, "\(result)")
        let records = try VideoCLI.records(out + "/results.jsonl")
        let numbers = VideoCLI.frameNumbers(records)
        // The newest 8 (the default buffer) are never dropped, however busy the server (was: any 8 frames).
        #expect(Array(numbers.suffix(8)) == Array(23...30) && numbers == numbers.sorted(), "\(numbers)")
        #expect(records.map(VideoCLI.encodedIndex) == numbers.map { Optional($0 - 1) })
    }
}
