import InMemoryTracing
import InferenceSDKTesting
import Testing
import Tracing
@testable import InferenceSDK

/// Spans with an in-memory tracer (scoped with `withTracer`, so no other test sees it): a run span, a span per
/// attempt with the trace context injected into the request, retries and redirects as events, errors recorded,
/// never the key or image data, and nothing at all without a tracer.
@Suite struct TracingTests {
    static let ok = TransportResponse(status: 200, headers: [("x-request-id", "req-42")], body: Array(#"{"outputs":[{"a":1},{"a":2}]}"#.utf8))
    static let images: [String: ImageInput] = ["image": [.bytes(Fixtures.png), .bytes(Fixtures.png)]]

    /// Every attribute and event attribute of `spans` as text.
    static func texts(_ spans: [FinishedInMemorySpan]) -> [String] {
        var texts: [String] = []
        for span in spans {
            texts.append(span.operationName)
            span.attributes.forEach { name, value in texts.append("\(name)=\(value)") }
            for event in span.events {
                texts.append(event.name)
                event.attributes.forEach { name, value in texts.append("\(name)=\(value)") }
            }
            texts += span.errors.map { "\($0.error)" }
            if let message = span.status?.message { texts.append(message) }
        }
        return texts
    }

    @Test func aRunSpanWithAttemptSpansRetriesAndRedirectsAsEvents() async throws {
        let tracer = InMemoryTracer()
        let transport = ScriptedTransport { request, index in
            switch index {
            case 0: return .success(TransportResponse(status: 503, body: Array(#"{"message":"busy"}"#.utf8)))
            case 1: return .success(TransportResponse(status: 307, headers: [("Location", "/v2/workflows/run?api_key=leak")]))
            default: return .success(Self.ok)
            }
        }
        let client = try InferenceHTTPClient.scripted(transport)
        let result = try await withTracer(tracer) {
            try await client.runWorkflow(specification: Fixtures.spec, images: Self.images)
        }
        #expect(result.outputs.count == 2)
        let spans = tracer.finishedSpans
        let run = try #require(spans.first { $0.operationName == "inference.workflow.run" })
        let attempts = spans.filter { $0.operationName == "POST /workflows/run" }
        #expect(attempts.count == 2, "\(spans.map(\.operationName))")
        #expect(run.kind == .client)
        #expect(run.attributes.get("inference.workflow.target") == .string("inline"))
        #expect(run.attributes.get("inference.batch.size") == .int64(2))
        #expect(run.attributes.get("inference.outputs") == .int64(2))
        #expect(run.attributes.get("server.address") == .string("127.0.0.1"))
        #expect(run.events.map(\.name) == ["retry"])
        #expect(run.events.first?.attributes.get("error.type") == .string("503"))
        // Attempts are the run's children, in the same trace, numbered.
        for attempt in attempts {
            #expect(attempt.traceID == run.traceID && attempt.parentSpanID == run.spanID)
            #expect(attempt.kind == .client)
        }
        #expect(attempts[0].attributes.get("http.response.status_code") == .int64(503))
        #expect(attempts[0].status?.code == .error)
        #expect(attempts[1].attributes.get("http.request.resend_count") == .int64(1))
        #expect(attempts[1].attributes.get("http.response.status_code") == .int64(200))
        #expect(attempts[1].attributes.get("inference.request_id") == .string("req-42"))
        #expect(attempts[1].events.map(\.name) == ["redirect"])
        #expect(attempts[1].events.first?.attributes.get("url.full") == .string("http://127.0.0.1:9/v2/workflows/run"))
        // Each attempt's context reached the server in its request (a W3C tracer writes `traceparent` the same way).
        let sent = transport.requests
        #expect(sent.count == 3)
        for (request, attempt) in zip(sent, [attempts[0], attempts[1], attempts[1]]) {
            let header = request.headers.first { $0.name == InMemoryTracer.spanIDKey }?.value
            #expect(header == attempt.spanID, "\(request.headers.map(\.name))")
            #expect(request.headers.first { $0.name == InMemoryTracer.traceIDKey }?.value == run.traceID)
        }
        // No key, no query string, no image data anywhere in the spans.
        for text in Self.texts(spans) {
            #expect(!text.contains("rf_TEST_KEY_0123456789") && !text.contains("leak") && !text.contains("iVBOR") && text.count < 300, "\(text)")
        }
    }

    @Test func aFailedRunRecordsTheErrorKindAndStatus() async throws {
        let tracer = InMemoryTracer()
        let transport = ScriptedTransport { _, _ in
            .success(TransportResponse(status: 400, body: Array(#"{"message":"bad input rf_TEST_KEY_0123456789","error_type":"RuntimeInputError"}"#.utf8)))
        }
        let client = try InferenceHTTPClient.scripted(transport)
        await #expect(throws: InferenceError.self) {
            try await withTracer(tracer) { try await client.runWorkflow(workspace: "ws", id: "wf", images: Self.images) }
        }
        let run = try #require(tracer.finishedSpans.first { $0.operationName == "inference.workflow.run" })
        #expect(run.attributes.get("inference.workflow.target") == .string("ws/wf"))
        #expect(run.attributes.get("error.type") == .string("clientError"))
        #expect(run.attributes.get("http.response.status_code") == .int64(400))
        #expect(run.status?.code == .error)
        #expect(run.errors.count == 1)
        #expect(tracer.finishedSpans.filter { $0.operationName == "POST /ws/workflows/wf" }.count == 1, "4xx: one attempt")
        for text in Self.texts(tracer.finishedSpans) { #expect(!text.contains("rf_TEST_KEY_0123456789"), "\(text)") }
    }

    /// With no tracer active: no span, no header (the tracer check is the only cost).
    @Test func noTracerNoSpansNoHeaders() async throws {
        let transport = ScriptedTransport { _, _ in .success(Self.ok) }
        let client = try InferenceHTTPClient.scripted(transport)
        #expect(RequestTracing.tracer == nil)
        _ = try await client.runWorkflow(specification: Fixtures.spec, images: Self.images)
        let names = transport.requests[0].headers.map { $0.name.lowercased() }
        #expect(names.sorted() == ["accept", "authorization", "content-type", "user-agent"])
    }
}
