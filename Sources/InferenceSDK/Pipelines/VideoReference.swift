/// What a server-side video pipeline reads: one video source or a list of them (one pipeline, several
/// sources, each with its own `source_id` in the results, in list order).
///
/// Paths and URLs are opened **by the server**, on the server's machine. The server (1.8.3) accepts a camera
/// index, a URL with a supported scheme (`rtsp`, `rtsps`, `http`, `https`, `rtmp`, `udp`, `srt`, `tcp`,
/// `file`, …) and a host, or an *explicit* file path (`/abs/video.mp4`, `./video.mp4`, `../video.mp4`); it
/// refuses bare names (`video.mp4`) and raw GStreamer syntax with HTTP 422. ``validate()`` applies the same
/// rules before anything is sent.
public struct VideoReference: Sendable, Hashable, CustomStringConvertible {
    /// One video source.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// A video file on the server's machine: absolute, or explicitly relative (`./x.mp4`).
        case file(String)
        /// A stream or remote video by URL (`rtsp://…`, `http://…/stream.mjpg`).
        case url(String)
        /// A camera attached to the server, by index.
        case camera(Int)

        /// The JSON the server expects: a string or an integer.
        public var json: JSONValue {
            switch self {
            case .file(let path): return .string(path)
            case .url(let url): return .string(url)
            case .camera(let index): return .int(index)
            }
        }

        /// The path, URL or camera index as text.
        public var description: String {
            switch self {
            case .file(let path): return path
            case .url(let url): return url
            case .camera(let index): return "camera \(index)"
            }
        }
    }

    /// The sources, in order.
    public let sources: [Source]
    /// Whether the reference is sent as a JSON list (true for ``list(_:)``, even with one element).
    public let isList: Bool

    /// A video file on the server's machine.
    public static func file(_ path: String) -> VideoReference { VideoReference(sources: [.file(path)], isList: false) }
    /// A stream or remote video by URL.
    public static func url(_ url: String) -> VideoReference { VideoReference(sources: [.url(url)], isList: false) }
    /// A camera attached to the server.
    public static func camera(_ index: Int) -> VideoReference { VideoReference(sources: [.camera(index)], isList: false) }
    /// Several sources processed by one pipeline.
    public static func list(_ sources: [Source]) -> VideoReference { VideoReference(sources: sources, isList: true) }

    /// A single source.
    public init(_ source: Source) {
        self.init(sources: [source], isList: false)
    }

    /// Reads a reference written on a command line: digits are a camera index, text with `://` a URL,
    /// anything else a file path.
    public init(parsing text: String) {
        self.init(sources: [Self.source(parsing: text)], isList: false)
    }

    /// One source from command-line text (see ``init(parsing:)``).
    public static func source(parsing text: String) -> Source {
        if !text.isEmpty, text.allSatisfy(\.isASCII), let index = Int(text), index >= 0 { return .camera(index) }
        if text.contains("://") { return .url(text) }
        return .file(text)
    }

    init(sources: [Source], isList: Bool) {
        self.sources = sources
        self.isList = isList
    }

    /// The `video_reference` value: a scalar for one source, a list otherwise.
    public var json: JSONValue {
        if !isList, sources.count == 1, let only = sources.first { return only.json }
        return .array(sources.map(\.json))
    }

    /// The sources separated by commas.
    public var description: String { sources.map(\.description).joined(separator: ", ") }

    /// Applies the server's rules for video references; throws `.invalidInput` naming the bad source.
    public func validate() throws(InferenceError) {
        guard !sources.isEmpty else {
            throw InferenceError(.invalidInput, "the video reference lists no source", input: "video_reference")
        }
        for source in sources {
            switch source {
            case .camera(let index):
                guard index >= 0 else {
                    throw InferenceError(.invalidInput, "camera index \(index) is negative", input: "video_reference")
                }
            case .url(let url):
                try Self.checkText(url)
                guard let schemeEnd = url.range(of: "://") else {
                    throw InferenceError(.invalidInput, "'\(Redactor.maskQueryKey(url))' is not a URL (no scheme://)", input: "video_reference")
                }
                let scheme = url[..<schemeEnd.lowerBound].lowercased()
                guard Self.supportedSchemes.contains(scheme) else {
                    throw InferenceError(
                        .invalidInput,
                        "the server does not open '\(scheme)://' video URLs (supported: \(Self.supportedSchemes.sorted().joined(separator: ", ")))",
                        input: "video_reference"
                    )
                }
                let rest = url[schemeEnd.upperBound...]
                if scheme != "file", rest.isEmpty || rest.hasPrefix("/") {
                    throw InferenceError(.invalidInput, "the video URL '\(Redactor.maskQueryKey(url))' has no host", input: "video_reference")
                }
                if url.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" }) {
                    throw InferenceError(.invalidInput, "the video URL contains spaces or quotes: percent-encode them", input: "video_reference")
                }
            case .file(let path):
                try Self.checkText(path)
                let explicit = ["/", "./", "../"].contains { path.hasPrefix($0) }
                guard explicit else {
                    throw InferenceError(
                        .invalidInput,
                        "the server opens only absolute or explicitly relative video paths: '\(path)' would be refused; "
                            + "use /absolute/\(path) or ./\(path) (relative to the server's working directory)",
                        input: "video_reference"
                    )
                }
                if path.contains(where: { $0 == "!" || $0 == "=" || $0 == "\"" || $0 == "'" }) {
                    throw InferenceError(
                        .invalidInput, "the server refuses video paths containing ! = or quotes (GStreamer syntax): '\(path)'",
                        input: "video_reference"
                    )
                }
            }
        }
    }

    /// URL schemes the 1.8.3 server opens.
    public static let supportedSchemes: Set<String> = [
        "http", "https", "rtsp", "rtsps", "rtspt", "rtspst", "rtmp", "rtmps", "udp", "srt", "rtp", "tcp", "file", "csi",
    ]

    private static func checkText(_ text: String) throws(InferenceError) {
        if text.isEmpty { throw InferenceError(.invalidInput, "a video source is empty", input: "video_reference") }
        if text.unicodeScalars.contains(where: { $0.value < 32 }) {
            throw InferenceError(.invalidInput, "a video source contains control characters", input: "video_reference")
        }
    }
}
