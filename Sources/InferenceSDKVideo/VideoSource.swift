import Foundation

/// Where video frames come from: a file, a network stream or a camera.
public struct VideoSource: Sendable, Equatable, CustomStringConvertible {
    /// The kind of source.
    public enum Kind: String, Sendable, Equatable {
        /// A file in any container FFmpeg reads (MP4, AVI, MKV, WebM, …); never drops frames.
        case file
        /// A network stream (`rtsp://`, `http(s)://` MJPEG or HLS, …); live.
        case stream
        /// A V4L2 camera (`/dev/video0`); live.
        case device
    }

    /// The kind of source.
    public var kind: Kind
    /// The path, URL or device path.
    public var location: String
    /// Extra FFmpeg demuxer options (`rtsp_transport=tcp`, `input_format=mjpeg`, `video_size=1280x720`, …).
    public var formatOptions: [String: String]

    /// Creates a source.
    public init(kind: Kind, location: String, formatOptions: [String: String] = [:]) {
        self.kind = kind
        self.location = location
        self.formatOptions = formatOptions
    }

    /// A video file.
    public static func file(_ path: String) -> VideoSource { VideoSource(kind: .file, location: path) }
    /// A network stream URL.
    public static func stream(_ url: String, options: [String: String] = [:]) -> VideoSource {
        VideoSource(kind: .stream, location: url, formatOptions: options)
    }
    /// A V4L2 device such as `/dev/video0`.
    public static func device(_ path: String, options: [String: String] = [:]) -> VideoSource {
        VideoSource(kind: .device, location: path, formatOptions: options)
    }

    /// Reads a command-line argument: `/dev/video*` is a device, `scheme://…` a stream (`file://` a file),
    /// anything else a file path.
    public init(parsing text: String) {
        if text.hasPrefix("/dev/video") {
            self = .device(text)
        } else if text.lowercased().hasPrefix("file://") {
            self = .file(URL(string: text)?.path ?? String(text.dropFirst(7)))
        } else if text.contains("://") {
            self = .stream(text)
        } else {
            self = .file(text)
        }
    }

    /// Whether frames arrive in real time (streams, cameras): such a source drops what cannot be kept up with.
    public var isLive: Bool { kind != .file }

    /// The location, with any password in a URL masked.
    public var description: String {
        guard kind == .stream, var components = URLComponents(string: location), components.password != nil else { return location }
        components.password = "***"
        return components.string ?? location
    }
}
