import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small in-process HTTP/1.1 server on 127.0.0.1 (port 0) for what the real inference server cannot do on
/// demand: faults (resets, stalls, dribbled or truncated bodies, 429/5xx) and routes that need Roboflow's cloud.
/// Every request is recorded.
public final class TestHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var uri: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        }
    }

    public enum Action: Sendable {
        /// A complete response.
        case respond(status: Int, headers: [(String, String)] = [], body: [UInt8] = [])
        /// Wait, then do the next action.
        indirect case delay(Duration, then: Action)
        /// Close the connection without answering (RST when `reset`).
        case close(reset: Bool)
        /// Send headers announcing `declaredLength` bytes, send `body` (shorter), then close.
        case truncated(status: Int, declaredLength: Int, body: [UInt8])
        /// Send the body in `chunkSize` pieces with `interval` between them.
        case dribble(status: Int, body: [UInt8], chunkSize: Int, interval: Duration)
        /// Send headers announcing `declaredLength` bytes, send `body` (shorter), then reset the connection (RST).
        case truncatedReset(status: Int, declaredLength: Int, body: [UInt8])
    }

    public typealias Handler = @Sendable (Request) async -> Action

    private let channel: any Channel
    private let handler: Handler
    private let log = NIOLockedValueBox<[Request]>([])
    private let connections = NIOLockedValueBox(0)
    private let closed = NIOLockedValueBox(0)
    public let port: Int

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    public var connectionCount: Int { connections.withLockedValue { $0 } }

    /// Connections that have ended (closed by either side) so far.
    public var closedConnectionCount: Int { closed.withLockedValue { $0 } }

    /// Everything received so far.
    public var requests: [Request] { log.withLockedValue { $0 } }

    private init(channel: any Channel, port: Int, handler: @escaping Handler) {
        self.channel = channel
        self.port = port
        self.handler = handler
    }

    public static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> Action {
        .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }

    public static func start(handler: @escaping Handler) async throws -> TestHTTPServer {
        let serverChannel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        let port = serverChannel.channel.localAddress?.port ?? 0
        let server = TestHTTPServer(channel: serverChannel.channel, port: port, handler: handler)
        Task {
            try? await serverChannel.executeThenClose { connections in
                await withDiscardingTaskGroup { group in
                    do {
                        for try await connection in connections {
                            group.addTask { await server.serve(connection) }
                        }
                    } catch {}
                }
            }
        }
        return server
    }

    public func shutdown() async {
        try? await channel.close()
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        connections.withLockedValue { $0 += 1 }
        defer { closed.withLockedValue { $0 += 1 } }
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let h):
                    head = h
                    body = []
                case .body(let buffer):
                    body.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard let h = head else { continue }
                    let request = Request(
                        method: h.method.rawValue, uri: h.uri, headers: h.headers.map { ($0.name, $0.value) }, body: body
                    )
                    log.withLockedValue { $0.append(request) }
                    let action = await handler(request)
                    let keepOpen = try await perform(action, outbound: outbound, channel: connection.channel)
                    if !keepOpen { return }
                }
            }
        }
    }

    /// Returns whether the connection stays open.
    private func perform(
        _ action: Action, outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>, channel: any Channel
    ) async throws -> Bool {
        switch action {
        case .respond(let status, let headers, let body):
            var h = HTTPHeaders(headers)
            h.replaceOrAdd(name: "Content-Length", value: String(body.count))
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: h)))
            if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            return true
        case .delay(let duration, let next):
            try await Task.sleep(for: duration)
            return try await perform(next, outbound: outbound, channel: channel)
        case .close(let reset):
            if reset {
                if let provider = channel as? any SocketOptionProvider {
                    try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
                }
            }
            try? await channel.close()
            return false
        case .truncated(let status, let declared, let body):
            let h = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(declared))])
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: h)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            try? await channel.close()
            return false
        case .truncatedReset(let status, let declared, let body):
            let h = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(declared))])
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: h)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            if let provider = channel as? any SocketOptionProvider {
                try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            }
            try? await channel.close()
            return false
        case .dribble(let status, let body, let chunkSize, let interval):
            let h = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(body.count))])
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: h)))
            var offset = 0
            while offset < body.count {
                let end = min(offset + max(1, chunkSize), body.count)
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body[offset..<end]))))
                offset = end
                if offset < body.count { try await Task.sleep(for: interval) }
            }
            try await outbound.write(.end(nil))
            return true
        }
    }
}
