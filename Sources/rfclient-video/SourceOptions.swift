import ArgumentParser
import InferenceSDKVideo

/// How the video is opened: FFmpeg input options and whether the source is treated as live. Shared by
/// `process-video` and its `--decode-only` mode.
struct SourceOptions: ParsableArguments {
    @Option(name: .customLong("input-option"), help: ArgumentHelp(
        "FFmpeg option for opening the source, NAME=VALUE (repeat), e.g. rtsp_transport=tcp, video_size=1280x720, "
            + "input_format=mjpeg.",
        valueName: "name=value"))
    var inputOptions: [String] = []

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "--no-live sends every frame of a stream (a recorded HLS playlist, an MP4 over HTTP), waiting for the server "
            + "instead of dropping the oldest waiting frame; --live drops like a camera. Default: streams and cameras are live, files not."))
    var live: Bool?

    @Flag(help: ArgumentHelp(
        "Open a stream or camera again when it ends or fails (0.5 s, 1 s, 2 s … up to 8 s between attempts) and go on "
            + "numbering frames, until Ctrl-C. A vanished camera is noticed with a socket timeout, e.g. --input-option timeout=5000000 (RTSP, µs)."))
    var reconnect = false

    func validate() throws {
        for option in inputOptions {
            guard let equals = option.firstIndex(of: "="), equals != option.startIndex else {
                throw ValidationError("--input-option '\(option)' is not NAME=VALUE")
            }
        }
    }

    /// The source `video` names, opened with the input options.
    func source(_ video: String) -> VideoSource {
        var source = VideoSource(parsing: video)
        for option in inputOptions {
            guard let equals = option.firstIndex(of: "=") else { continue }
            source.formatOptions[String(option[..<equals])] = String(option[option.index(after: equals)...])
        }
        return source
    }
}
