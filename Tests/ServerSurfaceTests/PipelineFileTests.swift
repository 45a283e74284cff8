import Foundation
import InferenceSDK
import TestSupport
import Testing

extension StreamPipelineTests {
    /// Pipelines on generated video files of known frame count, consumed through the AsyncSequence.
    @Suite struct FileVideos {
        @Test func everyFrameArrivesInFrameOrderAndTheSequenceEndsWithThePipeline() async throws {
            let video = try await VideoFixtures.video(frames: 150)
            try await StreamServer.withClient { client in
                let configuration = InferencePipelineConfiguration.everyFrame(
                    workflow: .inline(PipelineSpecs.colour), video: .file(video), maxFPS: 15
                )
                let id = try await client.startPipeline(configuration)
                #expect(try await client.listPipelines().contains(id))
                let results = client.pipelineResults(id, options: PipelineConsumeOptions(idleTimeout: .seconds(60)))
                var ids: [Int] = []
                var wrongContent: [Int] = []
                var sawStatus = false
                for try await frame in results {
                    ids.append(frame.frameID)
                    #expect(frame.sourceID == 0)
                    #expect(!frame.timestamp.isEmpty)
                    let rgb = frame.output?["color"]?.arrayValue?.compactMap(\.intValue) ?? []
                    if VideoFixtures.frameIndex(fromRGB: rgb) != (frame.frameID - 1) % 256 { wrongContent.append(frame.frameID) }
                    if frame.frameID == 30 {
                        // The typed status report while it runs.
                        let status = try await client.pipelineStatus(id)
                        let source = try #require(status.sources.first)
                        #expect(source.state == .running)
                        #expect(source.width == 64 && source.height == 48)
                        #expect(source.totalFrames == 150 && source.isFile == true)
                        #expect(source.bufferFilling == .wait && source.bufferConsumption == .lazy)
                        #expect(source.bufferSize == 2)
                        #expect(source.reference == video)
                        #expect((status.inferenceThroughput ?? 0) > 0)
                        #expect((status.completion.first?.lastFrameID ?? 0) >= 30)
                        #expect(status.latency.first?.inference != nil)
                        #expect(status.events.contains { $0.type == "INFERENCE_THREAD_STARTED" })
                        #expect(!status.isPaused && !status.hasEnded)
                        sawStatus = true
                    }
                }
                let statistics = await results.statistics
                #expect(statistics.end == .pipelineEnded)
                #expect(sawStatus)
                #expect(ids == ids.sorted() && Set(ids).count == ids.count, "frames out of order: \(ids)")
                #expect(wrongContent.isEmpty, "frames whose colour is not their frame_id's: \(wrongContent)")
                #expect(statistics.framesReceived == ids.count)
                #expect(statistics.totalFrames == [0: 150])
                #expect(statistics.framesReceived + statistics.framesDropped + (statistics.framesLostAtEnd ?? -1) == 150)
                // WAIT/LAZY, a 2-frame decoding buffer and a 2000-result buffer: every frame in order, none dropped on
                // the way. The 1.8.3 manager ends a file pipeline when its decoder reaches the end and forgets results
                // not consumed by then (the decoding buffer's frames, and more when the consumer fell behind: 0 alone,
                // 2 loaded, 24 in a full parallel CI run): only a tail may be missing, and exactly that tail is
                // reported as lost at the end.
                // The tail is bounded by how far the consumer can lag behind the decoder, which grows with the machine's
                // load (58 seen with two builds and another test run beside this one): at least half the frames must
                // arrive (`0..<150` accepted a run that delivered 1 frame of 150).
                let lost = statistics.framesLostAtEnd ?? -1
                #expect(statistics.framesDropped == 0, "\(statistics)")
                #expect((0...75).contains(lost), "\(statistics)")
                #expect(ids == Array(1...max(1, 150 - lost)), "\(ids.count) of 150 frames; statistics \(statistics)")
                // The manager forgets the pipeline as soon as it ends.
                #expect(try await !client.listPipelines().contains(id))
                let gone = await #expect(throws: InferenceError.self) { _ = try await client.pipelineStatus(id) }
                #expect(gone?.pipelineErrorKind == .notFound)
            }
        }

