import ArgumentParser
import Foundation
import InferenceJobs
import InferenceSDK
import InferenceSDKVideo
import RFClientCommon

/// `rfclient process-video`: every frame of a video (file, stream, camera) through a workflow on the server.
///
/// A separate executable (`rfclient-video`) that `rfclient process-video` runs, so that only this command loads
/// FFmpeg's libraries.
@main
struct ProcessVideoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rfclient process-video",
        abstract: "Decode a video here and run every frame through a workflow on the server; a rerun finishes what is left.",
        discussion: """
            VIDEO is a file (MP4, AVI, MKV, WebM, … in any codec FFmpeg reads), a stream URL (rtsp://, http(s):// MJPEG or HLS) \
            or a camera (/dev/video0). Frames go to the server as JPEG (MJPEG frames as they are) with video_metadata.

            Writes OUT/results.jsonl ({"frame_number", "timestamp", "outputs"} per frame, in frame order, images replaced by \
            placeholders), OUT/results.csv, OUT/failures.jsonl ({frame_number, error_type, status, message}) and with \
            --save-video OUT/<output>.mp4 per image output. A rerun sends only the frames results.jsonl lacks; --force \
            starts over. `-o -` streams the records as NDJSON to stdout (no files, no resume). After 429s (a rate limit) \
            fewer requests are kept in flight, growing back while answers succeed (the final line says how many 429s \
            were met); --fixed-concurrency keeps --concurrency in flight regardless.

            Exit codes: 0 every frame done; 1 some frames failed; 2 bad input (nothing sent); 3 the server rejected the \
            request; 4 the server cannot be reached (the run stops); 5 results cannot be written; 130 interrupted.

            Examples:
              rfclient process-video clip.mp4 -o out/ --spec blur.json
              rfclient process-video clip.mp4 -o out/ --workspace acme --workflow count --max-fps 5 --save-video
              rfclient process-video rtsp://cam.local/stream -o - --spec detect.json --max-fps 2 --input-option rtsp_transport=tcp
              rfclient process-video https://example.com/vod/index.m3u8 -o out/ --spec blur.json --no-live
            """,
        version: InferenceClientConfiguration.sdkVersion
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var workflow: WorkflowSelection
    @OptionGroup var sourceOptions: SourceOptions
    @OptionGroup var rateLimits: RateLimitOptions

    @Argument(help: ArgumentHelp("Video file, stream URL or /dev/videoN.", valueName: "video"))
    var video: String

    @Option(name: [.short, .long], help: ArgumentHelp("Output folder, or - for NDJSON on stdout (required unless --decode-only).", valueName: "out"))
    var output: String?

    @Option(name: .customLong("image-input"), help: ArgumentHelp("The workflow input that receives each frame.", valueName: "name"))
    var imageInput = "image"

    @OptionGroup var parameterOptions: ParameterOptions

    @Option(name: .customLong("max-fps"), help: ArgumentHelp(
        "At most this many frames per second: a file is subsampled keeping its frame numbers (30 fps at 10 → 1, 4, 7, …); a live source is paced.",
        valueName: "fps"))
    var maxFPS: Double?

    @Option(name: .customLong("frames-per-request"), help: ArgumentHelp("Consecutive frames sent as one batch request (default 1).", valueName: "k"))
    var framesPerRequest = 1

    @Option(help: ArgumentHelp("Requests in flight (default 4 for a local server, 8 for a remote one).", valueName: "n"))
    var concurrency: Int?

    @Option(name: .customLong("jpeg-quality"), help: ArgumentHelp("JPEG quality of re-encoded frames (default 95).", valueName: "q"))
    var jpegQuality = 95

    @Option(help: "Result files besides results.jsonl (always written, it is what a rerun resumes from): jsonl, csv or both.")
    var format: FormatChoice = .both

    @Flag(name: .customLong("save-video"), help: "Write OUT/<output>.mp4 for every image output (H.264, or MPEG-4 without libx264); a rerun writes its frames to OUT/<output>.2.mp4, … and never over an earlier video.")
    var saveVideo = false

    @Option(name: .customLong("max-failures"), help: ArgumentHelp("Stop after this many failed frames.", valueName: "n"))
    var maxFailures: Int?

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Output to leave out (repeat).", valueName: "field"))
    var excluded: [String] = []

    @Flag(help: "Start over: forget the frames an earlier run finished.")
    var force = false

    @Option(name: .customLong("cpu-priority"), help: ArgumentHelp(
        "auto (default): background when the server is on this machine and the source is a file, normal otherwise; "
            + "background: this process uses only CPU no other process wants (SCHED_IDLE), so a server on the same cores keeps its speed, "
            + "and returns to normal if other work starves it (over 4 s); normal: compete for CPU like any process."))
    var cpuPriority: CPUPriority = .auto

    @Flag(name: .customLong("decode-only"), help: "Decode and JPEG-encode every frame that would be sent, send nothing, write nothing: checks the video and prints the client's CPU per frame.")
    var decodeOnly = false

    enum FormatChoice: String, ExpressibleByArgument, CaseIterable {
        case jsonl, csv, both
    }

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let maxFailures, maxFailures < 1 { throw ValidationError("--max-failures must be at least 1") }
        if let maxFPS, !(maxFPS > 0) { throw ValidationError("--max-fps must be a positive number") }
        if framesPerRequest < 1 { throw ValidationError("--frames-per-request must be at least 1") }
        if !(1...100).contains(jpegQuality) { throw ValidationError("--jpeg-quality must be 1...100") }
        if output == nil { throw ValidationError("missing -o OUT (an output folder, or - for NDJSON on stdout)") }
        if output == "-" && saveVideo { throw ValidationError("--save-video needs an output folder, not -o -") }
    }

    static func main() async {
        // `--decode-only` needs no workflow or output: its own parser.
        if CommandLine.arguments.dropFirst().contains("--decode-only") {
            await DecodeOnlyCommand.main()
            return
        }
        await runAsRoot(helpHint: helpHint)
    }

    /// Where usage errors point.
    static let helpHint = "rfclient process-video --help"

    func run() async throws {
        let parameters = try parameterOptions.parameters()
        let target = try workflow.target()
        let source = sourceOptions.source(video)
        let requests = concurrency ?? connection.defaultRequestsInFlight
        let options = VideoProcessingOptions(
            maxFPS: maxFPS, requestsInFlight: requests, framesPerRequest: framesPerRequest, jpegQuality: jpegQuality,
            live: sourceOptions.live, runOptions: WorkflowRunOptions(excludedFields: excluded, workflowVersionID: workflow.workflowVersion),
            reconnect: sourceOptions.reconnect
        )
        // Under SCHED_IDLE when --cpu-priority says so (auto: a server on this machine, a file).
        cpuPriority.apply(serverIsLocal: connection.isLocal, live: options.isLive(source), verbose: connection.verbose) {
            Terminal.error($0)
        }
        let connection = self.connection
        if output == "-" {
            try await streamToStdout(source: source, target: target, parameters: parameters, options: options, requests: requests)
            return
        }
        let job = VideoJob(.init(
            source: source, outputDirectory: output ?? ".", workflow: target, imageInputName: imageInput, parameters: parameters,
            options: options, maxFailures: maxFailures, force: force, writeCSV: format != .jsonl, saveVideo: saveVideo
        ))
        let reporter = VideoProgressReporter()
        let summary = try await Interrupt.cancellable {
            try await connection.withClient({ [rateLimits] in
                $0.maxConcurrentRequests = requests
                rateLimits.apply(to: &$0)
            }) { client in
                try await job.run(client: client) { reporter.update($0) }
            }
        }
        reporter.finish()
        for note in summary.notes { Terminal.error(note) }
        let p = summary.progress
        let s = summary.statistics
        var line = "done \(p.done), failed \(p.failed)"
        if p.alreadyDone > 0 { line += ", already done \(p.alreadyDone)" }
        line += " frames in " + String(format: "%.1f s (%.1f frames/s)", p.elapsed, p.framesPerSecond)
        line += "; decoded \(s.decoded), skipped \(s.skipped)"
        if s.dropped > 0 { line += ", dropped \(s.dropped) (server behind a live source)" }
        if s.corrupt > 0 { line += ", corrupt \(s.corrupt)" }
        if s.reconnects > 0 { line += ", reconnected \(s.reconnects)×" }
        line += RateLimitOptions.summary(summary.rateLimitedResponses)
        if summary.interrupted { line += "; interrupted: rerun to finish" }
        if summary.stoppedAfterFailures { line += "; stopped after \(p.failed) failures" }
        if let failures = summary.failuresFile { line += "; failures: \(failures)" }
        if summary.localFailure != nil { line += "; stopped: results cannot be written here, rerun when fixed to finish the rest" }
        Terminal.writeError("rfclient: " + line + "\n")
        if let local = summary.localFailure { throw local }
        if let error = summary.unreachable {
            Terminal.error("stopped: \(error.description); rerun to finish the rest")
            throw ExitCode.for(error)
        }
        if summary.interrupted { throw ExitCode.interrupted }
        if !summary.complete { throw ExitCode.someFailed }
    }

    /// `-o -`: one NDJSON record per frame on stdout as it is done, failures as lines on stderr.
    private func streamToStdout(
        source: VideoSource, target: WorkflowTarget, parameters: [String: JSONValue], options: VideoProcessingOptions, requests: Int
    ) async throws {
        let connection = self.connection
        let imageInput = self.imageInput
        let rateLimits = self.rateLimits
        let failed = try await Interrupt.cancellable { () async throws -> Int in
            try await connection.withClient({
                $0.maxConcurrentRequests = requests
                rateLimits.apply(to: &$0)
            }) { client in
                let run = try await client.processVideo(source, workflow: target, imageInput: imageInput, parameters: parameters, options: options)
                var failed = 0
                do {
                    for try await frame in run {
                        switch frame.result {
                        case .success(let output):
                            var line = VideoRecordLine.line(frame: frame, output: output)
                            line.append(0x0A)
                            let code = writeAll(STDOUT_FILENO, line)
                            if code == EPIPE { return failed }  // the reader went away (`| head`): stop quietly
                            if code != 0 { throw InferenceError.localIO("write", "stdout", code: code) }
                        case .failure(let error):
                            failed += 1
                            Terminal.error("frame \(frame.frameNumber): \(error.description)")
                        }
                    }
                } catch let error as InferenceError where error.kind == .cancelled {
                    throw ExitCode.interrupted
                }
                return failed
            }
        }
        if failed > 0 { throw ExitCode.someFailed }
    }
}
