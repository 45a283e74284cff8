/// What an opened video source is.
public struct VideoInfo: Sendable, Equatable {
    /// The source.
    public var source: VideoSource
    /// FFmpeg's name for the container or device (`mov,mp4,m4a,3gp,3g2,mj2`, `avi`, `mpjpeg`, `v4l2`).
    public var container: String
    /// The video codec (`h264`, `mpeg4`, `mjpeg`, …).
    public var codec: String
    /// Frame width in pixels.
    public var width: Int
    /// Frame height in pixels.
    public var height: Int
    /// The declared frame rate (30 when the source declares none).
    public var fps: Double
    /// Frames in the file, when the container says or its duration gives it; `nil` for live sources.
    public var totalFrames: Int?
    /// Whether JPEG frames are sent as they are (MJPEG sources), without decoding and re-encoding.
    public var sendsJPEGAsIs: Bool
}
