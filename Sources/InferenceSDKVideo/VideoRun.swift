import Foundation
import InferenceSDK

/// The per-frame results of ``InferenceSDK/InferenceHTTPClient/processVideo(_:workflow:imageInput:parameters:options:)``, in
/// frame order. Iterate it once.
///
/// Memory stays flat in the video's length: at most ``VideoProcessingOptions/bufferedFrames`` decoded frames
/// wait, at most ``VideoProcessingOptions/requestsInFlight`` requests are in flight, and results are handed out
/// in order as they complete. Cancelling the iterating task (or dropping the iterator) stops decoding, cancels the
/// requests in flight and releases the source; the iteration then throws `.cancelled`.
///
/// A frame the server rejects is a result with a failure; the iteration throws only when the server cannot be
/// reached (with ``VideoProcessingOptions/stopWhenUnreachable``) or when cancelled.
public struct VideoRun: AsyncSequence, Sendable {
    /// Each element: one frame's result.
    public typealias Element = VideoFrameResult

    /// The opened source.
    public let info: VideoInfo
    let engine: VideoRunEngine

    /// Counters so far (decoded, sent, skipped, dropped, corrupt).
    public var statistics: VideoStatistics { engine.counters.snapshot }

    /// The frame rate of the frames sent: the source's, or `maxFPS` when lower.
    public var processedFPS: Double { engine.maxFPS.map { Swift.min($0, info.fps) } ?? info.fps }

    /// The iterator. A run is iterated once: a second iterator's first ``next()`` throws `.invalidConfiguration`
    /// (the frames and the requests in flight belong to the first), as AsyncHTTPClient does for a response body.
    /// The iterator is not `Sendable`: the iteration's state belongs to the task that iterates.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let iteration: VideoRunIteration?

        /// The next frame's result; `nil` at the end of the source.
        public mutating func next() async throws -> VideoFrameResult? {
            guard let iteration else {
                throw InferenceError(
                    .invalidConfiguration,
                    "this VideoRun is already being iterated: a run is iterated once (call processVideo again for another pass)"
                )
            }
            return try await iteration.next()
        }
    }

    /// Starts iterating.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(iteration: engine.claimIteration()) }
}

/// Cancels a run from any thread: stops the producer and the requests in flight.
final class RunCanceller: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Int: Task<[VideoFrameResult], Never>] = [:]
    private var cancelled = false
    let producer: FrameProducer

    init(producer: FrameProducer) { self.producer = producer }

    func add(_ id: Int, _ task: Task<[VideoFrameResult], Never>) {
        lock.lock()
        let wasCancelled = cancelled
        if !wasCancelled { tasks[id] = task }
        lock.unlock()
        if wasCancelled { task.cancel() }
    }

    func remove(_ id: Int) {
        lock.lock()
        tasks[id] = nil
        lock.unlock()
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let all = tasks.values
        tasks = [:]
        lock.unlock()
        producer.stop()
        for task in all { task.cancel() }
    }
}

/// The sending side of a run: what every request needs, and the parts its tasks share (counters, finished results,
/// completion events, the canceller). Immutable; the iteration's own state is in ``VideoRunIteration``.
final class VideoRunEngine: Sendable {
    let client: InferenceHTTPClient
    let target: WorkflowTarget
    let imageInput: String
    let parameters: [String: JSONValue]
    let runOptions: WorkflowRunOptions
    let window: Int
    let batchSize: Int
    let stopWhenUnreachable: Bool
    let counters: VideoCounters
    let maxFPS: Double?
    let canceller: RunCanceller
    let done = DoneResults()
    let completions: AsyncStream<Int>
    let completed: AsyncStream<Int>.Continuation
    private let claimed = ClaimFlag()

    init(
        client: InferenceHTTPClient, target: WorkflowTarget, imageInput: String, parameters: [String: JSONValue],
        options: VideoProcessingOptions, window: Int, producer: FrameProducer, counters: VideoCounters
    ) {
        self.client = client
        self.target = target
        self.imageInput = imageInput
        self.parameters = parameters
        runOptions = options.runOptions
        self.window = window
        batchSize = options.framesPerRequest
        stopWhenUnreachable = options.stopWhenUnreachable
        self.counters = counters
        maxFPS = options.maxFPS
        canceller = RunCanceller(producer: producer)
        (completions, completed) = AsyncStream.makeStream(of: Int.self)
    }

    deinit { canceller.cancel() }

    /// The iteration's state, for the first iterator only; `nil` for any later one.
    func claimIteration() -> VideoRunIteration? {
        claimed.claim() ? VideoRunIteration(engine: self) : nil
    }

