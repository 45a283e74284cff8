import Foundation
import InferenceJobs
import InferenceSDK

/// Runs a workflow over every frame of a video into an output folder, resumable (`rfclient process-video`).
///
/// Output layout:
/// - `OUT/results.jsonl`: `{"frame_number", "timestamp", "outputs"}` per processed frame, in frame order, each
///   frame once; images replaced by placeholders;
/// - `OUT/results.csv`: the same, flattened into dotted columns (rebuilt at the end of every run);
/// - `OUT/failures.jsonl`: `{frame_number, timestamp, error_type, status, message}` of frames not done;
/// - with ``Configuration/saveVideo``: `OUT/<output>.mp4` per image output.
///
/// A rerun sends only the frames `results.jsonl` lacks and merges them in, so the file keeps every frame once and
/// in order; ``Configuration/force`` starts over.
public struct VideoJob: ResumableJob {
    /// What to run and where.
    public struct Configuration: Sendable {
        /// The video.
        public var source: VideoSource
        /// The output folder.
        public var outputDirectory: String
        /// The workflow.
        public var workflow: WorkflowTarget
        /// The workflow input that receives each frame.
        public var imageInputName: String
        /// Other inputs, sent with every frame.
        public var parameters: [String: JSONValue]
        /// Decoding and sending options (`frameFilter` is set by the job).
        public var options: VideoProcessingOptions
        /// Stop after this many failed frames.
        public var maxFailures: Int?
        /// Forget earlier results.
        public var force: Bool
        /// Write `results.jsonl` (always kept for resuming) and/or `results.csv`.
        public var writeCSV: Bool
        /// Write one MP4 per image output.
        public var saveVideo: Bool

        /// Creates a configuration.
        public init(
            source: VideoSource, outputDirectory: String, workflow: WorkflowTarget, imageInputName: String = "image",
            parameters: [String: JSONValue] = [:], options: VideoProcessingOptions = VideoProcessingOptions(),
            maxFailures: Int? = nil, force: Bool = false, writeCSV: Bool = true, saveVideo: Bool = false
        ) {
            self.source = source
            self.outputDirectory = outputDirectory
            self.workflow = workflow
            self.imageInputName = imageInputName
            self.parameters = parameters
            self.options = options
            self.maxFailures = maxFailures
            self.force = force
            self.writeCSV = writeCSV
            self.saveVideo = saveVideo
        }
    }

    /// Counters reported while the job runs.
    public struct Progress: Sendable, Equatable {
        /// Frames expected to be sent in this run (`nil` for live sources).
        public var total: Int?
        /// Frames done in this run.
        public var done: Int
        /// Frames an earlier run finished.
        public var alreadyDone: Int
        /// Frames that failed in this run.
        public var failed: Int
        /// Seconds since the run started.
        public var elapsed: Double

        /// Frames finished or failed per second.
        public var framesPerSecond: Double { elapsed > 0 ? Double(done + failed) / elapsed : 0 }
    }

    /// How a run ended.
    public struct Summary: Sendable {
        /// The final counters.
        public var progress: Progress
        /// Decoder counters (decoded, sent, skipped, dropped, corrupt).
        public var statistics: VideoStatistics
        /// The source as opened.
        public var info: VideoInfo
        /// Cancelled (Ctrl-C).
        public var interrupted: Bool
        /// Stopped at ``Configuration/maxFailures``.
        public var stoppedAfterFailures: Bool
        /// Stopped because the server could not be reached.
        public var unreachable: InferenceError?
        /// The run stopped at this `.localIO` error: results could not be written (no space, read-only file system,
        /// permission denied), so nothing more was sent. What was finished before it is kept; a rerun after the
        /// cause is fixed finishes the rest (the same policy as a folder job's).
        public var localFailure: InferenceError?
        /// `failures.jsonl` when frames are not done.
        public var failuresFile: String?
        /// Files written.
        public var files: [String]
        /// Notes for the user (e.g. outputs that cannot be saved as video).
        public var notes: [String]
        /// HTTP 429 answers the client met during the run, every attempt counted (from
        /// `InferenceHTTPClient.rateLimitStatistics`: other requests of the same client at the same time
        /// count too).
        public var rateLimitedResponses: Int = 0
        /// Every frame of this run is done.
        public var complete: Bool {
            progress.failed == 0 && !interrupted && !stoppedAfterFailures && unreachable == nil && localFailure == nil
        }
    }

    /// The configuration.
    public let configuration: Configuration

    /// Creates a job.
    public init(_ configuration: Configuration) { self.configuration = configuration }