        @Test func framesTheConsumerMissesAreReportedAsDropped() async throws {
            // 300 frames at 30 fps: ~10 s of pipeline, so that it is still running when the consumer's 2 s pause ends even
            // when the first frames come late on a loaded machine (the server forgets an ended pipeline's buffer).
            let video = try await VideoFixtures.video(frames: 300)
            try await StreamServer.withClient { client in
                var configuration = InferencePipelineConfiguration.everyFrame(
                    workflow: .inline(PipelineSpecs.width), video: .file(video), maxFPS: 30, resultsBufferSize: 5
                )
                configuration.workflowParameters = ["tag": "slow consumer"]
                let id = try await client.startPipeline(configuration)
                let results = client.pipelineResults(id, options: PipelineConsumeOptions(idleTimeout: .seconds(60)))
                var frames: [PipelineFrame] = []
                for try await frame in results {
                    frames.append(frame)
                    #expect(frame.output?.int("width") == 64)
                    #expect(frame.output?.string("tag") == "slow consumer")
                    // Stop reading for 2 s: ~60 frames are produced, the server keeps the last 5.
                    if frames.count == 10 { try await Task.sleep(for: .seconds(2)) }
                }
                let statistics = await results.statistics
                #expect(statistics.end == .pipelineEnded)
                let gap = try #require(frames.dropFirst(10).first, "no frame after the pause")
                #expect(gap.droppedBefore >= 10, "expected a gap after the consumer's pause, got \(gap.droppedBefore)")
                #expect(gap.frameID == frames[9].frameID + gap.droppedBefore + 1)
                #expect(statistics.framesDropped == frames.map(\.droppedBefore).reduce(0, +))
                #expect(statistics.framesReceived + statistics.framesDropped + (statistics.framesLostAtEnd ?? -1) == 300)
                #expect(frames.map(\.frameID) == frames.map(\.frameID).sorted())
            }
        }

        @Test func aListOfVideosGivesEachSourceItsOwnFramesInOrder() async throws {
            let long = try await VideoFixtures.video(frames: 90)
            let short = try await VideoFixtures.video(frames: 45)
            try await StreamServer.withClient { client in
                let configuration = InferencePipelineConfiguration.everyFrame(
                    workflow: .inline(PipelineSpecs.colour), video: .list([.file(long), .file(short)]), maxFPS: 15
                )
                let results = client.pipelineResults(try await client.startPipeline(configuration))
                var bySource: [Int: [Int]] = [:]
                for try await frame in results {
                    let source = try #require(frame.sourceID)
                    bySource[source, default: []].append(frame.frameID)
                    let rgb = frame.output?["color"]?.arrayValue?.compactMap(\.intValue) ?? []
                    #expect(VideoFixtures.frameIndex(fromRGB: rgb) == frame.frameID - 1)
                }
                let statistics = await results.statistics
                #expect(Set(bySource.keys) == [0, 1])
                for (_, ids) in bySource { #expect(ids == ids.sorted() && Set(ids).count == ids.count) }
                // Every frame of each source in order, but for a tail the server forgot when it ended the pipeline
                // (see everyFrameArrives…): exactly that tail is counted as lost at the end.
                let first = bySource[0] ?? [], second = bySource[1] ?? []
                #expect(first == Array(1...max(1, first.count)) && second == Array(1...max(1, second.count)), "\(statistics)")
                #expect(!first.isEmpty && !second.isEmpty, "\(statistics)")
                #expect(statistics.framesDropped == 0)
                #expect(statistics.framesLostAtEnd == 135 - first.count - second.count, "\(statistics)")
                #expect(statistics.totalFrames == [0: 90, 1: 45])
                #expect(statistics.lastFrameIDs[1] ?? 0 <= 45)
            }
        }

        @Test func aMissingFileIsAcceptedThenThePipelineEndsWithoutFrames() async throws {
            try await StreamServer.withClient { client in
                let configuration = InferencePipelineConfiguration(
                    workflow: .inline(PipelineSpecs.width), video: .file("/nonexistent/\(UUID().uuidString).mp4")
                )
                let id = try await client.startPipeline(configuration)
                let results = client.pipelineResults(id, options: PipelineConsumeOptions(idleTimeout: .seconds(60)))
                var count = 0
                for try await _ in results { count += 1 }
                #expect(count == 0)
                let statistics = await results.statistics
                #expect(statistics.end == .pipelineEnded)
                #expect(statistics.framesReceived == 0)
            }
        }
    }
}
