import Foundation
import InferenceSDK
import InferenceSDKVideo
import TestSupport
import Testing

/// Network streams other than MJPEG over HTTP, through the real server: an HLS playlist (MPEG-TS segments of an
/// H.264 clip) from a loopback HTTP server, and RTSP (RTP over TCP) pushed by the `ffmpeg` CLI.
@Suite(.enabled(if: RealServer.available && Requirement.runs(Clips.available), "needs INFERENCE_SERVER_URL, the venv's python and ffmpeg"))
struct NetworkStreamTests {
    static let spec: WorkflowSpecification? = try? WorkflowSpecification(contentsOfFile: VideoCLI.frameEcho)

    /// An HLS playlist of `clip` in half-second MPEG-TS segments, served over HTTP from this process.
    static func hls(_ clip: String) async throws -> (TestHTTPServer, String) {
        let folder = VideoCLI.temporaryFolder("hls")
        let ffmpeg = try #require(Clips.ffmpeg)
        let made = try await ChildProcess.run(
            ffmpeg, ["-v", "error", "-i", clip, "-c", "copy", "-f", "hls", "-hls_time", "0.5", "-hls_list_size", "0",
                     "-hls_playlist_type", "vod", folder + "/index.m3u8"],
            environment: ProcessInfo.processInfo.environment, bound: .seconds(60))
        try #require(made.status == 0, "ffmpeg -f hls: \(String(decoding: made.stderr, as: UTF8.self))")
        let server = try await TestHTTPServer.start { request in
            let name = request.uri.split(separator: "/").last.map(String.init) ?? ""
            guard !name.contains(".."), let bytes = FileManager.default.contents(atPath: folder + "/" + name) else {
                return .respond(status: 404)
            }
            let type = name.hasSuffix(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t"
            return .respond(status: 200, headers: [("Content-Type", type)], body: [UInt8](bytes))
        }
        return (server, server.baseURL + "/index.m3u8")
    }

    /// Pushes `clip` to `url` with `ffmpeg -re` (RTSP, RTP over TCP) `times` times in a row, each retried every 200 ms
    /// until the listening client accepts (at most 100 attempts in all); the task returns the pushes that completed.
    /// Cancelling it stops after the current attempt.
    static func push(_ clip: String, to url: String, times: Int) throws -> Task<Int, any Error> {
        let ffmpeg = try #require(Clips.ffmpeg)
        return Task {
            var pushed = 0
            var attempts = 0
            while pushed < times && attempts < 100 && !Task.isCancelled {
                attempts += 1
                let run = try await ChildProcess.run(
                    ffmpeg, ["-v", "error", "-re", "-i", clip, "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", url],
                    environment: ProcessInfo.processInfo.environment, bound: .seconds(60))
                if run.status == 0 { pushed += 1 } else { try await Task.sleep(for: .milliseconds(200)) }
            }
            return pushed
        }
    }

    /// The counts of `rfclient process-video`'s summary line ("done N, failed N … frames …; decoded N, skipped N[, dropped N …]").
    static func summary(_ stderr: String) -> (done: Int, failed: Int, decoded: Int, dropped: Int)? {
        guard let line = stderr.split(separator: "\n").last(where: { $0.hasPrefix("rfclient: done ") }) else { return nil }
        func count(_ name: String) -> Int? {
            guard let range = line.range(of: name + " ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        guard let done = count("done"), let failed = count("failed"), let decoded = count("decoded") else { return nil }
        return (done, failed, decoded, count("dropped") ?? 0)
    }

    @Test
    func anHLSPlaylistNotTreatedAsLiveGivesEveryFrameInOrder() async throws {
        let clip = try await Clips.clip(.h264Mp4, frames: 40)
        let (server, url) = try await Self.hls(clip)
        defer { Task { await server.shutdown() } }
        let spec = try #require(Self.spec)
        let (results, statistics) = try await RealServer.withClient { client in
            let run = try await client.processVideo(.stream(url), workflow: .inline(spec), options: VideoProcessingOptions(live: false))
            var results: [VideoFrameResult] = []
            for try await frame in run { results.append(frame) }
            return (results, run.statistics)
        }
        #expect(statistics.dropped == 0, "\(statistics)")
        #expect(results.map(\.frameNumber) == Array(1...40))
        for frame in results {
            let output = try #require(frame.output, "frame \(frame.frameNumber): \(frame.result)")
            #expect(Clips.frameIndex(fromRGB: try output.decode("color", as: [Int].self)) == frame.frameNumber - 1)
        }
        #expect(server.requests.filter { $0.uri.hasSuffix(".ts") }.count >= 2, "the playlist's segments were fetched")
    }

    @Test
    func cliNoLiveOnHLSWritesEveryFrame() async throws {
        let clip = try await Clips.clip(.h264Mp4, frames: 40)
        let (server, url) = try await Self.hls(clip)
        defer { Task { await server.shutdown() } }
        let out = VideoCLI.temporaryFolder("hls-cli")
        let result = try await VideoCLI.run([url, "-o", out, "--spec", VideoCLI.frameEcho, "--no-live"])
        #expect(result.status == 0, "\(result)")
        let records = try VideoCLI.records(out + "/results.jsonl")
        #expect(VideoCLI.frameNumbers(records) == Array(1...40))
        #expect(records.map(VideoCLI.encodedIndex) == (0..<40).map { Optional($0) })
    }

    /// The client listens (`--input-option rtsp_flags=listen`) and `ffmpeg -re` pushes the clip as a camera would
    /// stream it: RTSP's handshake, RTP over TCP and H.264 depacketisation, live (drop-oldest) pacing.
    @Test(.timeLimit(.minutes(3)))
    func rtspStreamArrivesInOrderAndEnds() async throws {
        let clip = try await Clips.clip(.h264Mp4, frames: 40)
        let port = try unusedLoopbackPort()
        let url = "rtsp://127.0.0.1:\(port)/live"
        let pusher = try Self.push(clip, to: url, times: 1)
        let out = VideoCLI.temporaryFolder("rtsp")
        let result = try await VideoCLI.run([url, "--input-option", "rtsp_flags=listen", "-o", out, "--spec", VideoCLI.frameEcho])
        #expect(try await pusher.value == 1, "ffmpeg could not push to \(url)")
        #expect(result.status == 0, "\(result)")
        let records = try VideoCLI.records(out + "/results.jsonl")
        let numbers = VideoCLI.frameNumbers(records)
        // Arrives: all 40 frames pushed reach the decoder (RTP over TCP loses nothing), and each is either written or
        // counted as dropped by the live buffer. In order: the numbers only grow, and the newest 8 (the default
        // buffer) are never dropped, however busy the server. (Was: any 8 frames, the last one 40.)
        let summary = try #require(Self.summary(result.stderr), "no summary line: \(result)")
        #expect(summary.decoded == 40 && summary.failed == 0 && summary.done == records.count, "\(summary): \(result)")
        #expect(summary.done + summary.dropped == 40, "\(summary): \(numbers)")
        #expect(Array(numbers.suffix(8)) == Array(33...40), "\(numbers)")
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count, "\(numbers)")
        #expect(records.map(VideoCLI.encodedIndex) == numbers.map { Optional($0 - 1) }, "each frame is the one its number says")
    }

    /// With `reconnect`, a stream that ends is opened again and frame numbers go on: ffmpeg pushes the 40-frame clip
    /// twice to the listening client; the second push's frames arrive as 41, 42, … each the frame its number says.
    @Test(.timeLimit(.minutes(3)))
    func aStreamThatEndsIsOpenedAgainWithReconnect() async throws {
        let clip = try await Clips.clip(.h264Mp4, frames: 40)
        let url = "rtsp://127.0.0.1:\(try unusedLoopbackPort())/live"
        let spec = try #require(Self.spec)
        // Two pushes (the listener opens again between them); stopped once the run ends.
        let pusher = try Self.push(clip, to: url, times: 2)
        defer { pusher.cancel() }
        let (results, statistics) = try await RealServer.withClient { client in
            let run = try await client.processVideo(
                .stream(url, options: ["rtsp_flags": "listen"]), workflow: .inline(spec), options: VideoProcessingOptions(reconnect: true))
            var results: [VideoFrameResult] = []
            for try await frame in run {
                results.append(frame)
                if frame.frameNumber >= 60 { break }  // well into the second push
            }
            return (results, run.statistics)
        }
        #expect(statistics.reconnects >= 1, "\(statistics)")
        let numbers = results.map(\.frameNumber)
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count, "\(numbers)")
        #expect(numbers.contains { $0 <= 40 } && numbers.contains { $0 > 40 }, "\(numbers)")
        for frame in results {
            let output = try #require(frame.output, "frame \(frame.frameNumber): \(frame.result)")
            #expect(Clips.frameIndex(fromRGB: try output.decode("color", as: [Int].self)) == (frame.frameNumber - 1) % 40,
                    "frame \(frame.frameNumber)")
        }
    }
}
