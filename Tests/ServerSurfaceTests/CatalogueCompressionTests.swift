import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The block catalogue (~12 MB of JSON) is asked for gzip where the transfer matters: the real server compresses
/// it to ~1.1 MB, and the transport decodes it.
struct CatalogueCompressionTests {
    @Test(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
    func gzipCataloguesFromTheRealServerDecodeToTheSameBlocks() async throws {
        let plain = try await RealServer.withClient({ $0.catalogueCompression = .never }) { try await $0.describeBlocks() }
        let gzip = try await RealServer.withClient({ $0.catalogueCompression = .always }) { try await $0.describeBlocks() }
        #expect(gzip.blocks.count > 100)
        #expect(gzip.blocks.map(\.identifier) == plain.blocks.map(\.identifier))
        #expect(gzip.kinds == plain.kinds)
        #expect(gzip.raw == plain.raw)
        let schema = try await RealServer.withClient({ $0.catalogueCompression = .always }) { try await $0.workflowDefinitionSchema() }
        #expect(schema.definitionSchema != nil)
    }

    @Test func acceptEncodingFollowsTheSettingAndTheServersAddress() async throws {
        let server = try await TestHTTPServer.start { _ in
            TestHTTPServer.json(200, #"{"blocks":[],"declared_kinds":[]}"#)
        }
        defer { Task { await server.shutdown() } }
        for setting in CatalogueCompression.allCases {
            var configuration = InferenceClientConfiguration(apiURL: server.baseURL, apiKey: nil)
            configuration.catalogueCompression = setting
            _ = try await InferenceHTTPClient.withClient(configuration) { try await $0.describeBlocks() }
        }
        // automatic: the server is on 127.0.0.1, where compressing costs more than it saves.
        #expect(server.requests.map { $0.header("accept-encoding") } == ["identity", "gzip", "identity"])
    }

    @Test func aTransportThatDoesNotDecodeIsNeverAskedForGzip() async throws {
        let server = try await TestHTTPServer.start { _ in
            TestHTTPServer.json(200, #"{"blocks":[],"declared_kinds":[]}"#)
        }
        defer { Task { await server.shutdown() } }
        let transport = PlainTransport(inner: AsyncHTTPClientTransport(connectTimeout: .seconds(5)))
        var configuration = InferenceClientConfiguration(apiURL: server.baseURL, apiKey: nil)
        configuration.catalogueCompression = .always
        let client = try InferenceHTTPClient(configuration: configuration, transport: transport)
        _ = try await client.describeBlocks()
        try await transport.shutdown()
        #expect(server.requests.map { $0.header("accept-encoding") } == ["identity"])
    }
}

/// A transport that forwards, declaring (by the protocol's default) that it does not decode compressed answers.
private struct PlainTransport: InferenceTransport {
    let inner: AsyncHTTPClientTransport
    func send(_ request: TransportRequest) async throws -> TransportResponse { try await inner.send(request) }
    func shutdown() async throws { try await inner.shutdown() }
}
