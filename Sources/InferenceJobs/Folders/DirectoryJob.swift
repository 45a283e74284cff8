import InferenceSDK
import Foundation

/// Runs a workflow on every image under a folder, with bounded concurrency, writing results as it goes
/// and resuming where an earlier run stopped.
///
/// Output layout (compatible with `inference-cli`'s `process-images-directory`):
/// - `OUT/<relative image path>/results.json`: the outputs, images replaced by placeholders;
/// - each image output saved beside it in its real format (`blurred.jpg`, `crops/0.jpg`, …);
/// - `OUT/progress.jsonl`: append-only log of finished images (a rerun skips them);
/// - `OUT/failures.jsonl`: `{path, error_type, status, message}` for images not done;
/// - `OUT/aggregated_results.csv` / `.jsonl`, rebuilt from the log at the end of every run.
///
/// Memory stays flat: the folder is streamed, results are written and dropped, only the set of finished
/// paths is kept.
public struct DirectoryJob: ResumableJob {
    /// What to run and where.
    public struct Configuration: Sendable {
        /// The folder of images.
        public var inputDirectory: String
        /// Where results go (created if missing).
        public var outputDirectory: String
        /// The workflow.
        public var workflow: WorkflowTarget
        /// The workflow input that receives each image. Default `image`.
        public var imageInputName: String
        /// Other inputs, sent with every image.
        public var parameters: [String: JSONValue]
        /// Run options.
        public var options: WorkflowRunOptions
        /// Descend into subfolders.
        public var recursive: Bool
        /// Only files matching this `fnmatch` pattern (relative path or file name).
        public var glob: String?
        /// Requests in flight at once.
        public var concurrency: Int
        /// Stop scheduling new images after this many failures.
        public var maxFailures: Int?
        /// Redo images the log says are done.
        public var force: Bool
        /// Aggregate files to write.
        public var aggregate: AggregateFormats
        /// Only this share of the folder's images (`K/N`); `nil` for all.
        public var shard: DirectoryShard?
        /// Record each image's server metadata (`ServerMetadata`) and round-trip time in the aggregates.
        public var timings: Bool
        /// Follow symbolic links that stay inside the input folder (``ImageFileWalker/followSymlinks``). Default
        /// `false`: links are skipped, so a link to `/` cannot send images from anywhere on the machine.
        public var followSymlinks: Bool
        /// A model to run on each image instead of ``workflow`` (`POST /infer/{task}`; ``workflow``,
        /// ``imageInputName``, ``parameters`` and ``options`` are then unused). Each image's `results.json` and
        /// aggregate row hold the model's answer (`predictions`, `image`, `inference_id`, `time`). Default `nil`.
        public var model: ModelRun?

        /// Creates a configuration; defaults: input `image`, not recursive, concurrency 4, both aggregates, every
        /// image (no shard), no timing columns, symbolic links skipped.
        public init(
            inputDirectory: String, outputDirectory: String, workflow: WorkflowTarget, imageInputName: String = "image",
            parameters: [String: JSONValue] = [:], options: WorkflowRunOptions = WorkflowRunOptions(), recursive: Bool = false,
            glob: String? = nil, concurrency: Int = 4, maxFailures: Int? = nil, force: Bool = false, aggregate: AggregateFormats = .both,
            shard: DirectoryShard? = nil, timings: Bool = false, followSymlinks: Bool = false, model: ModelRun? = nil
        ) {
            self.inputDirectory = inputDirectory
            self.outputDirectory = outputDirectory
            self.workflow = workflow
            self.imageInputName = imageInputName
            self.parameters = parameters
            self.options = options
            self.recursive = recursive
            self.glob = glob
            self.concurrency = concurrency
            self.maxFailures = maxFailures
            self.force = force
            self.aggregate = aggregate
            self.shard = shard
            self.timings = timings
            self.followSymlinks = followSymlinks
            self.model = model
        }
    }

