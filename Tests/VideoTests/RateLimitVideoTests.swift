import Foundation
import NIOConcurrencyHelpers
import InferenceSDK
import TestSupport
import Testing

/// `rfclient process-video`'s final line says how many 429s the run met (the server here is an in-process stand-in
/// that answers its first requests 429, then one output per frame).
@Suite(.enabled(if: Requirement.runs(Clips.available), "needs INFERENCE_PYTHON and ffmpeg"))
struct RateLimitVideoTests {
    @Test func theFinalLineCountsThe429s() async throws {
        let seen = NIOLockedValueBox(0)
        let server = try await TestHTTPServer.start { _ in
            let index = seen.withLockedValue { count -> Int in
                count += 1
                return count
            }
            return index <= 4 ? .respond(status: 429, headers: [("Retry-After", "0")], body: []) : TokenBucketServer.success
        }
        let clip = try await Clips.clip(.mpeg4Mp4, frames: 12)
        let out = VideoCLI.temporaryFolder("429")
        let result = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.blur, "--concurrency", "4", "--retries", "6"], url: server.baseURL)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("done 12, failed 0"), "\(result)")
        #expect(result.stderr.contains("; 4 × 429 (rate limited)"), "\(result)")
        #expect(try VideoCLI.frameNumbers(VideoCLI.records(out + "/results.jsonl")) == Array(1...12))
        await server.shutdown()
    }
}
