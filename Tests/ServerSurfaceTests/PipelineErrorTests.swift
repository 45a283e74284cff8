import Foundation
import InferenceSDK
import TestSupport
import Testing

extension StreamPipelineTests {
    /// The manager's error answers, typed.
    @Suite struct ManagerErrors {
        @Test func unknownPipelineIDsAreNotFound() async throws {
            let id = UUID().uuidString
            try await StreamServer.withClient { client in
                let calls: [(String, @Sendable () async throws -> Void)] = [
                    ("status", { _ = try await client.pipelineStatus(id) }),
                    ("pause", { try await client.pausePipeline(id) }),
                    ("resume", { try await client.resumePipeline(id) }),
                    ("consume", { _ = try await client.consumePipelineResult(id) }),
                ]
                for (name, call) in calls {
                    let error = await #expect(throws: InferenceError.self, "\(name)") { try await call() }
                    #expect(error?.pipelineErrorKind == .notFound, "\(name): \(String(describing: error))")
                    #expect(error?.kind == .clientError && error?.status == 404)
                    #expect(error?.serverError?.errorType == "ProcessesManagerNotFoundError")
                    #expect(error?.description.contains(id) == true)
                    #expect(error?.attempts == 1)
                }
                // terminate differs: 400 invalid payload with no details (1.8.3).
                let terminate = await #expect(throws: InferenceError.self) { try await client.terminatePipeline(id) }
                #expect(terminate?.pipelineErrorKind == .invalidPayload && terminate?.status == 400)
                #expect(terminate?.serverError?.errorType == "ProcessesManagerInvalidPayload")
                // The sequence of an unknown pipeline simply ends.
                let results = client.pipelineResults(id)
                for try await _ in results { Issue.record("a frame from an unknown pipeline") }
                #expect(await results.statistics.end == .pipelineEnded)
            }
        }

        @Test func anEmptyPipelineIDIsRefusedBeforeSending() async throws {
            try await StreamServer.withClient { client in
                let error = await #expect(throws: InferenceError.self) { _ = try await client.pipelineStatus("") }
                #expect(error?.kind == .invalidInput && error?.attempts == 0)
            }
        }

        @Test func anInvalidWorkflowIsAnInvalidPayload() async throws {
            let video = try await VideoFixtures.video(frames: 45)
            var broken = PipelineSpecs.width.json
            broken["steps"] = [["type": "roboflow_core/no_such_block@v1", "name": "x", "data": "$inputs.image"]]
            try await StreamServer.withClient { client in
                let configuration = InferencePipelineConfiguration(
                    workflow: .inline(WorkflowSpecification(object: broken)), video: .file(video)
                )
                let before = Set(try await client.listPipelines())
                let error = await #expect(throws: InferenceError.self) { _ = try await client.startPipeline(configuration) }
                #expect(error?.pipelineErrorKind == .invalidPayload)
                #expect(error?.status == 400)
                #expect(error?.serverError?.errorType == "ProcessesManagerInvalidPayload")
                #expect(error?.message.contains("not valid") == true)
                // 1.8.3 keeps the process it spawned for the failed start: a listed pipeline with no source,
                // counted against the manager's limit (8) until terminated.
                let leftovers = Set(try await client.listPipelines()).subtracting(before)
                #expect(leftovers.count == 1)
                for id in leftovers {
                    #expect(try await client.pipelineStatus(id).sources.isEmpty)
                    try await client.terminatePipeline(id)
                }
                #expect(Set(try await client.listPipelines()).intersection(leftovers).isEmpty)
            }
        }