    /// Counters reported while the job runs.
    public struct Progress: Sendable, Equatable {
        /// Images found.
        public var total: Int
        /// Images finished in this run.
        public var done: Int
        /// Images skipped because an earlier run finished them.
        public var skipped: Int
        /// Images that failed in this run.
        public var failed: Int
        /// Seconds since the run started.
        public var elapsed: Double

        /// Images finished or failed in this run, per second.
        public var imagesPerSecond: Double { elapsed > 0 ? Double(done + failed) / elapsed : 0 }
        /// Images left.
        public var remaining: Int { max(0, total - done - skipped - failed) }
    }

    /// How a run ended.
    public struct Summary: Sendable {
        /// The final counters.
        public var progress: Progress
        /// The run was cancelled (Ctrl-C); finished results are kept.
        public var interrupted: Bool
        /// The run stopped early because `maxFailures` was reached.
        public var stoppedAfterFailures: Bool
        /// `failures.jsonl`, when any image is not done.
        public var failuresFile: String?
        /// Aggregate files written.
        public var aggregateFiles: [String]
        /// The run stopped at this `.localIO` error: results could not be written (no space, read-only file system,
        /// permission denied), so nothing more was sent. What was finished before it is kept; a rerun after the
        /// cause is fixed finishes the rest (the image whose result could not be written included).
        public var localFailure: InferenceError?
        /// HTTP 429 answers the client met during the run, every attempt counted (from
        /// `InferenceHTTPClient.rateLimitStatistics`: other requests of the same client at the same time count too).
        public var rateLimitedResponses: Int = 0
        /// Every image under the folder is done.
        public var complete: Bool {
            progress.failed == 0 && !interrupted && !stoppedAfterFailures && localFailure == nil && progress.remaining == 0
        }
    }

    /// The configuration.
    public let configuration: Configuration

    /// Creates a job.
    public init(_ configuration: Configuration) { self.configuration = configuration }

    /// Runs the job. Cancelling the calling task stops it cleanly: in-flight images are abandoned (not marked
    /// done or failed), logs stay consistent, aggregates are written. Throws only for setup problems.
    public func run(client: InferenceHTTPClient, onProgress: @escaping @Sendable (Progress) -> Void) async throws(InferenceError) -> Summary {
        let c = configuration
        let input = URL(fileURLWithPath: c.inputDirectory).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InferenceError(.invalidInput, "\(c.inputDirectory) is not a folder", input: c.inputDirectory)
        }
        guard c.parameters[c.imageInputName] == nil else {
            throw InferenceError(.invalidInput, "'\(c.imageInputName)' is the image input and also a parameter", input: c.imageInputName)
        }
        let folder = try JobFolder(c.outputDirectory)
        defer { withExtendedLifetime(folder) {} }  // the lock is held until the run returns
        let output = folder.path
        let logPath = folder.file("progress.jsonl")
        let walker = ImageFileWalker(
            root: input, recursive: c.recursive, glob: c.glob, excluded: [output], shard: c.shard, followSymlinks: c.followSymlinks
        )
        let done = c.force ? [] : ProgressEntry.donePaths(in: logPath)
        let log = try AppendOnlyFile(path: logPath, truncate: c.force)
        let failures = try FailuresFile<FailureRecord>(path: folder.file("failures.jsonl"), dropping: done.contains)

        let clock = ContinuousClock()
        let start = clock.now
        let rateLimitedBefore = client.rateLimitStatistics.rateLimitedResponses
        var progress = Progress(total: walker.count(), done: 0, skipped: 0, failed: 0, elapsed: 0)
        var stops = JobStops()
        onProgress(progress)

