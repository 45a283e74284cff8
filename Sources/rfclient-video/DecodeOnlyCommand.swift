import ArgumentParser
import Foundation
import InferenceSDK
import InferenceSDKVideo
import RFClientCommon

/// `rfclient process-video VIDEO --decode-only`: decode and JPEG-encode every frame that would be sent, send
/// nothing, write nothing; prints what the source is and the client's CPU per frame.
struct DecodeOnlyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rfclient process-video --decode-only",
        abstract: "Decode and JPEG-encode every frame that would be sent; send nothing. Checks a video and measures the client's cost."
    )

    @Argument(help: ArgumentHelp("Video file, stream URL or /dev/videoN.", valueName: "video"))
    var video: String

    @OptionGroup var sourceOptions: SourceOptions

    @Flag(name: .customLong("decode-only"), help: "This mode.")
    var decodeOnly = false

    @Option(name: .customLong("max-fps"), help: ArgumentHelp("As in process-video.", valueName: "fps"))
    var maxFPS: Double?

    @Option(name: .customLong("jpeg-quality"), help: ArgumentHelp("As in process-video (default 95).", valueName: "q"))
    var jpegQuality = 95

    func validate() throws {
        if let maxFPS, !(maxFPS > 0) { throw ValidationError("--max-fps must be a positive number") }
        if !(1...100).contains(jpegQuality) { throw ValidationError("--jpeg-quality must be 1...100") }
    }

    static func main() async {
        do {
            var command = try parseAsRoot(Array(CommandLine.arguments.dropFirst()))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            ProcessVideoCommand.exitWithDocumentedCode(error, helpHint: ProcessVideoCommand.helpHint)
        }
    }

    func run() async throws {
        let source = sourceOptions.source(video)
        let options = VideoProcessingOptions(maxFPS: maxFPS, jpegQuality: jpegQuality, live: sourceOptions.live, reconnect: sourceOptions.reconnect)
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await Interrupt.cancellable { try await VideoDecodeCheck.run(source, options: options) }
        let wall = (clock.now - start).components
        let seconds = Double(wall.seconds) + Double(wall.attoseconds) / 1e18
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let s = report.statistics
        let info = report.info
        let perFrame = s.decoded > 0 ? 1000 * cpu / Double(s.decoded) : 0
        let kind = info.sendsJPEGAsIs ? "JPEG as is" : "JPEG q\(jpegQuality)"
        let size = s.sent > 0 ? Double(report.jpegBytes) / Double(s.sent) / 1024 : 0
        Terminal.writeError(
            "rfclient: \(info.source): \(info.container), \(info.codec) \(info.width)×\(info.height) at \(String(format: "%.3g", info.fps)) fps; "
                + "decoded \(s.decoded), would send \(s.sent) (\(kind), \(String(format: "%.0f", size)) KB/frame), skipped \(s.skipped), "
                + "corrupt \(s.corrupt) in " + String(format: "%.2f s; client CPU %.2f ms/frame (whole process)\n", seconds, perFrame)
        )
        if s.corrupt > 0 { throw ExitCode.someFailed }
    }
}
