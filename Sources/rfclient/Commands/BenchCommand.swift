import ArgumentParser
import Foundation
import InferenceJobs
import InferenceSDK
import RFClientCommon

/// `rfclient bench`: load-test a server with one workflow, like `inference benchmark api-speed`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure a server: latency percentiles, requests/s and errors for one workflow.",
        discussion: """
            Closed loop (default): --concurrency C workers each send their next request when the last one answered. \
            Open loop: --rps R sends at a constant rate whatever the server does, and measures each request's latency \
            from its intended start, so a stalled server shows in the percentiles; --concurrency then caps requests in \
            flight (default 256). Every request is one attempt (no retries) and its outcome is counted: errors by HTTP \
            status, or by failure kind (connectionFailed, timeout, ...) when there was no answer. Images are read \
            once, before measuring; a folder given to --image cycles through its images. A live line goes to stderr \
            every --interval seconds, the final table to stdout, the report to --json FILE. Exit 1 when the error rate \
            exceeds --max-error-rate.

            Examples:
              rfclient bench --spec blur.json --image image=photo.jpg --requests 1000 --concurrency 4
              rfclient bench --workspace acme --workflow count --image image=shelf/ --rps 20 --duration 60 --json report.json
              rfclient bench --spec blur.json --image image=photo.jpg --duration 30 --max-error-rate 0.01
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var workflow: WorkflowSelection
    @OptionGroup var routes: RouteOptions

    @Option(name: .customLong("image"), help: ArgumentHelp(
        "Image input NAME=PATH|FOLDER|URL (repeat; a folder, or a NAME repeated, cycles: request i takes image i mod count).",
        valueName: "name=path"))
    var images: [String] = []

    @OptionGroup var parameterOptions: ParameterOptions

    @Option(help: ArgumentHelp("Measured requests (default 1000 unless --duration).", valueName: "n"))
    var requests: Int?

    @Option(help: ArgumentHelp("Measure for this many seconds instead of a number of requests.", valueName: "seconds"))
    var duration: Double?

    @Option(help: ArgumentHelp("Closed loop: workers sending one request at a time (default 1). With --rps: the cap on requests in flight (default 256).", valueName: "c"))
    var concurrency: Int?

    @Option(help: ArgumentHelp("Open loop: requests per second, at a constant rate.", valueName: "r"))
    var rps: Double?

    @Option(help: ArgumentHelp("Requests sent before measuring, not counted.", valueName: "n"))
    var warmup = 10

    @Option(help: ArgumentHelp("Write the JSON report to FILE (- for stdout, instead of the table).", valueName: "file"))
    var json: String?

    @Option(name: .customLong("max-error-rate"), help: ArgumentHelp("Exit 1 when the share of failed requests is above X (0–1, or a percentage like 1%).", valueName: "x"))
    var maxErrorRate: String?

    @Option(help: ArgumentHelp("Seconds between live lines on stderr (0: none).", valueName: "seconds"))
    var interval: Double = 2

    func validate() throws {
        if requests != nil && duration != nil { throw ValidationError("give --requests or --duration, not both") }
        if connection.retries != nil { throw ValidationError("bench sends every request once and counts its outcome: --retries does not apply") }
        if let requests, requests < 1 { throw ValidationError("--requests must be at least 1") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let rps, !(rps > 0 && rps.isFinite) { throw ValidationError("--rps must be a positive number of requests per second") }
        if warmup < 0 { throw ValidationError("--warmup must be 0 or more") }
        if !(interval >= 0) { throw ValidationError("--interval must be 0 or more seconds") }
        if let maxErrorRate, Self.parseRate(maxErrorRate) == nil {
            throw ValidationError("--max-error-rate expects a share between 0 and 1 (e.g. 0.01) or a percentage (e.g. 1%), got '\(maxErrorRate)'")
        }
    }

    /// `0.05` or `5%` → 0.05; `nil` outside 0…1.
    static func parseRate(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let value = trimmed.hasSuffix("%") ? Double(trimmed.dropLast()).map { $0 / 100 } : Double(trimmed)
        guard let value, value >= 0, value <= 1 else { return nil }
        return value
    }

    func run() async throws {
        let workload = BenchWorkload(
            target: try workflow.target(), images: try loadImages(),
            parameters: try parameterOptions.parameters(),
            options: WorkflowRunOptions(workflowVersionID: workflow.workflowVersion)
        )
        if let json, json != "-" { try Self.checkWritable(json) }
        let slots = concurrency ?? (rps != nil ? 256 : 1)
        let stop: BenchStop = duration.map { .duration(.milliseconds(Int64($0 * 1000))) } ?? .requests(requests ?? 1000)
        let connection = self.connection, routes = self.routes, command = self
        let report = try await Interrupt.cancellable {
            try await connection.withClient({ configuration in
                routes.apply(to: &configuration)
                configuration.retry.maxAttempts = 1  // every request is one attempt
                configuration.maxConcurrentRequests = slots
            }) { client in
                try await command.measure(BenchLoad(workload: workload, client: client), slots: slots, stop: stop)
            }
        }
        if let json {
            let bytes = report.json.serialized(pretty: true) + [0x0A]
            if json == "-" {
                FileHandle.standardOutput.write(Data(bytes))
            } else {
                do {
                    try Data(bytes).write(to: URL(fileURLWithPath: json))
                } catch {
                    throw InferenceError(.localIO, "cannot write the report \(json): \(error.localizedDescription)", input: json)
                }
            }
        }
        if json != "-" { print(report.table) }
        if report.interrupted { throw ExitCode.interrupted }
        if let limit = maxErrorRate.flatMap(Self.parseRate), report.errorRate > limit {
            Terminal.error(String(format: "the error rate %.2f %% is above --max-error-rate %.2f %%", report.errorRate * 100, limit * 100))
            throw ExitCode.someFailed
        }
    }

    /// The warm-up, then the measured phase; Ctrl-C ends it early with what finished (`interrupted`).
    func measure(_ load: BenchLoad, slots: Int, stop: BenchStop) async throws(InferenceError) -> BenchReport {
        do throws(BenchLoad.InputFailure) {
            if warmup > 0 {
                try await load.closedLoop(concurrency: min(slots, warmup), stop: .requests(warmup), recorder: BenchRecorder())
            }
            let recorder = BenchRecorder()
            let clock = ContinuousClock()
            let started = clock.now
            let cpuBefore = processCPUTime()
            let live = liveLines(recorder, started: started)
            if let rps {
                try await load.openLoop(rps: rps, maxInFlight: slots, stop: stop, recorder: recorder)
            } else {
                try await load.closedLoop(concurrency: slots, stop: stop, firstIndex: warmup, recorder: recorder)
            }
            let elapsed = (clock.now - started).seconds
            let cpuAfter = processCPUTime()
            live?.cancel()
            var report = BenchReport(
                state: recorder.snapshot(), elapsed: elapsed,
                cpu: (cpuAfter.user - cpuBefore.user, cpuAfter.system - cpuBefore.system),
                mode: rps == nil ? "closed" : "open", concurrency: slots, targetRPS: rps, warmup: warmup, workflow: workflowDescription
            )
            report.interrupted = Task.isCancelled
            return report
        } catch {
            throw error.error
        }
    }

    /// A task printing the live line every `interval` seconds until cancelled.
    func liveLines(_ recorder: BenchRecorder, started: ContinuousClock.Instant) -> Task<Void, Never>? {
        guard interval > 0 else { return nil }
        let interval = self.interval
        return Task {
            while !Task.isCancelled {
                do { try await Task.sleep(for: .milliseconds(Int64(interval * 1000))) } catch { return }
                let state = recorder.snapshot(markLine: true)
                Terminal.writeError(BenchReport.liveLine(state, elapsed: (ContinuousClock.now - started).seconds, interval: interval) + "\n")
            }
        }
    }

    var workflowDescription: JSONValue {
        if let spec = workflow.spec { return .object(["spec": .string(spec)]) }
        var object: JSONObject = ["workspace": .string(workflow.workspace ?? ""), "workflow": .string(workflow.workflow ?? "")]
        if let version = workflow.workflowVersion { object["version"] = .string(version) }
        return .object(object)
    }

    /// Reads every image once: files and folders into memory (a folder's images in name order), URLs as given.
    func loadImages() throws -> [(name: String, cycle: [ImageInput])] {
        var order: [String] = []
        var cycles: [String: [ImageInput]] = [:]
        for item in images {
            let (name, source) = try InputOptions.split(item, option: "--image", example: "image=photo.jpg")
            guard !source.isEmpty else { throw ValidationError("--image \(name)= needs a path, folder or URL") }
            var loaded: [ImageInput] = []
            var isDirectory: ObjCBool = false
            if source.lowercased().hasPrefix("http://") || source.lowercased().hasPrefix("https://") {
                loaded = [.url(source)]
            } else if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue {
                for relative in ImageFileWalker(root: source) { loaded.append(.bytes(try Self.read(source + "/" + relative, input: name))) }
                guard !loaded.isEmpty else {
                    throw InferenceError(.invalidInput, "the folder \(source) holds no images (\(ImageFileWalker.imageExtensions.sorted().joined(separator: ", ")))", input: name)
                }
            } else {
                loaded = [.bytes(try Self.read(source, input: name))]
            }
            if cycles[name] == nil { order.append(name) }
            cycles[name, default: []] += loaded
        }
        return order.map { (name: $0, cycle: cycles[$0] ?? []) }
    }

    static func read(_ path: String, input: String) throws(InferenceError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw InferenceError(.invalidInput, "the image file \(path) \(reason)", input: input)
        }
        guard !data.isEmpty else { throw InferenceError(.invalidInput, "the image file \(path) is empty", input: input) }
        return [UInt8](data)
    }

    /// Fails before any request when the report could not be written.
    static func checkWritable(_ path: String) throws(InferenceError) {
        let existed = FileManager.default.fileExists(atPath: path)
        guard let handle = FileHandle(forWritingAtPath: path) ?? (FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil) else {
            throw InferenceError(.localIO, "cannot write the report \(path)", input: path)
        }
        try? handle.close()
        if !existed { try? FileManager.default.removeItem(atPath: path) }
    }
}
