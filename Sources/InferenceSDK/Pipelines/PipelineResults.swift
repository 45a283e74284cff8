/// How ``PipelineResults`` polls and when it stops the pipeline.
public struct PipelineConsumeOptions: Sendable {
    /// Output fields the server leaves out of every result (`excluded_fields`), e.g. large images.
    public var excludedFields: [String]
    /// First wait after an empty `consume`. Default 10 ms.
    public var minimumPollInterval: Duration
    /// Longest wait between empty `consume` calls; waits double up to it. Default 250 ms.
    public var maximumPollInterval: Duration
    /// Deadline for one `consume` request. Default 30 s (a wedged manager never answers).
    public var requestTimeout: Duration
    /// Give up when no frame arrives for this long (throws `.timeout`). Default `nil`: wait as long as the pipeline lives.
    public var idleTimeout: Duration?
    /// Terminate the pipeline when consumption stops before the pipeline has ended: the consuming task is
    /// cancelled, the iteration is abandoned (the iterator is released, ``PipelineResults/stop()``),
    /// ``idleTimeout`` passes, or a request fails and the iterator is then released. Default `true`.
    public var terminateWhenStopped: Bool
    /// Read the sources' frame counts from the status report after the first frame, so that frames lost at
    /// the end of a video file are counted (``PipelineConsumptionStatistics/framesLostAtEnd``). Default `true`.
    public var readSourceInfo: Bool

    /// Creates options; every argument has the documented default.
    public init(
        excludedFields: [String] = [], minimumPollInterval: Duration = .milliseconds(10),
        maximumPollInterval: Duration = .milliseconds(250), requestTimeout: Duration = .seconds(30),
        idleTimeout: Duration? = nil, terminateWhenStopped: Bool = true, readSourceInfo: Bool = true
    ) {
        self.excludedFields = excludedFields
        self.minimumPollInterval = minimumPollInterval
        self.maximumPollInterval = max(maximumPollInterval, minimumPollInterval)
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.terminateWhenStopped = terminateWhenStopped
        self.readSourceInfo = readSourceInfo
    }
}

/// A pipeline's results as an `AsyncSequence` of ``PipelineFrame``s; create it with
/// ``InferenceHTTPClient/pipelineResults(_:options:)``.
///
/// - It ends (returns `nil`) when the pipeline ends: the manager forgets a pipeline right after it ends,
///   and `consume` then answers 404.
/// - It throws ``InferenceError``: `.cancelled` when the consuming task is cancelled (after terminating the
///   pipeline), `.timeout` after ``PipelineConsumeOptions/idleTimeout``, and any other request failure.
/// - Iterate it once: all iterators share one consumer.
public struct PipelineResults: AsyncSequence, Sendable {
    /// A frame.
    public typealias Element = PipelineFrame
    /// The error thrown.
    public typealias Failure = InferenceError

    /// The pipeline.
    public let pipelineID: String
    let consumer: PipelineConsumer

    init(client: InferenceHTTPClient, pipelineID: String, options: PipelineConsumeOptions) {
        self.pipelineID = pipelineID
        self.consumer = PipelineConsumer(client: client, pipelineID: pipelineID, options: options)
    }

    /// Counts so far: frames received and dropped, polls, and why consumption ended.
    public var statistics: PipelineConsumptionStatistics {
        get async { await consumer.statistics }
    }

    /// Stops consuming and terminates the pipeline (when ``PipelineConsumeOptions/terminateWhenStopped``);
    /// the sequence then ends.
    public func stop() async {
        await consumer.stop(reason: .stopped)
    }

    /// Creates the iterator.
    public func makeAsyncIterator() -> Iterator { Iterator(consumer: consumer) }

    /// Pulls frames from the shared consumer; releasing it before the end stops the pipeline (per options).
    public final class Iterator: AsyncIteratorProtocol, Sendable {
        let consumer: PipelineConsumer

        init(consumer: PipelineConsumer) { self.consumer = consumer }

        deinit {
            let consumer = self.consumer
            Task { await consumer.abandon() }
        }

        /// The next frame, or `nil` when the pipeline has ended.
        public func next() async throws(InferenceError) -> PipelineFrame? {
            try await consumer.next()
        }

        /// The next frame, or `nil` when the pipeline has ended.
        public func next(isolation actor: isolated (any Actor)?) async throws(InferenceError) -> PipelineFrame? {
            try await consumer.next()
        }
    }
}

/// What a ``PipelineResults`` consumer has seen.
public struct PipelineConsumptionStatistics: Sendable, Equatable {
    /// Why consumption ended.
    public enum End: String, Sendable, Equatable {
        /// The pipeline ended (the server forgot it).
        case pipelineEnded
        /// The consuming task was cancelled.
        case cancelled
        /// ``PipelineResults/stop()`` was called, or the iterator was released early.
        case stopped
        /// No frame within the idle timeout.
        case idleTimeout
        /// A request failed.
        case failed
    }

    /// Frames delivered.
    public var framesReceived = 0
    /// Frames missing between delivered ones (gaps in `frame_id`, per source, including before the first frame).
    public var framesDropped = 0
    /// For file sources whose frame count the status report gave: frames after the last delivered one.
    /// `nil` when unknown (streams, or no status read).
    public var framesLostAtEnd: Int?
    /// `consume` requests sent.
    public var consumeCalls = 0
    /// `consume` requests that found nothing waiting.
    public var emptyPolls = 0
    /// Source id → the last `frame_id` delivered.
    public var lastFrameIDs: [Int: Int] = [:]
    /// Source id → frame count of a file source, from the status report.
    public var totalFrames: [Int: Int] = [:]
    /// Why consumption ended; `nil` while it runs.
    public var end: End?

    /// Creates empty statistics.
    public init() {}
}
