import Foundation
import InferenceSDK
import TestSupport
import Testing

extension StreamPipelineTests {
    /// Pause, resume, terminate and cancellation on a live MJPEG stream (a source that does not end by itself).
    @Suite struct LiveStreamControl {
        static func liveConfiguration(_ stream: LiveStream) -> InferencePipelineConfiguration {
            InferencePipelineConfiguration(
                workflow: .inline(PipelineSpecs.colour), video: .url(stream.url), bufferFilling: .wait,
                bufferConsumption: .lazy, resultsBufferSize: 500
            )
        }

        @Test func pauseAndResumeShowInStatusAndPausedFramesAreReportedAsDropped() async throws {
            let stream = try await VideoFixtures.liveStream(fps: 20)
            defer { stream.stop() }
            try await StreamServer.withClient { client in
                let id = try await client.startPipeline(Self.liveConfiguration(stream))
                let results = client.pipelineResults(id, options: PipelineConsumeOptions(idleTimeout: .seconds(60)))
                let iterator = results.makeAsyncIterator()
                var frames: [PipelineFrame] = []
                while frames.count < 10, let frame = try await iterator.next() { frames.append(frame) }
                #expect(frames.count == 10)
                #expect(try await client.pipelineStatus(id).sources.first?.state == .running)

                try await client.pausePipeline(id)
                let paused = await eventually { (try? await client.pipelineStatus(id).isPaused) ?? false }
                #expect(paused, "status never showed the pause")
                #expect(try await client.pipelineStatus(id).sources.first?.state == .muted)
                let twice = await #expect(throws: InferenceError.self) { try await client.pausePipeline(id) }
                #expect(twice?.pipelineErrorKind == .operationFailed)
                #expect(twice?.status == 500)
                #expect(twice?.serverError?.errorType == "ProcessesManagerOperationError")

                // The muted source reads the stream on and drops what it reads: let the stream write 30 frames (1.5 s
                // at 20 fps) after the pause showed, the event itself rather than 1.5 s of a machine's time.
                let atPause = stream.framesWritten
                let written = await eventually(timeout: .seconds(60), every: .milliseconds(20)) { stream.framesWritten >= atPause + 30 }
                #expect(written, "the stream wrote \(stream.framesWritten - atPause) frames in 60 s after the pause")
                try await client.resumePipeline(id)
                let status = try await client.pipelineStatus(id)
                #expect(status.sources.first?.state == .running)
                #expect(status.events.contains { $0.payload["new_state"] == "MUTED" })
                let again = await #expect(throws: InferenceError.self) { try await client.resumePipeline(id) }
                #expect(again?.pipelineErrorKind == .operationFailed)

                // Frames buffered before the pause come first, then the gap.
                var gap: PipelineFrame?
                while gap == nil, frames.count < 400, let frame = try await iterator.next() {
                    frames.append(frame)
                    if frame.droppedBefore > 0 { gap = frame }
                }
                let after = try #require(gap, "no gap after a pause while the stream wrote 30 frames")
                // 30 frames were written while muted; up to 20 more (1 s of stream) may not have been read yet when
                // the source resumed.
                #expect(after.droppedBefore >= 10, "30 frames written while paused, dropped \(after.droppedBefore)")
                #expect(frames.map(\.frameID) == frames.map(\.frameID).sorted())
                for frame in frames {
                    let rgb = frame.output?["color"]?.arrayValue?.compactMap(\.intValue) ?? []
                    #expect(VideoFixtures.frameIndex(fromRGB: rgb) == (frame.frameID - 1) % 256)
                }

                // Terminate: the manager forgets it at once.
                try await client.terminatePipeline(id)
                #expect(try await !client.listPipelines().contains(id))
                let status404 = await #expect(throws: InferenceError.self) { _ = try await client.pipelineStatus(id) }
                #expect(status404?.pipelineErrorKind == .notFound && status404?.status == 404)
                // A second terminate: 400 invalid payload, as for any unknown id (1.8.3).
                let second = await #expect(throws: InferenceError.self) { try await client.terminatePipeline(id) }
                #expect(second?.pipelineErrorKind == .invalidPayload)
                // The sequence notices and ends.
                while try await iterator.next() != nil {}
                #expect(await results.statistics.end == .pipelineEnded)
            }
        }

        @Test func cancellingTheConsumingTaskTerminatesThePipeline() async throws {
            let stream = try await VideoFixtures.liveStream(fps: 20)
            defer { stream.stop() }
            try await StreamServer.withClient { client in
                let id = try await client.startPipeline(Self.liveConfiguration(stream))
                let results = client.pipelineResults(id)
                let consumer = Task { () async throws -> Int in
                    var count = 0
                    for try await _ in results { count += 1 }
                    return count
                }
                let started = await eventually { await results.statistics.framesReceived >= 5 }
                #expect(started)
                consumer.cancel()
                let outcome = await consumer.result
                guard case .failure(let failure) = outcome, let error = failure as? InferenceError else {
                    Issue.record("the cancelled sequence did not throw an InferenceError: \(outcome)")
                    return
                }
                #expect(error.kind == .cancelled)
                #expect(await results.statistics.end == .cancelled)
                // Terminated before the error was thrown.
                #expect(try await !client.listPipelines().contains(id))
            }
        }

        @Test func leavingTheLoopEarlyTerminatesThePipeline() async throws {
            let stream = try await VideoFixtures.liveStream(fps: 20)
            defer { stream.stop() }
            try await StreamServer.withClient { client in
                let id = try await client.startPipeline(Self.liveConfiguration(stream))
                let results = client.pipelineResults(id)
                var count = 0
                for try await _ in results {
                    count += 1
                    if count == 3 { break }
                }
                #expect(count == 3)
                let gone = await eventually { (try? await client.listPipelines().contains(id)) == false }
                #expect(gone, "the pipeline still runs after the loop was left")
                #expect(await results.statistics.end == .stopped)
            }
        }

        @Test func stopEndsTheSequenceAndTerminates() async throws {
            let stream = try await VideoFixtures.liveStream(fps: 20)
            defer { stream.stop() }
            try await StreamServer.withClient { client in
                let id = try await client.startPipeline(Self.liveConfiguration(stream))
                let results = client.pipelineResults(id)
                let iterator = results.makeAsyncIterator()
                let first = try await iterator.next()
                #expect(first != nil)
                await results.stop()
                #expect(try await !client.listPipelines().contains(id))
                #expect(try await iterator.next() == nil)
                #expect(await results.statistics.end == .stopped)
            }
        }
    }
}
