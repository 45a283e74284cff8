import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// The server's timing and model headers on results and errors. A local 1.8.3 server sends only the cold-start
/// pair, so the full set comes from the in-process server (as a hosted server sends them).
@Suite struct ServerMetadataTests {
    static let headers: [(String, String)] = [
        ("x-request-id", "req-7"), ("X-Processing-Time", "0.0425"), ("x-remote-processing-time", "0.01"),
        ("x-model-cold-start", "true"), ("x-model-cold-start-count", "2"), ("x-model-load-time", "1.5"),
        ("x-model-load-details", #"[{"m":"yolov8n-640","t":1.25},{"m":"clip","t":0.25}]"#),
        ("x-model-id", "yolov8n-640, clip"),
    ]

    func client(_ server: TestHTTPServer) throws -> InferenceHTTPClient {
        var configuration = InferenceClientConfiguration(apiURL: server.baseURL, apiKey: nil)
        configuration.retry = .none
        return try InferenceHTTPClient(configuration: configuration)
    }

    @Test func everyHeaderIsReadFromASuccessfulAnswer() async throws {
        let server = try await TestHTTPServer.start { _ in
            TestHTTPServer.json(200, #"{"outputs":[{"n":1}],"profiler_trace":[]}"#, headers: Self.headers)
        }
        defer { Task { await server.shutdown() } }
        let client = try client(server)
        defer { Task { try? await client.shutdown() } }
        let result = try await client.runWorkflow(specification: Fixture.echo, images: ["image": .file(Fixture.swatch)])
        let metadata = try #require(result.metadata)
        #expect(result.serverMetadata.count == 1)
        #expect(metadata.requestID == "req-7")
        #expect(metadata.processingTime == 0.0425)
        #expect(metadata.remoteProcessingTime == 0.01)
        #expect(metadata.modelColdStart == true)
        #expect(metadata.modelColdStartCount == 2)
        #expect(metadata.modelLoadTime == 1.5)
        #expect(metadata.modelLoads == [.init(modelID: "yolov8n-640", loadTime: 1.25), .init(modelID: "clip", loadTime: 0.25)])
        #expect(metadata.modelIDs == ["yolov8n-640", "clip"])
        #expect(!metadata.isEmpty)
        #expect(metadata.summary.contains("processing 42.5 ms"))
        #expect(metadata.summary.contains("cold start yes (2 models)"))
        #expect(metadata.json["model_ids"] == ["yolov8n-640", "clip"])
    }

    @Test func errorsCarryTheHeadersOfTheirAnswer() async throws {
        let server = try await TestHTTPServer.start { _ in
            TestHTTPServer.json(500, #"{"message":"step failed","error_type":"StepExecutionError"}"#, headers: Self.headers)
        }
        defer { Task { await server.shutdown() } }
        let client = try client(server)
        defer { Task { try? await client.shutdown() } }
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixture.echo, images: ["image": .file(Fixture.swatch)])
        }
        #expect(error?.status == 500)
        #expect(error?.serverMetadata?.processingTime == 0.0425)
        #expect(error?.serverMetadata?.modelIDs == ["yolov8n-640", "clip"])
    }

    @Test func malformedValuesAreLeftOut() {
        let metadata = ServerMetadata(headers: [
            (name: "x-processing-time", value: "fast"), (name: "x-model-cold-start", value: "maybe"),
            (name: "x-model-cold-start-count", value: "-1"), (name: "x-model-load-details", value: #"[{"m":"a"}]"#),
            (name: "x-model-load-time", value: "NaN"),
        ])
        #expect(metadata.processingTime == nil)
        #expect(metadata.modelColdStart == nil)
        #expect(metadata.modelColdStartCount == nil)
        #expect(metadata.modelLoadTime == nil)
        #expect(metadata.modelLoads.isEmpty)
        #expect(metadata.rawModelLoadDetails == #"[{"m":"a"}]"#)
    }

    @Test func splitBatchesKeepOneEntryPerRequest() async throws {
        let counter = Counter()
        let server = try await TestHTTPServer.start { _ in
            let n = counter.next()
            return TestHTTPServer.json(200, #"{"outputs":[{"n":\#(n)}],"profiler_trace":[]}"#, headers: [("x-processing-time", "0.\(n)")])
        }
        defer { Task { await server.shutdown() } }
        let client = try client(server)
        defer { Task { try? await client.shutdown() } }
        let result = try await client.runWorkflow(
            specification: Fixture.echo, images: ["image": [.file(Fixture.swatch), .file(Fixture.swatch)]],
            options: .init(maxBatchSize: 1)
        )
        #expect(result.serverMetadata.count == 2)
        #expect(Set(result.serverMetadata.compactMap(\.processingTime)) == [0.1, 0.2])
    }

    @Test(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
    func theRealServerSendsTheColdStartPair() async throws {
        let result = try await RealServer.withClient { client in
            try await client.runWorkflow(specification: Fixture.echo, images: ["image": .file(Fixture.swatch)])
        }
        let metadata = try #require(result.metadata)
        #expect(metadata.modelColdStart == false)
        #expect(metadata.modelColdStartCount == 0)
        #expect(metadata.requestID == result.requestID)
    }
}

/// A thread-safe counter starting at 1.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int { lock.withLock { value += 1; return value } }
}
