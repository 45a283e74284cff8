import Foundation
import InferenceSDK
import TestSupport
import Testing

extension StreamPipelineTests {
    /// How the sequence polls a real pipeline that produces less than the consumer could take.
    @Suite struct Polling {
        @Test func emptyPollsBackOffAndMaxFPSSkipsAreReportedAsDropped() async throws {
            let stream = try await VideoFixtures.liveStream(fps: 20)
            defer { stream.stop() }
            try await StreamServer.withClient { client in
                // One frame per second from a 20 fps camera: the consumer waits ~1 s between frames.
                let configuration = InferencePipelineConfiguration(
                    workflow: .inline(PipelineSpecs.colour), video: .url(stream.url), maxFPS: 1,
                    bufferFilling: .dropOldest, bufferConsumption: .eager
                )
                let results = client.pipelineResults(try await client.startPipeline(configuration))
                var frames: [PipelineFrame] = []
                for try await frame in results {
                    frames.append(frame)
                    if frames.count == 4 { break }
                }
                let statistics = await results.statistics
                #expect(frames.count == 4)
                // Without back-off (~50 calls/s) three one-second waits would take ~150 empty polls; with
                // waits doubling from 10 ms to 250 ms, about 9 per second.
                let perFrame = Double(statistics.emptyPolls) / 3
                #expect(perFrame < 20, "\(statistics.emptyPolls) empty polls for 4 frames")
                #expect(statistics.consumeCalls == statistics.emptyPolls + 4)
                // Frames skipped by max_fps never reach the consumer: they show as gaps.
                #expect(frames.dropFirst().allSatisfy { $0.droppedBefore >= 5 }, "\(frames.map(\.frameID))")
                #expect(statistics.framesDropped == frames.map(\.droppedBefore).reduce(0, +))
                #expect(statistics.framesLostAtEnd == nil)  // a stream has no frame count
            }
        }
    }
}
