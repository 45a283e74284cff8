import ArgumentParser
import Foundation
import InferenceJobs
import InferenceSDK
import RFClientCommon

/// `rfclient pipeline watch`: stream a pipeline's results as NDJSON until it ends.
struct PipelineWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print a pipeline's results as NDJSON (one frame per line) until it ends; start it first when no id is given.",
        discussion: """
            Each line: {"frame_id", "source_id", "frame_timestamp", "dropped_before", "outputs"}; images are summarised \
            as {type, format, width, height, bytes} unless --keep-images. dropped_before counts frames that never \
            reached this consumer. A summary goes to stderr at the end. Ctrl-C terminates the pipeline (unless --keep-running).
            Exit codes: 0 the pipeline ended; 1 it ended without any frame; 130 interrupted.

            Examples:
              rfclient pipeline watch --spec blur.json --video ./sample.mp4 --every-frame --max-fps 30 --output frames.csv
              rfclient pipeline watch 3f1c… --exclude blurred | jq .frame_id
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "An existing pipeline's id; omit it to start one with --video and a workflow.")
    var pipelineID: String?

    @Option(help: ArgumentHelp("Workspace of a saved workflow (to start a pipeline).", valueName: "name"))
    var workspace: String?

    @Option(help: ArgumentHelp("Saved workflow id (to start a pipeline).", valueName: "id"))
    var workflow: String?

    @Option(name: .customLong("workflow-version"), help: ArgumentHelp("Saved workflow version.", valueName: "version"))
    var workflowVersion: String?

    @Option(help: ArgumentHelp("Workflow definition JSON file, or - for stdin (to start a pipeline).", valueName: "file"))
    var spec: String?

    @OptionGroup var start: PipelineStartOptions

    @Option(help: ArgumentHelp("Also write every frame to FILE.csv or FILE.jsonl.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Output field the server leaves out (repeat).", valueName: "field"))
    var excludedFields: [String] = []

    @Flag(name: .customLong("keep-images"), help: "Write images whole (base64) instead of a summary.")
    var keepImages = false

    @Flag(help: "Do not print frames to stdout (with --output).")
    var quiet = false

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Give up after this many seconds without a frame.", valueName: "seconds"))
    var idleTimeout: Double?

    @Flag(name: .customLong("keep-running"), help: "Leave the pipeline running when interrupted or timed out.")
    var keepRunning = false

    func validate() throws {
        let startsOne = !start.isEmpty || spec != nil || workflow != nil || workspace != nil
        if pipelineID != nil, startsOne {
            throw ValidationError("give either a pipeline id or --video with a workflow, not both")
        }
        if pipelineID == nil, !startsOne {
            throw ValidationError("give a pipeline id, or --video and --spec (or --workspace/--workflow) to start one")
        }
        if let idleTimeout, !(idleTimeout > 0) { throw ValidationError("--idle-timeout must be positive") }
        if let output, PipelineFrameWriter.Format(path: output) == nil {
            throw ValidationError("--output must end in .csv or .jsonl")
        }
    }

    func run() async throws {
        let configuration = try pipelineID == nil ? startConfiguration() : nil
        let writer = try output.map { try PipelineFrameWriter(path: $0, keepImages: self.keepImages) }
        let options = PipelineConsumeOptions(
            excludedFields: excludedFields, idleTimeout: idleTimeout.map { .milliseconds(Int64($0 * 1000)) },
            terminateWhenStopped: !keepRunning
        )
        let connection = self.connection
        let existing = pipelineID
        let printFrames = !quiet
        let keepImages = self.keepImages
        let outcome = try await Interrupt.cancellable { () async throws -> WatchOutcome in
            try await connection.withClient { client in
                var id = existing ?? ""
                if let configuration {
                    id = try await client.startPipeline(configuration)
                    Terminal.writeError("rfclient: started pipeline \(id)\n")
                }
                let results = client.pipelineResults(id, options: options)
                var failure: InferenceError?
                do {
                    for try await frame in results {
                        if printFrames { Terminal.writeLine(frame.json(summarizingImages: !keepImages).serialized()) }
                        try writer?.write(frame)
                    }
                } catch let error as InferenceError {
                    failure = error
                    await results.stop()
                } catch {
                    failure = InferenceError(.invalidInput, "\(error)")
                    await results.stop()
                }
                return WatchOutcome(pipelineID: id, statistics: await results.statistics, failure: failure)
            }
        }
        Terminal.writeError("rfclient: " + outcome.summary + "\n")
        if let failure = outcome.failure {
            if failure.kind == .cancelled { throw ExitCode.interrupted }
            throw failure
        }
        if outcome.statistics.framesReceived == 0 { throw ExitCode.someFailed }
    }

    private func startConfiguration() throws -> InferencePipelineConfiguration {
        var selection = WorkflowSelection()
        selection.clear()
        selection.workspace = workspace
        selection.workflow = workflow
        selection.workflowVersion = workflowVersion
        selection.spec = spec
        try selection.validate()
        return try start.configuration(workflow: try selection.target(), versionID: workflowVersion, serverIsLocal: connection.isLocal)
    }
}

/// What a watch saw.
struct WatchOutcome: Sendable {
    let pipelineID: String
    let statistics: PipelineConsumptionStatistics
    let failure: InferenceError?

    var summary: String {
        let s = statistics
        var line = "pipeline \(pipelineID): \(s.framesReceived) frames, \(s.framesDropped) dropped"
        if let lost = s.framesLostAtEnd {
            let total = s.totalFrames.values.reduce(0, +)
            line += ", \(lost) lost at the end (of \(total) in the file\(s.totalFrames.count > 1 ? "s" : ""))"
        }
        switch s.end {
        case .pipelineEnded?: line += "; the pipeline ended"
        case .cancelled?: line += "; interrupted"
        case .idleTimeout?: line += "; no frame within the idle timeout"
        case .stopped?: line += "; stopped"
        case .failed?, nil: line += "; failed"
        }
        if s.framesReceived == 0, s.end == .pipelineEnded {
            line += " without any frame: the server could not open the video (paths are on the server's machine), "
                + "or the workflow produced nothing (check --image-input)"
        }
        return line
    }
}
