import ArgumentParser
import Foundation
import InferenceSDK
import RFClientCommon

/// What `rfclient pipeline start` and `watch` need to start a pipeline.
struct PipelineStartOptions: ParsableArguments {
    @Option(name: .customLong("video"), help: ArgumentHelp(
        "Video on the SERVER's machine: a file path, a stream URL or a camera index (repeat for several sources). "
            + "A relative path is made absolute when the server is local.",
        valueName: "path|url|index"))
    var videos: [String] = []

    @Option(name: .customLong("max-fps"), help: ArgumentHelp("Process at most this many frames per second.", valueName: "fps"))
    var maxFPS: Double?

    @Option(name: .customLong("buffer-filling"), help: ArgumentHelp(
        "When the source buffer is full: WAIT, DROP_OLDEST (default), ADAPTIVE_DROP_OLDEST, DROP_LATEST, ADAPTIVE_DROP_LATEST.",
        valueName: "strategy"))
    var bufferFilling: BufferFillingStrategy?

    @Option(name: .customLong("buffer-consumption"), help: ArgumentHelp("LAZY (every frame) or EAGER (newest frame, default).", valueName: "strategy"))
    var bufferConsumption: BufferConsumptionStrategy?

    @Flag(name: .customLong("every-frame"), help: "Keep every frame of a file: WAIT/LAZY, a 2-frame decoding buffer, a 2000-result buffer.")
    var everyFrame = false

    @Option(name: .customLong("image-input"), help: ArgumentHelp("Workflow input that receives the frames (default image).", valueName: "name"))
    var imageInput = "image"

    @OptionGroup var parameterOptions: ParameterOptions

    @Option(name: .customLong("results-buffer-size"), help: ArgumentHelp("Results the server keeps for consumers (default 64; 2000 with --every-frame).", valueName: "n"))
    var resultsBufferSize: Int?

    @Option(name: .customLong("decoding-buffer-size"), help: ArgumentHelp("Frames decoded ahead (server default 64).", valueName: "n"))
    var decodingBufferSize: Int?

    @Option(name: .customLong("consumption-timeout"), help: ArgumentHelp("The server terminates the pipeline after this many seconds without consume.", valueName: "seconds"))
    var consumptionTimeout: Double?

    @Option(name: .customLong("source-property"), help: ArgumentHelp("Capture property KEY=VALUE, e.g. fps=30 or fourcc=MJPG (repeat).", valueName: "key=value"))
    var sourceProperties: [String] = []

    var isEmpty: Bool { videos.isEmpty }

    /// The configuration; relative file paths become absolute when the server runs on this machine.
    func configuration(workflow: WorkflowTarget, versionID: String?, serverIsLocal: Bool) throws -> InferencePipelineConfiguration {
        guard !videos.isEmpty else { throw ValidationError("give the video with --video PATH|URL|CAMERA_INDEX") }
        let sources = videos.map { text -> VideoReference.Source in
            let source = VideoReference.source(parsing: text)
            if case .file(let path) = source, serverIsLocal, !path.hasPrefix("/") {
                return .file(URL(fileURLWithPath: path).standardizedFileURL.path)
            }
            return source
        }
        let video: VideoReference = sources.count == 1 ? VideoReference(sources[0]) : .list(sources)
        var configuration = InferencePipelineConfiguration(workflow: workflow, video: video)
        if everyFrame {
            configuration = .everyFrame(workflow: workflow, video: video, maxFPS: maxFPS ?? 30)
        }
        if let maxFPS { configuration.maxFPS = maxFPS }
        if let bufferFilling { configuration.bufferFilling = bufferFilling }
        if let bufferConsumption { configuration.bufferConsumption = bufferConsumption }
        if let resultsBufferSize { configuration.resultsBufferSize = resultsBufferSize }
        if let decodingBufferSize { configuration.decodingBufferSize = decodingBufferSize }
        configuration.consumptionTimeout = consumptionTimeout.map { .milliseconds(Int64(($0 * 1000).rounded())) }
        configuration.workflowVersionID = versionID
        configuration.imageInputName = imageInput
        let parameters = try parameterOptions.parameters()
        if !parameters.isEmpty { configuration.workflowParameters = parameters }
        if !sourceProperties.isEmpty {
            configuration.videoSourceProperties = try InputOptions.keyValues(
                sourceProperties, option: "--source-property", example: "fps=30")
        }
        return configuration
    }
}

extension BufferFillingStrategy: ExpressibleByArgument {
    /// Accepts the server's names in any case (`wait`, `DROP_OLDEST`).
    public init?(argument: String) { self.init(rawValue: argument.uppercased().replacingOccurrences(of: "-", with: "_")) }
}

extension BufferConsumptionStrategy: ExpressibleByArgument {
    /// Accepts `lazy`/`LAZY`, `eager`/`EAGER`.
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}
