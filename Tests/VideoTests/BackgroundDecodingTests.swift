import Foundation
import InferenceSDK
import InferenceSDKVideo
import TestSupport
import Testing

/// `VideoProcessingOptions.backgroundDecoding`: the producer's threads run under SCHED_IDLE, and frames come as usual.
@Suite(.enabled(if: RealServer.available && Clips.available, "needs INFERENCE_SERVER_URL, INFERENCE_PYTHON and ffmpeg"))
struct BackgroundDecodingTests {
    @Test
    func decodingAndEncodingThreadsRunUnderSchedIdle() async throws {
        let path = try await Clips.clip(.h264Mp4, frames: 30)
        let spec = try #require(DecodingTests.spec)
        let (numbers, policies) = try await RealServer.withClient { client in
            let run = try await client.processVideo(
                .file(path), workflow: .inline(spec), options: VideoProcessingOptions(bufferedFrames: 4, backgroundDecoding: true))
            var numbers: [Int] = []
            var policies: [String: [Int]] = [:]
            for try await frame in run {
                numbers.append(frame.frameNumber)
                // After the first frame the producer waits for room (a file never runs ahead by more than 4): alive.
                if numbers.count == 1 { policies = Self.policiesOfThreads(named: ["video-decoder", "video-encoder"]) }
            }
            return (numbers, policies)
        }
        #expect(numbers == Array(1...30))
        // Other tests' producers run at the same time with the default (policy 0); only this one's can be SCHED_IDLE (5).
        #expect(policies["video-decoder"]?.contains(5) == true, "\(policies)")
        #expect(policies["video-encoder"]?.contains(5) == true, "\(policies)")
    }

    /// The scheduling policy (field 41 of /proc/self/task/TID/stat) of each of this process's threads called one of `names`.
    static func policiesOfThreads(named names: Set<String>) -> [String: [Int]] {
        var policies: [String: [Int]] = [:]
        for tid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? [] {
            let base = "/proc/self/task/\(tid)/"
            guard let name = try? String(contentsOfFile: base + "comm", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
                  names.contains(name), let stat = try? String(contentsOfFile: base + "stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after "(comm)": state is field 3, so policy (41) is the 39th of them.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count >= 39, let policy = Int(fields[38]) { policies[name, default: []].append(policy) }
        }
        return policies
    }
}
