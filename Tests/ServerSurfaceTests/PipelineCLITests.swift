import Foundation
import InferenceSDK
import TestSupport
import Testing

extension StreamPipelineTests {
    /// `rfclient pipeline …` end to end against the stream server.
    @Suite(.enabled(if: Requirement.runs(BuiltRFClient.path != nil), "build rfclient first (swift build --build-tests)"))
    struct CLI {
        static func rfclient(_ arguments: [String], timeout: Duration = .seconds(180)) async throws -> (status: Int32, stdout: String, stderr: String) {
            let run = try await TestSupport.CLI.run(arguments, server: StreamServer.url ?? "", bound: timeout)
            return (run.status, run.stdoutText, run.stderrText)
        }

        static func specFile() throws -> String {
            let path = VideoFixtures.directory + "/width-workflow.json"
            try Data(JSONValue.object(PipelineSpecs.width.json).serialized()).write(to: URL(fileURLWithPath: path), options: .atomic)
            return path
        }

        @Test func watchStreamsNDJSONAndWritesCSVUntilThePipelineEnds() async throws {
            let video = try await VideoFixtures.video(frames: 120)
            let csv = VideoFixtures.directory + "/frames-\(UUID().uuidString).csv"
            defer { try? FileManager.default.removeItem(atPath: csv) }
            let run = try await Self.rfclient([
                "pipeline", "watch", "--spec", try Self.specFile(), "--video", video, "--every-frame", "--max-fps", "20",
                "--param", "tag=cli", "--output", csv,
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map { try? JSONValue(parsing: String($0)) }
            #expect(lines.allSatisfy { $0 != nil }, "\(lines.count) lines")
            let ids = lines.compactMap { $0?["frame_id"]?.intValue }
            // Every frame in order; only a tail the manager forgot when it ended the pipeline may be missing, and the
            // summary says exactly how many.
            // That tail is at most 3 s of frames at 20 fps (60; any non-empty prefix used to pass, 1 of 120 included).
            #expect(ids == Array(1...max(1, ids.count)) && ids.count >= 120 - 60, "\(ids.count) of 120 frames")
            #expect(run.stderr.contains("\(ids.count) frames, 0 dropped, \(120 - ids.count) lost at the end"), "\(run.stderr)")
            #expect(lines.first??["outputs"]?["width"] == 64 && lines.first??["outputs"]?["tag"] == "cli")
            #expect(lines.first??["dropped_before"] == 0)
            #expect(run.stderr.contains("started pipeline"))
            #expect(run.stderr.contains("\(ids.count) frames"))
            #expect(run.stderr.contains("the pipeline ended"))

            let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
            // Output columns come in the server's key order (not the definition's).
            let header = rows.first?.split(separator: ",").map(String.init) ?? []
            #expect(header.prefix(4) == ["frame_id", "source_id", "frame_timestamp", "dropped_before"])
            #expect(Set(header.dropFirst(4)) == ["width", "tag"])
            #expect(rows.count == ids.count + 1)
            let first = rows.dropFirst().first?.split(separator: ",").map(String.init) ?? []
            #expect(first.count == header.count)
            #expect(first.first == "1" && first.dropFirst().first == "0" && first.dropFirst(3).first == "0")
            #expect(header.firstIndex(of: "width").map { first[$0] } == "64")
            #expect(header.firstIndex(of: "tag").map { first[$0] } == "cli")
        }

        @Test func startStatusPauseResumeTerminateAndList() async throws {
            let stream = try await VideoFixtures.liveStream(fps: 20)
            defer { stream.stop() }
            let start = try await Self.rfclient(["pipeline", "start", "--spec", try Self.specFile(), "--video", stream.url, "--json"])
            #expect(start.status == 0, "\(start.stderr)")
            let id = try #require(try JSONValue(parsing: start.stdout)["pipeline_id"]?.stringValue)
            #expect(try await Self.rfclient(["pipeline", "list"]).stdout.contains(id))
            let running = await eventually {
                ((try? await Self.rfclient(["pipeline", "status", id]))?.stdout ?? "").contains("RUNNING")
            }
            #expect(running)
            let status = try await Self.rfclient(["pipeline", "status", id, "--json"])
            #expect(try JSONValue(parsing: status.stdout)["sources_metadata"]?[0]?["source_reference"]?.stringValue == stream.url)
            #expect(try await Self.rfclient(["pipeline", "pause", id]).status == 0)
            #expect(try await Self.rfclient(["pipeline", "status", id]).stdout.contains("MUTED"))
            let twice = try await Self.rfclient(["pipeline", "pause", id])
            #expect(twice.status == 4 && twice.stderr.contains("ProcessesManagerOperationError"), "\(twice.stderr)")
            #expect(try await Self.rfclient(["pipeline", "resume", id]).status == 0)
            #expect(try await Self.rfclient(["pipeline", "terminate", id]).status == 0)
            let gone = try await Self.rfclient(["pipeline", "status", id])
            #expect(gone.status == 3 && gone.stderr.contains("ProcessesManagerNotFoundError"))
            #expect(try await !Self.rfclient(["pipeline", "list"]).stdout.contains(id))
        }

        @Test func interruptingWatchTerminatesThePipeline() async throws {
            let stream = try await VideoFixtures.liveStream(fps: 20)
            defer { stream.stop() }
            let watch = try TestSupport.CLI.spawn(
                ["pipeline", "watch", "--spec", try Self.specFile(), "--video", stream.url], server: StreamServer.url ?? ""
            )
            defer { watch.send(SIGKILL) }
            let streaming = await eventually(timeout: .seconds(60)) {
                String(decoding: watch.stdoutSoFar, as: UTF8.self).split(separator: "\n").count >= 5
            }
            let stderrSoFar = String(decoding: watch.stderrSoFar, as: UTF8.self)
            #expect(streaming, "no frames: \(stderrSoFar)")
            let id = try #require(stderrSoFar.components(separatedBy: "started pipeline ").last?.split(separator: "\n").first.map(String.init))
            watch.send(SIGINT)
            let result = await watch.wait(bound: .seconds(30))
            let stderr = String(decoding: result.stderr, as: UTF8.self)
            #expect(!result.timedOut && result.status == 130, "exit \(result.status): \(stderr)")
            #expect(stderr.contains("interrupted"))
            let gone = await eventually {
                (try? await StreamServer.withClient { try await $0.listPipelines() })?.contains(id) == false
            }
            #expect(gone, "pipeline \(id) still runs after Ctrl-C")
        }
    }
}

/// CLI commands against the main real server.
@Suite(.enabled(if: RealServer.available && Requirement.runs(BuiltRFClient.path != nil), "needs INFERENCE_SERVER_URL and the built rfclient"))
struct SurfaceCLITests {
    static func rfclient(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let run = try await CLI.run(arguments, server: RealServer.url ?? "", bound: .seconds(120))
        return (run.status, run.stdoutText, run.stderrText)
    }