    /// Runs the job. Cancelling the calling task stops it cleanly: finished frames are kept, files are consistent.
    /// Throws for bad input (nothing sent) and setup problems; a local write failure during the run stops it and is
    /// reported in ``Summary/localFailure``.
    public func run(client: InferenceHTTPClient, onProgress: @escaping @Sendable (Progress) -> Void) async throws(InferenceError) -> Summary {
        let c = configuration
        let output = URL(fileURLWithPath: c.outputDirectory).standardizedFileURL.path
        let resultsPath = output + "/results.jsonl"
        let failuresPath = output + "/failures.jsonl"
        let csvPath = output + "/results.csv"
        let done = c.force ? DoneFrames(numbers: [], last: 0) : DoneFrames.read(resultsPath)
        var options = c.options
        let doneSet = done.numbers
        let userFilter = options.frameFilter
        options.frameFilter = { number in !doneSet.contains(number) && (userFilter?(number) ?? true) }
        let run = try await client.processVideo(
            c.source, workflow: c.workflow, imageInput: c.imageInputName, parameters: c.parameters, options: options
        )
        let info = run.info
        // The source opened: only now is anything created or reset, once the folder is this job's (nothing has been
        // sent yet: requests start with the iteration).
        let folder = try JobFolder(output)
        defer { withExtendedLifetime(folder) {} }  // the lock is held until the run returns
        if c.force {
            for path in [resultsPath, failuresPath, csvPath] { unlink(path) }
        }
        var total: Int?
        if let frames = info.totalFrames, !(c.options.live ?? c.source.isLive) {
            total = (1...max(1, frames)).reduce(0) { count, n in
                FrameSubsampling.keeps(n, fps: info.fps, maxFPS: c.options.maxFPS) && !doneSet.contains(n) && (userFilter?(n) ?? true) ? count + 1 : count
            }
        }
        let writer = try ResultsWriter(path: resultsPath, existing: done)
        let failures = try FailuresFile<VideoFailureRecord>(path: failuresPath, dropping: doneSet.contains)
        var videos = c.saveVideo ? VideoOutputs(directory: output, fps: run.processedFPS, keepExisting: !done.numbers.isEmpty) : nil
        var notes: [String] = []
        if c.saveVideo && !done.numbers.isEmpty {
            notes.append("--save-video: \(done.numbers.count) frames were done earlier and stay in the earlier videos; this run's frames "
                + "go to new ones beside them (each record's \"path\" names its video), never over them; --force for one complete video")
        }

        let clock = ContinuousClock()
        let start = clock.now
        let rateLimitedBefore = client.rateLimitStatistics.rateLimitedResponses
        var progress = Progress(total: total, done: 0, alreadyDone: done.numbers.count, failed: 0, elapsed: 0)
        var stops = JobStops()
        var unreachable: InferenceError?
        onProgress(progress)
        do {
            for try await frame in run {
                do throws(InferenceError) {
                    switch frame.result {
                    case .success(let output):
                        let paths = try videos?.append(output) ?? [:]
                        try writer.append(VideoResultRecord(frame: frame, output: output, videoPaths: paths))
                        failures.retrying(frame.frameNumber)
                        progress.done += 1
                    case .failure(let error):
                        progress.failed += 1
                        try failures.record(VideoFailureRecord(frame: frame, error: error))
                    }
                } catch {
                    stops.localWriteFailed(error)
                }
                progress.elapsed = (clock.now - start).seconds
                onProgress(progress)
                if stops.localFailure != nil { break }
                if let limit = c.maxFailures, progress.failed >= limit {
                    stops.stoppedAfterFailures = true
                    break
                }
            }
        } catch let error as InferenceError where error.kind == .cancelled {
            stops.interrupted = true
        } catch let error as InferenceError {
            unreachable = error
        } catch {
            stops.interrupted = true
        }
        if Task.isCancelled { stops.interrupted = true }
        progress.elapsed = (clock.now - start).seconds
        var files = [resultsPath]
        notes += videos?.notes ?? []
        try stops.closing { () throws(InferenceError) in try writer.finish() }
        if let written = try stops.closing({ () throws(InferenceError) in try videos?.finish() }) { files += written ?? [] }
        try stops.closing { () throws(InferenceError) in try failures.finish() }
        if c.writeCSV, try stops.closing({ () throws(InferenceError) in try VideoCSV.write(results: resultsPath, to: csvPath) }) != nil {
            files.append(csvPath)
        }
        let statistics = run.statistics
        if statistics.corrupt > 0 { notes.append("\(statistics.corrupt) corrupt frames skipped") }
        return Summary(
            progress: progress, statistics: statistics, info: info, interrupted: stops.interrupted,
            stoppedAfterFailures: stops.stoppedAfterFailures, unreachable: unreachable, localFailure: stops.localFailure,
            failuresFile: failures.pathIfAny, files: files, notes: notes,
            rateLimitedResponses: client.rateLimitStatistics.rateLimitedResponses - rateLimitedBefore
        )
    }
}

/// The frames an earlier run wrote to `results.jsonl`.
struct DoneFrames {
    var numbers: Set<Int>
    var last: Int

    static func read(_ path: String) -> DoneFrames {
        var numbers = Set<Int>()
        var last = 0
        for line in LineReader(path: path) {
            guard let number = VideoResultRecord.frameNumber(of: line) else { continue }
            numbers.insert(number)
            last = max(last, number)
        }
        return DoneFrames(numbers: numbers, last: last)
    }
}
