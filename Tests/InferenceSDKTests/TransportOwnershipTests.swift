import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// Who shuts a transport down: a client only the one it created; an injected transport is its caller's, so
/// clients can share one (AsyncHTTPClient's rule: whoever creates it shuts it down).
@Suite struct TransportOwnershipTests {
    static let answer = #"{"outputs":[{"n":7}],"profiler_trace":[]}"#

    /// Two clients share one real AsyncHTTPClient transport: shutting one client down leaves the other working
    /// (it used to shut the shared `HTTPClient` down, and the other client's next request failed).
    @Test func clientsSharingAnInjectedTransportOutliveEachOthersShutdown() async throws {
        let server = try await TestHTTPServer.start { _ in TestHTTPServer.json(200, Self.answer) }
        defer { Task { await server.shutdown() } }
        let shared = AsyncHTTPClientTransport(connectTimeout: .seconds(5))
        var configuration = InferenceClientConfiguration(apiURL: server.baseURL, apiKey: nil)
        configuration.retry = .none
        let first = try InferenceHTTPClient(configuration: configuration, transport: shared)
        let second = try InferenceHTTPClient(configuration: configuration, transport: shared)
        #expect(try await first.runWorkflow(specification: Fixtures.spec).outputs.first?.int("n") == 7)
        try await first.shutdown()
        #expect(try await second.runWorkflow(specification: Fixtures.spec).outputs.first?.int("n") == 7)
        try await second.shutdown()
        // Still the owner's after every client is shut down.
        let third = try InferenceHTTPClient(configuration: configuration, transport: shared)
        #expect(try await third.runWorkflow(specification: Fixtures.spec).outputs.first?.int("n") == 7)
        #expect(server.closedConnectionCount == 0)
        try await shared.shutdown()
        #expect(server.requests.count == 3)
        #expect(await eventually(timeout: .seconds(10), every: .milliseconds(20)) { server.closedConnectionCount == server.connectionCount })
    }

    /// The transport a client makes for itself is the client's to close: its pooled connection ends at `shutdown()`.
    @Test func aClientShutsDownTheTransportItCreated() async throws {
        let server = try await TestHTTPServer.start { _ in TestHTTPServer.json(200, Self.answer) }
        defer { Task { await server.shutdown() } }
        let client = try InferenceHTTPClient(configuration: .init(apiURL: server.baseURL, apiKey: nil))
        _ = try await client.runWorkflow(specification: Fixtures.spec)
        #expect(server.connectionCount == 1)
        #expect(server.closedConnectionCount == 0)
        try await client.shutdown()
        #expect(await eventually(timeout: .seconds(10), every: .milliseconds(20)) { server.closedConnectionCount == 1 })
    }
}
