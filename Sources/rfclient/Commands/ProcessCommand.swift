import ArgumentParser
import Foundation
import InferenceJobs
import InferenceSDK
import RFClientCommon

/// `rfclient process`: a workflow over every image of a folder, resumable.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Run a workflow (or a model) on every image under a folder; a rerun finishes what is left.",
        discussion: """
            Writes OUT/<image path>/results.json (images replaced by placeholders) with each image output saved \
            beside it, OUT/aggregated_results.csv and .jsonl, OUT/progress.jsonl (finished images; a rerun skips them) \
            and OUT/failures.jsonl ({path, error_type, status, message}). Exits 1 when any image failed, 130 when interrupted, \
            5 when results cannot be written (no space, read-only, permission denied: it stops at once, nothing more is sent).

            Examples:
              rfclient process photos/ -o results/ --spec blur.json --recursive
              rfclient process shelf/ -o out/ --workspace acme --workflow count --glob '*.jpg' --concurrency 8
              rfclient process photos/ -o results/ --spec blur.json --force --aggregate jsonl
              rfclient process photos/ -o results-2/ --spec blur.json --shard 2/4 --timings
              rfclient process photos/ -o detections/ --model yolov8n-640 --param confidence=0.5

            After 429s (a rate limit) fewer requests are kept in flight, growing back while answers succeed; the final \
            line says how many 429s were met. --fixed-concurrency keeps --concurrency in flight regardless.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var workflow: WorkflowSelection
    @OptionGroup var routes: RouteOptions
    @OptionGroup var rateLimits: RateLimitOptions

    @Argument(help: ArgumentHelp("Folder of images.", valueName: "dir"))
    var directory: String

    @Option(name: [.short, .long], help: ArgumentHelp("Output folder.", valueName: "out"))
    var output: String

    @Flag(help: "Descend into subfolders.")
    var recursive = false

    @Flag(name: .customLong("follow-symlinks"), help: "Follow symbolic links that stay inside the folder (default: links are skipped; a link leading outside, or back into a folder already walked, is never followed).")
    var followSymlinks = false

    @Option(help: ArgumentHelp("Only images whose path or name matches this pattern (e.g. '*.png').", valueName: "pattern"))
    var glob: String?

    @Option(name: .customLong("image-input"), help: ArgumentHelp("The workflow input that receives each image.", valueName: "name"))
    var imageInput = "image"

    @OptionGroup var parameterOptions: ParameterOptions

    @Option(help: ArgumentHelp("Requests in flight (default 4 for a local server, 8 for a remote one).", valueName: "n"))
    var concurrency: Int?

    @Option(name: .customLong("max-failures"), help: ArgumentHelp("Stop after this many failed images.", valueName: "n"))
    var maxFailures: Int?

    @Option(help: "Aggregate files: csv, jsonl, both or none.")
    var aggregate: AggregateChoice = .both

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Output to leave out (repeat).", valueName: "field"))
    var excluded: [String] = []

    @Flag(help: "Redo images an earlier run finished.")
    var force = false

    @Option(help: ArgumentHelp(
        "Take only share K of N of the folder (1-based, by a stable hash of each image's relative path): jobs 1/N … N/N together process every image once; give each its own OUT.",
        valueName: "k/n"))
    var shard: String?

    @Flag(help: "Add the server's timing headers (processing time, model cold start/load, model ids) and the round trip to the aggregates.")
    var timings = false

    enum AggregateChoice: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl, both, none

        var formats: AggregateFormats {
            switch self {
            case .csv: return .csv
            case .jsonl: return .jsonl
            case .both: return .both
            case .none: return []
            }
        }
    }

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let maxFailures, maxFailures < 1 { throw ValidationError("--max-failures must be at least 1") }
        if let shard {
            do throws(InferenceError) {
                _ = try DirectoryShard(parsing: shard)
            } catch {
                throw ValidationError("--shard: \(error.message)")
            }
        }
    }

    func run() async throws {
        let parameters = try parameterOptions.parameters()
        // --model: the parameters are the model's options, by the server's names (confidence, iou_threshold, …).
        let model = workflow.model.map {
            DirectoryJob.ModelRun(
                modelID: $0, task: workflow.task.flatMap(ModelTask.init(taskType:)), options: ModelInferenceOptions(extra: parameters))
        }
        let configuration = DirectoryJob.Configuration(
            inputDirectory: directory, outputDirectory: output,
            workflow: model == nil ? try workflow.target() : .saved(workspace: "", id: ""), imageInputName: imageInput,
            parameters: model == nil ? parameters : [:],
            options: WorkflowRunOptions(excludedFields: excluded, workflowVersionID: workflow.workflowVersion),
            recursive: recursive, glob: glob, concurrency: concurrency ?? connection.defaultRequestsInFlight,
            maxFailures: maxFailures, force: force, aggregate: aggregate.formats,
            shard: try shard.map { text throws(InferenceError) in try DirectoryShard(parsing: text) }, timings: timings,
            followSymlinks: followSymlinks, model: model
        )
        let job = DirectoryJob(configuration)
        let reporter = ProgressReporter()
        let connection = self.connection
        let concurrency = job.configuration.concurrency
        let summary = try await Interrupt.cancellable {
            try await connection.withClient({ [routes, rateLimits] in
                $0.maxConcurrentRequests = concurrency
                routes.apply(to: &$0)
                rateLimits.apply(to: &$0)
            }) { client in
                try await job.run(client: client) { reporter.update($0) }
            }
        }
        reporter.finish()
        let p = summary.progress
        var line = "done \(p.done), skipped \(p.skipped), failed \(p.failed) of \(p.total) images in "
            + String(format: "%.1f s (%.1f images/s)", p.elapsed, p.imagesPerSecond)
        line += RateLimitOptions.summary(summary.rateLimitedResponses)
        if summary.interrupted { line += "; interrupted: rerun to finish \(p.remaining + p.failed) images" }
        if summary.stoppedAfterFailures { line += "; stopped after \(p.failed) failures" }
        if let failures = summary.failuresFile { line += "; failures: \(failures)" }
        if summary.localFailure != nil { line += "; stopped: results cannot be written here, rerun when fixed to finish \(p.remaining) images" }
        Terminal.writeError(line + "\n")
        if let local = summary.localFailure { throw local }
        if summary.interrupted { throw ExitCode.interrupted }
        if !summary.complete { throw ExitCode.someFailed }
    }
}
