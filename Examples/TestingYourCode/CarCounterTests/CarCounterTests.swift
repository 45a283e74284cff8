import CarCounter
import Foundation
import InferenceSDK
import InferenceSDKTesting
import Testing

/// The README's "Testing your code" example: application code tested without a server.
@Suite struct CarCounterTests {
    /// A real (tiny) image file: the SDK checks inputs before sending, scripted transport or not.
    static func photo() throws -> String { try TestImages.temporaryFile(TestImages.png()) }

    @Test func countsConfidentCarsAndSendsTheRightRequest() async throws {
        let detections = Detections(image: ImageSize(width: 4, height: 4), predictions: [
            Detection(x: 1, y: 1, width: 2, height: 2, confidence: 0.9, className: "car"),
            Detection(x: 2, y: 2, width: 2, height: 2, confidence: 0.3, className: "car"),
            Detection(x: 3, y: 3, width: 1, height: 1, confidence: 0.8, className: "bus"),
        ])
        let transport = ScriptedTransport(.outputs([WorkflowOutput(fields: ["predictions": .detections(detections)])]))
        let counter = CarCounter(client: try InferenceHTTPClient(configuration: .testing(), transport: transport))

        #expect(try await counter.count(in: try Self.photo()) == 1)

        let request = try #require(transport.requests.first)
        #expect(request.method == "POST" && request.path == "/acme/workflows/count-cars")
        #expect(request.header("Authorization") == "Bearer test-api-key")
        #expect(request.json?["inputs"]?["classes"] == ["car"])
        #expect(request.images("image").count == 1)
    }

    @Test func aBusyServerIsRetriedThenReportedAsNil() async throws {
        let transport = ScriptedTransport(routes: { _ in .status(503, message: "model loading", retryAfter: 0) })
        let counter = CarCounter(client: try InferenceHTTPClient(configuration: .testing(), transport: transport))
        #expect(try await counter.count(in: try Self.photo()) == nil)
        #expect(transport.requests.count == RetryPolicy.default.maxAttempts)
    }

    @Test func aRejectedRequestSurfacesTheServersMessage() async throws {
        let transport = ScriptedTransport(.workflowError(status: 400, message: "unknown class 'car'", errorType: "RuntimeInputError"))
        let counter = CarCounter(client: try InferenceHTTPClient(configuration: .testing(), transport: transport))
        let error = await #expect(throws: InferenceError.self) { _ = try await counter.count(in: try Self.photo()) }
        #expect(error?.kind == .clientError)
        #expect(error?.serverError?.errorType == "RuntimeInputError")
        #expect(error?.serverError?.message == "unknown class 'car'")
        #expect(transport.requests.count == 1, "a 400 is never retried")
    }
}