    /// Sends one request for `batch` (id `id`); its results go to ``done`` and its id to ``completions``.
    func start(_ batch: [EncodedFrame], id: Int) {
        counters.update { $0.sent += batch.count }
        let images = batch.map { ImageInput.image(WorkflowImage(.encoded($0.jpeg), videoMetadata: $0.metadata)) }
        let input: ImageInput = images.count == 1 ? images[0] : .batch(images)
        let described = batch.map { (number: $0.number, timestamp: $0.timestamp, width: $0.width, height: $0.height) }
        let (client, target, imageInput, parameters, runOptions) = (self.client, self.target, self.imageInput, self.parameters, self.runOptions)
        let (done, completed) = (self.done, self.completed)
        let task = Task<[VideoFrameResult], Never> {
            let outcome: Result<[WorkflowOutput], InferenceError>
            do throws(InferenceError) {
                let result = try await client.run(target, images: [imageInput: input], parameters: parameters, options: runOptions)
                if result.outputs.count == described.count {
                    outcome = .success(result.outputs)
                } else {
                    outcome = .failure(InferenceError(
                        .invalidResponse, "the server returned \(result.outputs.count) outputs for \(described.count) frames"))
                }
            } catch {
                outcome = .failure(error)
            }
            let results = described.enumerated().map { index, frame in
                VideoFrameResult(
                    frameNumber: frame.number, timestamp: frame.timestamp, width: frame.width, height: frame.height,
                    result: outcome.map { $0[index] }
                )
            }
            done.put(id, results)
            completed.yield(id)
            return results
        }
        canceller.add(id, task)
    }
}

/// One iteration of a run: the frames read, the window of requests in flight, the results handed out in order.
/// Not `Sendable`: it belongs to the task that iterates (the only one that may call ``next()``). Dropping it stops
/// the run.
final class VideoRunIteration {
    private let engine: VideoRunEngine
    private var frames: AsyncStream<EncodedFrame>.Iterator
    private var completionEvents: AsyncStream<Int>.Iterator
    /// Requests whose results are not handed out yet (running, or done and waiting for an earlier one): ids
    /// `nextToEmit ..< nextID`. At most `window` run at once and at most `window` done ones wait (the reorder buffer).
    private var running = 0
    private var nextToEmit = 0
    private var nextID = 0
    private var ready: [VideoFrameResult] = []
    private var readyIndex = 0
    private var framesEnded = false
    private var finished = false

    init(engine: VideoRunEngine) {
        self.engine = engine
        frames = engine.canceller.producer.frames.makeAsyncIterator()
        completionEvents = engine.completions.makeAsyncIterator()
    }

    deinit { engine.canceller.cancel() }

    func next() async throws -> VideoFrameResult? {
        if readyIndex < ready.count {
            defer { readyIndex += 1 }
            return ready[readyIndex]
        }
        if finished { return nil }
        let window = engine.window
        while true {
            try checkCancelled()
            // Keep `window` requests running (a slow request does not stall the others), the reorder buffer bounded.
            while running < window && nextID - nextToEmit < 2 * window && !framesEnded {
                var batch: [EncodedFrame] = []
                while batch.count < engine.batchSize {
                    engine.canceller.producer.request()
                    guard let frame = await frames.next() else {
                        framesEnded = true
                        break
                    }
                    batch.append(frame)
                }
                try checkCancelled()
                guard !batch.isEmpty else { break }
                engine.start(batch, id: nextID)
                nextID += 1
                running += 1
            }
            // The end: no frame is left and every request's results are handed out. (`running` counts completions
            // not yet seen, so it can still be `window` while all results are out; then the frames are not over —
            // the wait below takes those completions and the loop starts the next requests.)
            if nextToEmit == nextID && framesEnded {
                finished = true
                engine.canceller.cancel()
                return nil
            }
            if let results = engine.done.take(nextToEmit) {
                engine.canceller.remove(nextToEmit)
                nextToEmit += 1
                if engine.stopWhenUnreachable,
                   let fatal = results.lazy.compactMap({ $0.failure }).first(where: { $0.kind == .connectionFailed }) {
                    finished = true
                    engine.canceller.cancel()
                    throw fatal
                }
                ready = results
                readyIndex = 1
                return results.first
            }
            // Wait for any request to finish (cancellation ends the wait).
            guard await completionEvents.next() != nil else { continue }
            running -= 1
        }
    }

    private func checkCancelled() throws(InferenceError) {
        if Task.isCancelled {
            finished = true
            engine.canceller.cancel()
            throw InferenceError(.cancelled, "video processing was cancelled")
        }
    }
}

/// Set once, by the first to ask.
final class ClaimFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    /// `true` for the first call only.
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}

/// Results of finished requests by id, until handed out in order.
final class DoneResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: [VideoFrameResult]] = [:]

    func put(_ id: Int, _ value: [VideoFrameResult]) {
        lock.lock()
        results[id] = value
        lock.unlock()
    }

    func take(_ id: Int) -> [VideoFrameResult]? {
        lock.lock()
        defer { lock.unlock() }
        return results.removeValue(forKey: id)
    }
}

extension VideoFrameResult {
    var failure: InferenceError? {
        if case .failure(let error) = result { return error }
        return nil
    }
}
