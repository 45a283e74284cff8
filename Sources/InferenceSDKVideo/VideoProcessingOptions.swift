import InferenceSDK

/// How ``InferenceSDK/InferenceHTTPClient/processVideo(_:workflow:imageInput:parameters:options:)`` reads and sends frames.
public struct VideoProcessingOptions: Sendable {
    /// At most this many frames per second go to the server. On a file, frames are subsampled by their number
    /// (a 30 fps file at 10 gives frames 1, 4, 7, …, numbered as in the source); on a live source, frames are
    /// paced by the clock. `nil`: every frame.
    public var maxFPS: Double?
    /// Requests in flight at once (each carries ``framesPerRequest`` frames). `nil`: 4 for a server on this
    /// machine, 8 for a remote one.
    public var requestsInFlight: Int?
    /// Consecutive frames sent as one batch request (the workflow runs once over the batch).
    public var framesPerRequest: Int
    /// JPEG quality (1...100) for frames that are encoded here; JPEG frames of MJPEG sources are sent as they are.
    public var jpegQuality: Int
    /// Frames waiting to be sent, at most. A file waits for room (never drops; two more decoded frames may wait for
    /// the JPEG encoder); a live source keeps the newest decoded frames, drops the oldest waiting one, which bounds
    /// latency, and JPEG-encodes a frame only when it is about to be sent.
    public var bufferedFrames: Int
    /// Treat the source as live (drop-oldest) or as a file (every frame). `nil`: streams and cameras are live.
    public var live: Bool?
    /// Only frames whose 1-based number this returns `true` for are sent (others are decoded and skipped), e.g. to
    /// resume a run. Files only. `nil`: every frame (subject to ``maxFPS``).
    public var frameFilter: (@Sendable (Int) -> Bool)?
    /// End the sequence with the error when the server cannot be reached (after retries) instead of failing every
    /// remaining frame. Default `true`.
    public var stopWhenUnreachable: Bool
    /// Run options sent with every request (excluded fields, version, cache, …).
    public var runOptions: WorkflowRunOptions
    /// Time allowed for opening a stream or camera and for its first frame. Default 20 s.
    public var openTimeout: Duration
    /// For a live source (stream or camera): when it ends or fails after it opened, open it again — waiting 0.5 s,
    /// 1 s, 2 s … (at most 8 s) between attempts, each allowed ``openTimeout`` — and go on numbering frames from where
    /// it stopped, until the run is cancelled (`statistics.reconnects` counts them). A camera that vanishes without
    /// closing its connection is noticed only with a socket timeout among the source's options (RTSP: `timeout`, in
    /// microseconds). Default `false`: the run ends with the stream.
    public var reconnect: Bool
    /// Open, decode and JPEG-encode frames on threads under Linux's `SCHED_IDLE`: they use only CPU that no ordinary
    /// thread wants, and give way at once to one that wakes up. For a workflow server on this machine, whose request
    /// path is mostly one Python thread: decoding then takes less of the server's speed (BENCHMARKS.md V1). The rest
    /// of the process (HTTP, results) keeps its priority; `rfclient process-video` moves its whole process, which gains
    /// more. Not for a machine busy with other work — frames then wait for it — nor usually for a live source, which
    /// must be read as it comes. Default `false`.
    public var backgroundDecoding: Bool

    /// Creates options; every argument has the documented default.
    public init(
        maxFPS: Double? = nil, requestsInFlight: Int? = nil, framesPerRequest: Int = 1, jpegQuality: Int = 95,
        bufferedFrames: Int = 8, live: Bool? = nil, frameFilter: (@Sendable (Int) -> Bool)? = nil, stopWhenUnreachable: Bool = true,
        runOptions: WorkflowRunOptions = WorkflowRunOptions(), openTimeout: Duration = .seconds(20), reconnect: Bool = false,
        backgroundDecoding: Bool = false
    ) {
        self.maxFPS = maxFPS
        self.requestsInFlight = requestsInFlight
        self.framesPerRequest = framesPerRequest
        self.jpegQuality = jpegQuality
        self.bufferedFrames = bufferedFrames
        self.live = live
        self.frameFilter = frameFilter
        self.stopWhenUnreachable = stopWhenUnreachable
        self.runOptions = runOptions
        self.openTimeout = openTimeout
        self.reconnect = reconnect
        self.backgroundDecoding = backgroundDecoding
    }

    /// Whether `source` is read as a live one under these options (``live``, or streams and cameras when `nil`).
    package func isLive(_ source: VideoSource) -> Bool { live ?? source.isLive }

    func validate() throws(InferenceError) {
        if let maxFPS, !(maxFPS > 0) { throw InferenceError(.invalidConfiguration, "maxFPS must be positive, got \(maxFPS)") }
        if let requestsInFlight, requestsInFlight < 1 { throw InferenceError(.invalidConfiguration, "requestsInFlight must be at least 1") }
        if framesPerRequest < 1 { throw InferenceError(.invalidConfiguration, "framesPerRequest must be at least 1") }
        if !(1...100).contains(jpegQuality) { throw InferenceError(.invalidConfiguration, "jpegQuality must be 1...100, got \(jpegQuality)") }
        if bufferedFrames < 1 { throw InferenceError(.invalidConfiguration, "bufferedFrames must be at least 1") }
    }
}

/// Which frame numbers of a file are kept at `maxFPS`: frame n is kept when ⌊(n−1)·maxFPS/fps⌋ moves on.
enum FrameSubsampling {
    static func keeps(_ number: Int, fps: Double, maxFPS: Double?) -> Bool {
        guard let maxFPS, maxFPS < fps, number > 1 else { return true }
        let ratio = maxFPS / fps
        return (Double(number - 1) * ratio + 1e-9).rounded(.down) > (Double(number - 2) * ratio + 1e-9).rounded(.down)
    }
}