    @Test func pipelineCommandsExplainAServerWithoutTheStreamAPI() async throws {
        let run = try await Self.rfclient(["pipeline", "list"])
        #expect(run.status == 3)
        #expect(run.stderr.contains("ENABLE_STREAM_API=true"), "\(run.stderr)")
    }

    @Test func modelsListAndLoadOffline() async throws {
        let list = try await Self.rfclient(["models", "list", "--json"])
        #expect(list.status == 0)
        #expect(try JSONValue(parsing: list.stdout)["models"] == [])
        let load = try await Self.rfclient(["models", "load", "coco/3", "--retries", "0", "--api-key", "sk-cli-secret-31"])
        #expect(load.status == 4)
        #expect(load.stderr.contains("HTTP 503") && load.stderr.contains("Roboflow API"))
        // The key's masking: EchoedKeyEndpointsTests.rfclientModelsLoadMasksAnEchoedKey, against a server that repeats it.
        #expect(try await Self.rfclient(["models", "clear"]).status == 0)
    }

    @Test func schemaAndEngineVersions() async throws {
        let schema = try await Self.rfclient(["schema"])
        #expect(schema.status == 0)
        #expect(try JSONValue(parsing: schema.stdout)["$defs"] != nil)
        let versions = try await Self.rfclient(["schema", "--engine-versions"])
        #expect(versions.status == 0)
        #expect(versions.stdout.split(separator: "\n").contains { $0.hasPrefix("1.") })
    }
}
