import Foundation
import InferenceSDK
import InferenceSDKVideo
import TestSupport
import Testing

/// `VideoProcessingOptions.backgroundDecoding`: the producer's threads run under SCHED_IDLE, and frames come as usual.
@Suite(.enabled(if: RealServer.available && Requirement.runs(Clips.available), "needs INFERENCE_SERVER_URL, INFERENCE_PYTHON and ffmpeg"))
struct BackgroundDecodingTests {
    @Test
    func decodingAndEncodingThreadsRunUnderSchedIdle() async throws {
        let path = try await Clips.clip(.h264Mp4, frames: 30)
        let (numbers, idle) = try await DecodingTests.withFileRun(path, options: VideoProcessingOptions(bufferedFrames: 4, backgroundDecoding: true)) { run in
            var numbers: [Int] = []
            var idle: [String: [Bool]] = [:]
            for try await frame in run {
                numbers.append(frame.frameNumber)
                // After the first frame the producer waits for room (a file never runs ahead by more than 4): alive.
                if numbers.count == 1 { idle = Self.idleness(ofThreadsNamed: ["video-decoder", "video-encoder"]) }
            }
            return (numbers, idle)
        }
        #expect(numbers == Array(1...30))
        // Other tests' producers run at the same time at normal priority; only this one's can be under SCHED_IDLE.
        #expect(idle["video-decoder"]?.contains(true) == true, "\(idle)")
        #expect(idle["video-encoder"]?.contains(true) == true, "\(idle)")
    }

    /// Whether each of this process's threads called one of `names` runs under SCHED_IDLE, by name.
    static func idleness(ofThreadsNamed names: Set<String>) -> [String: [Bool]] {
        var idle: [String: [Bool]] = [:]
        for tid in SchedulingPolicy.threadIDs() {
            guard let name = try? String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines), names.contains(name)
            else { continue }
            idle[name, default: []].append(SchedulingPolicy.isIdle(thread: tid))
        }
        return idle
    }
}
