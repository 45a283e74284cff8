import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient process-video` end to end against the real server.
@Suite(.enabled(if: RealServer.available && Requirement.runs(Clips.available), "needs INFERENCE_SERVER_URL, INFERENCE_PYTHON and ffmpeg"))
struct ProcessVideoCLITests {
    @Test
    func jsonlAndCSVHoldEveryFrameInOrder() async throws {
        let clip = try await Clips.clip(.h264Mp4, frames: 45)
        let out = VideoCLI.temporaryFolder("cli")
        let result = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.frameEcho])
        #expect(result.status == 0, "\(result)")
        let records = try VideoCLI.records(out + "/results.jsonl")
        #expect(VideoCLI.frameNumbers(records) == Array(1...45))
        for record in records {
            let number = try #require(record["frame_number"] as? Int)
            #expect(VideoCLI.encodedIndex(record) == number - 1, "frame \(number): \(record)")
            let timestamp = try #require(record["timestamp"] as? Double)
            #expect(abs(timestamp - Double(number - 1) / 30) < 0.001)
            #expect((record["outputs"] as? [String: Any])?["frame_number"] as? Int == number)
        }
        let csv = try String(contentsOfFile: out + "/results.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(csv.first == "frame_number,timestamp,color,outputs.frame_number,seconds_since_start")
        #expect(csv.count == 46)
        #expect(csv.dropFirst().map { Int($0.split(separator: ",")[0]) } == Array(1...45).map { Optional($0) })
        #expect(csv[2].hasPrefix("2,0.033333,\"[1"), "\(csv[2])")
        let cells = csv[2].split(separator: "\"")
        let color = try JSONSerialization.jsonObject(with: Data(cells[1].utf8)) as? [Int]
        #expect(color.flatMap(Clips.frameIndex) == 1, "\(csv[2])")
        #expect(cells[2].hasPrefix(",2,"), "\(csv[2])")
        #expect(try String(contentsOfFile: out + "/failures.jsonl", encoding: .utf8).isEmpty)
        #expect(result.stderr.contains("done 45, failed 0"), "\(result)")
    }

    @Test
    func maxFPSKeepsSourceNumbering() async throws {
        let clip = try await Clips.clip(.mpeg4Mp4, frames: 60)
        let out = VideoCLI.temporaryFolder("fps")
        let result = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.frameEcho, "--max-fps", "10"])
        #expect(result.status == 0, "\(result)")
        let records = try VideoCLI.records(out + "/results.jsonl")
        #expect(VideoCLI.frameNumbers(records) == Array(stride(from: 1, through: 60, by: 3)))
        #expect(records.map(VideoCLI.encodedIndex) == Array(stride(from: 0, to: 60, by: 3)).map { Optional($0) })
    }

    @Test
    func ndjsonToStdout() async throws {
        let clip = try await Clips.clip(.mjpegAvi, frames: 12)
        let result = try await VideoCLI.run([clip, "-o", "-", "--spec", VideoCLI.frameEcho])
        #expect(result.status == 0, "\(result)")
        #expect(VideoCLI.frameNumbers(try VideoCLI.records(ndjson: result.stdout)) == Array(1...12))
    }

    @Test
    func rejectedFramesGoToFailuresAndARerunFinishesThem() async throws {
        let clip = try await Clips.clip(.mpeg4Mp4, frames: 10)
        let out = VideoCLI.temporaryFolder("failures")
        let bad = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.blur, "--param", "kernel_size=\"not a number\""])
        #expect(bad.status == 1, "\(bad)")
        let failures = try VideoCLI.records(out + "/failures.jsonl")
        #expect(failures.compactMap { $0["frame_number"] as? Int } == Array(1...10))
        #expect(failures.allSatisfy { $0["status"] as? Int == 400 && !($0["message"] as? String ?? "").isEmpty }, "\(failures)")
        #expect(try VideoCLI.records(out + "/results.jsonl").isEmpty)

        let good = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.blur])
        #expect(good.status == 0, "\(good)")
        let records = try VideoCLI.records(out + "/results.jsonl")
        #expect(VideoCLI.frameNumbers(records) == Array(1...10))
        let blurred = try #require((records.first?["outputs"] as? [String: Any])?["blurred"] as? [String: Any])
        #expect(blurred["type"] as? String == "image" && blurred["width"] as? Int == 96 && blurred["format"] as? String == "jpeg")
        #expect(try String(contentsOfFile: out + "/failures.jsonl", encoding: .utf8).isEmpty)
    }

    @Test
    func ctrlCKeepsFinishedFramesAndARerunEndsWithEachFrameOnce() async throws {
        let clip = try await Clips.clip(.h264Mp4, frames: 240, width: 320, height: 240)
        let out = VideoCLI.temporaryFolder("sigint")
        let child = try VideoCLI.spawn([clip, "-o", out, "--spec", VideoCLI.frameEcho, "--concurrency", "2"])
        // Wait for some frames (20, or as many as a loaded machine finishes in 3 minutes), then Ctrl-C.
        let deadline = ContinuousClock.now + .seconds(180)
        var seen = 0
        while ContinuousClock.now < deadline {
            seen = (try? String(contentsOfFile: out + "/results.jsonl", encoding: .utf8))?.split(separator: "\n").count ?? 0
            if seen >= 20 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(seen >= 1, "no frame finished in 3 minutes")
        #expect(child.send(SIGINT))
        let first = await child.wait(bound: .seconds(60))
        #expect(first.status == 130, "exit \(first.status): \(String(decoding: first.stderr, as: UTF8.self))")
        let partial = VideoCLI.frameNumbers(try VideoCLI.records(out + "/results.jsonl"))
        // Every frame finished before Ctrl-C is kept.
        #expect(partial.count < 240 && partial.count >= seen, "\(partial.count) frames kept, \(seen) seen before Ctrl-C")
        #expect(partial == Array(1...partial.count), "results.jsonl is not a prefix in order")

        let rerun = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.frameEcho])
        #expect(rerun.status == 0, "\(rerun)")
        #expect(rerun.stderr.contains("already done \(partial.count)"), "\(rerun)")
        let records = try VideoCLI.records(out + "/results.jsonl")
        #expect(VideoCLI.frameNumbers(records) == Array(1...240))
        #expect(records.map(VideoCLI.encodedIndex) == Array(0..<240).map { Optional($0) })

        let forced = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.frameEcho, "--force", "--max-fps", "15"])
        #expect(forced.status == 0, "\(forced)")
        #expect(VideoCLI.frameNumbers(try VideoCLI.records(out + "/results.jsonl")) == Array(stride(from: 1, through: 240, by: 2)))
    }
}
