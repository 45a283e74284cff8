import ArgumentParser
import Foundation
import InferenceSDK
import RFClientCommon

/// `rfclient pipeline`: video pipelines that run on the server.
struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Run a workflow on a video (file, stream, camera) inside the server and follow its results.",
        discussion: """
            The server must run with ENABLE_STREAM_API=true and its stream manager process. Video paths, URLs and \
            camera indexes are opened by the server, on its machine.

            Examples:
              rfclient pipeline watch --spec blur.json --video ./sample.mp4 --every-frame --max-fps 30 --output frames.csv
              id=$(rfclient pipeline start --spec blur.json --video rtsp://camera.local/stream)
              rfclient pipeline status "$id"; rfclient pipeline pause "$id"; rfclient pipeline resume "$id"
              rfclient pipeline watch "$id" > frames.ndjson
              rfclient pipeline terminate "$id"
            """,
        subcommands: [
            PipelineStartCommand.self, PipelineListCommand.self, PipelineStatusCommand.self, PipelinePauseCommand.self,
            PipelineResumeCommand.self, PipelineTerminateCommand.self, PipelineWatchCommand.self,
        ]
    )
}

/// `rfclient pipeline start`: start a pipeline and print its id.
struct PipelineStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a pipeline; print its id.",
        discussion: "Example: rfclient pipeline start --spec blur.json --video /data/cars.mp4 --max-fps 15"
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var workflow: WorkflowSelection
    @OptionGroup var start: PipelineStartOptions

    @Flag(help: "Print {\"pipeline_id\": ...} as JSON.")
    var json = false

    func run() async throws {
        let configuration = try start.configuration(
            workflow: try workflow.target(), versionID: workflow.workflowVersion, serverIsLocal: connection.isLocal
        )
        let id = try await connection.withClient { try await $0.startPipeline(configuration) }
        if json { OutputFormat.json.print(["pipeline_id": .string(id)]) } else { print(id) }
    }
}

/// `rfclient pipeline list`.
struct PipelineListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the ids of the running pipelines, one per line.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print a JSON list.")
    var json = false

    func run() async throws {
        let ids = try await connection.withClient { try await $0.listPipelines() }
        if json { OutputFormat.json.print(list: ids.map { .string($0) }) } else { ids.forEach { print($0) } }
    }
}

/// `rfclient pipeline status ID`.
struct PipelineStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Print a pipeline's sources, states, latency and throughput."
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The pipeline id.")
    var pipelineID: String

    @Flag(help: "Print the server's report as JSON.")
    var json = false

    func run() async throws {
        let status = try await connection.withClient { try await $0.pipelineStatus(pipelineID) }
        if json {
            OutputFormat.json.print(status.raw)
            return
        }
        print("pipeline \(status.pipelineID)")
        if let throughput = status.inferenceThroughput { print(String(format: "  throughput: %.1f frames/s", throughput)) }
        for (index, source) in status.sources.enumerated() {
            let id = source.id ?? index
            var line = "  source \(id): \(source.state?.rawValue ?? "?") \(source.reference ?? "")"
            if let width = source.width, let height = source.height { line += " \(width)x\(height)" }
            if let fps = source.fps { line += String(format: " %.1f fps", fps) }
            if let total = source.totalFrames { line += " \(total) frames" }
            print(line)
            if let done = status.completion.first(where: { $0.sourceID == id }) {
                print("    completed \(done.completedFrames ?? 0) frames, last frame \(done.lastFrameID ?? 0)")
            }
            if let latency = status.latency.first(where: { $0.sourceID == id }), let inference = latency.inference {
                print(String(format: "    inference latency %.1f ms", inference * 1000))
            }
        }
    }
}

/// `rfclient pipeline pause ID`.
struct PipelinePauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a pipeline (the server mutes its sources: frames read meanwhile are dropped; a file is read to its end)."
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The pipeline id.")
    var pipelineID: String

    func run() async throws {
        try await connection.withClient { try await $0.pausePipeline(pipelineID) }
        print("paused \(pipelineID)")
    }
}

/// `rfclient pipeline resume ID`.
struct PipelineResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused pipeline.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The pipeline id.")
    var pipelineID: String

    func run() async throws {
        try await connection.withClient { try await $0.resumePipeline(pipelineID) }
        print("resumed \(pipelineID)")
    }
}

/// `rfclient pipeline terminate ID`.
struct PipelineTerminateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminate", abstract: "Stop a pipeline; results not yet consumed are lost."
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The pipeline id.")
    var pipelineID: String

    func run() async throws {
        try await connection.withClient { try await $0.terminatePipeline(pipelineID) }
        print("terminated \(pipelineID)")
    }
}