        await withTaskGroup(of: (String, Result<ProgressEntry, InferenceError>).self) { group in
            var iterator = walker.makeIterator()
            var stopScheduling = false
            func scheduleNext() -> Bool {
                while !stopScheduling, let path = iterator.next() {
                    if done.contains(path) {
                        progress.skipped += 1
                        continue
                    }
                    failures.retrying(path)
                    group.addTask { (path, await Self.process(path, input: input, output: output, configuration: c, client: client)) }
                    return true
                }
                return false
            }
            for _ in 0..<max(1, c.concurrency) where !scheduleNext() { break }
            onProgress(progress)
            /// A local write failed: keep the first cause, send nothing more, abandon what is in flight (it is
            /// neither done nor failed, so a rerun sends it again).
            func stop(_ error: InferenceError, path: String) {
                stops.localWriteFailed(error)
                failures.abandoned(path)
                stopScheduling = true
                group.cancelAll()
            }
            while let (path, result) = await group.next() {
                switch result {
                case .success(let entry) where stops.localFailure == nil:
                    do throws(InferenceError) {
                        try log.appendLine(entry.line)
                        progress.done += 1
                    } catch {
                        stop(error, path: path)
                    }
                case .success:
                    failures.abandoned(path)
                case .failure(let error):
                    if error.kind == .localIO {
                        stop(error, path: path)
                    } else if error.kind == .cancelled || Task.isCancelled || stops.localFailure != nil {
                        failures.abandoned(path)
                    } else {
                        progress.failed += 1
                        do throws(InferenceError) { try failures.record(FailureRecord(path: path, error: error)) } catch { stop(error, path: path) }
                    }
                }
                progress.elapsed = (clock.now - start).seconds
                onProgress(progress)
                if stops.localFailure != nil {
                    continue
                } else if Task.isCancelled {
                    stops.interrupted = true
                    stopScheduling = true
                    group.cancelAll()
                } else if let limit = c.maxFailures, progress.failed >= limit {
                    stops.stoppedAfterFailures = true
                    stopScheduling = true
                } else {
                    _ = scheduleNext()
                }
            }
        }
        if Task.isCancelled && stops.localFailure == nil { stops.interrupted = true }
        progress.elapsed = (clock.now - start).seconds

        try stops.closing { () throws(InferenceError) in try failures.finish() }
        let aggregates = try stops.closing { () throws(InferenceError) in
            try AggregateWriter.write(progressLog: logPath, outputDirectory: output, formats: c.aggregate)
        } ?? []
        return Summary(
            progress: progress, interrupted: stops.interrupted, stoppedAfterFailures: stops.stoppedAfterFailures,
            failuresFile: failures.pathIfAny, aggregateFiles: aggregates,
            localFailure: stops.localFailure,
            rateLimitedResponses: client.rateLimitStatistics.rateLimitedResponses - rateLimitedBefore
        )
    }

    static func process(
        _ path: String, input: String, output: String, configuration c: Configuration, client: InferenceHTTPClient
    ) async -> Result<ProgressEntry, InferenceError> {
        do throws(InferenceError) {
            let sent = ContinuousClock.now
            let result: WorkflowRunResult
            if let model = c.model {
                result = try await model.run(on: .file(input + "/" + path), client: client)
            } else {
                result = try await client.run(
                    c.workflow, images: [c.imageInputName: .file(input + "/" + path)], parameters: c.parameters, options: c.options
                )
            }
            let directory = output + "/" + path
            let saver = OutputImageSaver(directory: directory, pathPrefix: "", root: output)
            var outputs: [JSONObject] = []
            for item in result.outputs { outputs.append(try saver.save(item)) }
            let document: JSONValue = outputs.count == 1 ? .object(outputs[0]) : .array(outputs.map { .object($0) })
            try OutputImageSaver.createParent(of: directory + "/results.json", root: output)
            try writeAtomically(document.serialized(pretty: true), to: directory + "/results.json")
            return .success(ProgressEntry(path: path, outputs: outputs, timings: c.timings ? ImageTimings.row(result, since: sent) : nil))
        } catch {
            return .failure(error)
        }
    }
}
