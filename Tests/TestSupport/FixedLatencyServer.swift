import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An in-process HTTP/1.1 server on 127.0.0.1 (port 0) that answers every request after a fixed latency (or a cycle of
/// them), with every `errorEvery`-th answer a 500: what a load test (`rfclient bench`) is checked against. The latency is timed
/// on the server's own NIO event loop thread (not with `Task.sleep`, not on the shared singleton group: a parallel
/// test run can keep Swift's cooperative pool and the shared loops busy for seconds). Every request is counted, and
/// the time each answer really took on the server (request end → answer flushed) is recorded.
public final class FixedLatencyServer: Sendable {
    /// The listening port.
    public let port: Int
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup
    private let counter: NIOLockedValueBox<Int>
    private let served: NIOLockedValueBox<[Duration]>

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Requests answered or being answered so far.
    public var requestCount: Int { counter.withLockedValue { $0 } }

    /// How long each answer took on the server, from the end of its request to the answer being flushed, sorted.
    public var servedLatencies: [Duration] { served.withLockedValue { $0 }.sorted() }

    /// The same, in the order the answers were sent (a load test's warm-up answers come first).
    public var servedInOrder: [Duration] { served.withLockedValue { $0 } }

    /// The `percentile` (0–100) of ``servedLatencies`` (nearest rank); `nil` before any answer.
    public func servedPercentile(_ percentile: Double) -> Duration? {
        Self.percentile(percentile, of: servedLatencies)
    }

    /// The `percentile` (0–100) of `durations` (nearest rank); `nil` when empty.
    public static func percentile(_ percentile: Double, of durations: [Duration]) -> Duration? {
        let all = durations.sorted()
        guard !all.isEmpty else { return nil }
        let rank = Int((percentile / 100 * Double(all.count)).rounded(.up))
        return all[min(all.count - 1, max(0, rank - 1))]
    }

    private init(port: Int, channel: any Channel, group: MultiThreadedEventLoopGroup, counter: NIOLockedValueBox<Int>, served: NIOLockedValueBox<[Duration]>) {
        self.port = port
        self.channel = channel
        self.group = group
        self.counter = counter
        self.served = served
    }

    /// Starts a server whose answers take `latency` and carry `headers`; request n (from 1) gets `errorBody` with
    /// status 500 when `errorEvery > 0` and n is a multiple of it, else `body` with status 200 (both JSON).
    public static func start(
        latency: Duration, errorEvery: Int = 0, headers: [(String, String)] = [],
        body: String = #"{"outputs":[{"ok":true}],"profiler_trace":[]}"#,
        errorBody: String = #"{"message":"step failed","error_type":"StepExecutionError"}"#
    ) async throws -> FixedLatencyServer {
        try await start(latencies: [latency], errorEvery: errorEvery, headers: headers, body: body, errorBody: errorBody)
    }

    /// Starts a server whose n-th answer (from 1) takes `latencies[(n - 1) % latencies.count]`. With
    /// `measuredHeader`, every answer carries the time the server measured for it (request end → answer written, in
    /// seconds) under that name, e.g. `x-processing-time`: what the server measured, request by request.
    public static func start(
        latencies: [Duration], errorEvery: Int = 0, headers: [(String, String)] = [], measuredHeader: String? = nil,
        body: String = #"{"outputs":[{"ok":true}],"profiler_trace":[]}"#,
        errorBody: String = #"{"message":"step failed","error_type":"StepExecutionError"}"#
    ) async throws -> FixedLatencyServer {
        let counter = NIOLockedValueBox(0)
        let served = NIOLockedValueBox<[Duration]>([])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let answer = Answer(
            latencies: latencies.map { .nanoseconds(Int64($0.components.seconds) * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000) },
            errorEvery: errorEvery, headers: headers, measuredHeader: measuredHeader, body: Array(body.utf8),
            errorBody: Array(errorBody.utf8), counter: counter, served: served
        )
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(LatencyHandler(answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FixedLatencyServer(port: channel.localAddress?.port ?? 0, channel: channel, group: group, counter: counter, served: served)
    }

    /// Stops listening and stops the server's thread.
    public func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    struct Answer: Sendable {
        let latencies: [TimeAmount]
        let errorEvery: Int
        let headers: [(String, String)]
        let measuredHeader: String?
        let body: [UInt8]
        let errorBody: [UInt8]
        let counter: NIOLockedValueBox<Int>
        let served: NIOLockedValueBox<[Duration]>
    }

    final class LatencyHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let answer: Answer

        init(answer: Answer) { self.answer = answer }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let n = answer.counter.withLockedValue { count in
                count += 1
                return count
            }
            let failed = answer.errorEvery > 0 && n % answer.errorEvery == 0
            let body = failed ? answer.errorBody : answer.body
            var headers = HTTPHeaders(answer.headers)
            headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
            let status: HTTPResponseStatus = failed ? .internalServerError : .ok
            let bound = NIOLoopBound((context, self), eventLoop: context.eventLoop)
            let received = ContinuousClock.now
            let served = answer.served
            let measuredHeader = answer.measuredHeader
            let latency = answer.latencies.isEmpty ? .zero : answer.latencies[(n - 1) % answer.latencies.count]
            let fixedHeaders = headers
            context.eventLoop.scheduleTask(in: latency) {
                let (context, handler) = bound.value
                let took = ContinuousClock.now - received
                var headers = fixedHeaders
                if let measuredHeader {
                    let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
                    headers.replaceOrAdd(name: measuredHeader, value: String(seconds))
                }
                let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
                context.write(handler.wrapOutboundOut(.head(head)), promise: nil)
                context.write(handler.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
                served.withLockedValue { $0.append(took) }
            }
        }
    }
}
