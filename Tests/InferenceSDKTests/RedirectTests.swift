import Testing
@testable import InferenceSDK
import InferenceSDKTesting

/// Redirects are followed by the SDK (transports do not), keeping the key on its origin.
@Suite struct RedirectTests {
    static let ok = TransportResponse(status: 200, body: Array(#"{"outputs":[{"a":1}],"profiler_trace":[]}"#.utf8))

    static func redirecting(_ status: Int, to location: String) -> ScriptedTransport {
        ScriptedTransport { _, index in
            index == 0 ? .success(TransportResponse(status: status, headers: [("Location", location)])) : .success(ok)
        }
    }

    @Test(arguments: [307, 308])
    func sameOriginPostRedirectIsFollowedWithHeadersAndBody(status: Int) async throws {
        let transport = Self.redirecting(status, to: "/v2/workflows/run")
        let client = try InferenceHTTPClient.scripted(transport)
        let result = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        #expect(result.outputs.first?.int("a") == 1)
        #expect(transport.requests.map(\.url) == ["http://127.0.0.1:9/workflows/run", "http://127.0.0.1:9/v2/workflows/run"])
        #expect(transport.requests[1].headers.contains { $0.name == "Authorization" })
        #expect(transport.requests[1].body == transport.requests[0].body)
    }

    @Test func crossOriginRedirectDropsTheAuthorizationHeader() async throws {
        let transport = Self.redirecting(307, to: "http://other.invalid:8080/workflows/run")
        let client = try InferenceHTTPClient.scripted(transport)
        _ = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        #expect(transport.requests.count == 2)
        #expect(!transport.requests[1].headers.contains { $0.name.lowercased() == "authorization" })
    }

    @Test func crossOriginRedirectIsRefusedWhenTheBodyCarriesTheKey() async throws {
        let transport = Self.redirecting(308, to: "https://other.invalid/workflows/run?api_key=abc")
        let client = try InferenceHTTPClient.scripted(transport) { $0.apiKeyPlacement = .body }
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        }
        #expect(transport.requests.count == 1)
        #expect(error?.kind == .invalidConfiguration)
        #expect(error?.description.contains("https://other.invalid/workflows/run?api_key=***") == true)
    }

    @Test(arguments: [301, 302, 303])
    func postRedirectsThatWouldDropTheBodyAreNotFollowed(status: Int) async throws {
        let transport = Self.redirecting(status, to: "/elsewhere")
        let client = try InferenceHTTPClient.scripted(transport)
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        }
        #expect(transport.requests.count == 1)
        #expect(error?.kind == .invalidResponse)
        #expect(error?.status == status)
    }

    @Test func redirectLoopsStop() async throws {
        let transport = ScriptedTransport { _, _ in .success(TransportResponse(status: 307, headers: [("Location", "/again")])) }
        let client = try InferenceHTTPClient.scripted(transport)
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        }
        #expect(transport.requests.count == RedirectMiddleware.maximum + 1)
        #expect(error?.description.contains("more than 5 redirects") == true)
    }

    @Test func aDecodingFailureReportsTheAttemptsMade() async throws {
        let transport = ScriptedTransport { _, index in
            index == 0 ? .success(TransportResponse(status: 503)) : .success(TransportResponse(status: 200, body: Array("not json".utf8)))
        }
        let client = try InferenceHTTPClient.scripted(transport)
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        }
        #expect(error?.kind == .invalidResponse)
        #expect(error?.attempts == 2)
    }
}