        @Test func aSavedWorkflowOnAnOfflineServerFailsToInitialise() async throws {
            let video = try await VideoFixtures.video(frames: 45)
            let configuration = InferencePipelineConfiguration(workflow: .saved(workspace: "acme", id: "count-cars"), video: .file(video))
            let before = Set(try await StreamServer.withClient { try await $0.listPipelines() })
            // With a key (in the Authorization header, as by default): the manager cannot fetch the workflow.
            try await StreamServer.withClient({ $0.apiKey = "sk-pipeline-secret-77" }) { client in
                let error = await #expect(throws: InferenceError.self) { _ = try await client.startPipeline(configuration) }
                #expect(error?.pipelineErrorKind == .operationFailed && error?.status == 500)
                #expect(error?.message.contains("Could not connect to Roboflow API") == true)
                // The key's masking: EchoedKeyEndpointsTests (ReliabilityTests), against a server that repeats it.
            }
            // Without a key the manager cannot even decode the command.
            try await StreamServer.withClient { client in
                let error = await #expect(throws: InferenceError.self) { _ = try await client.startPipeline(configuration) }
                #expect(error?.pipelineErrorKind == .invalidPayload && error?.status == 400)
                // Remove the processes the failed starts left behind.
                for id in Set(try await client.listPipelines()).subtracting(before) { try? await client.terminatePipeline(id) }
            }
        }

        @Test func aBadSourcePropertyIsRefusedByTheServersValidation() async throws {
            let video = try await VideoFixtures.video(frames: 45)
            try await StreamServer.withClient { client in
                var configuration = InferencePipelineConfiguration(workflow: .inline(PipelineSpecs.width), video: .file(video))
                configuration.videoSourceProperties = ["fps": "fast"]
                let error = await #expect(throws: InferenceError.self) { _ = try await client.startPipeline(configuration) }
                #expect(error?.status == 422)
                #expect(error?.pipelineErrorKind == .invalidPayload)
                #expect(error?.serverError?.validationIssues.first?.location.contains("video_source_properties") == true)
            }
        }

        @Test func referencesTheServerWouldRefuseAreCaughtBeforeSending() async throws {
            try await StreamServer.withClient { client in
                let bad: [(VideoReference, String)] = [
                    (.file("video.mp4"), "explicitly relative"), (.file("/tmp/a!b.mp4"), "GStreamer"),
                    (.url("gopher://camera/1"), "does not open"), (.url("rtsp:///path"), "no host"),
                    (.camera(-1), "negative"), (.list([]), "no source"), (.file(""), "empty"),
                ]
                for (reference, hint) in bad {
                    let configuration = InferencePipelineConfiguration(workflow: .inline(PipelineSpecs.width), video: reference)
                    let error = await #expect(throws: InferenceError.self, "\(reference)") { _ = try await client.startPipeline(configuration) }
                    #expect(error?.kind == .invalidInput && error?.attempts == 0)
                    #expect(error?.message.contains(hint) == true, "\(reference): \(error?.message ?? "")")
                }
                var wrongInput = InferencePipelineConfiguration(workflow: .inline(PipelineSpecs.width), video: .camera(0))
                wrongInput.imageInputName = "frame"
                let error = await #expect(throws: InferenceError.self) { _ = try await client.startPipeline(wrongInput) }
                #expect(error?.input == "image_input_name")
            }
        }
    }
}

/// Pipeline routes against the main real server, which runs without the stream API.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL (scripts/test.sh starts the real server)"))
struct StreamAPIUnavailableTests {
    @Test func pipelineRoutesSayTheStreamAPIIsOff() async throws {
        try await RealServer.withClient({ $0.retry = .none }) { client in
            let list = await #expect(throws: InferenceError.self) { _ = try await client.listPipelines() }
            #expect(list?.pipelineErrorKind == .streamAPIUnavailable, "\(String(describing: list))")
            #expect(list?.message.contains("ENABLE_STREAM_API=true") == true)
            let status = await #expect(throws: InferenceError.self) { _ = try await client.pipelineStatus("abc") }
            #expect(status?.pipelineErrorKind == .streamAPIUnavailable && status?.status == 404)
            let pause = await #expect(throws: InferenceError.self) { try await client.pausePipeline("abc") }
            #expect(pause?.pipelineErrorKind == .streamAPIUnavailable && pause?.status == 405)
            let start = await #expect(throws: InferenceError.self) {
                _ = try await client.startPipeline(InferencePipelineConfiguration(workflow: .inline(PipelineSpecs.width), video: .camera(0)))
            }
            #expect(start?.pipelineErrorKind == .streamAPIUnavailable, "\(String(describing: start))")
            #expect(start?.attempts == 1, "initialise is never retried")
        }
    }
}
