import InferenceSDK

/// Example application code that calls the SDK: counts the cars a saved workflow finds in a photo.
/// `Examples/TestingYourCode/CarCounterTests` tests it without a server, with `InferenceSDKTesting`.
public struct CarCounter: Sendable {
    /// The client; in tests, one built on a `ScriptedTransport`.
    public let client: InferenceHTTPClient
    /// Detections below this confidence are not counted.
    public var minimumConfidence: Double

    /// Creates a counter.
    public init(client: InferenceHTTPClient, minimumConfidence: Double = 0.5) {
        self.client = client
        self.minimumConfidence = minimumConfidence
    }

    /// The number of cars in the photo at `path`, or `nil` when the server is busy (HTTP 503 after retries).
    public func count(in path: String) async throws(InferenceError) -> Int? {
        do throws(InferenceError) {
            let result = try await client.runWorkflow(
                workspace: "acme", id: "count-cars", images: ["image": .file(path)], parameters: ["classes": ["car"]])
            let predictions = try result.outputs.first?.detections("predictions")?.predictions ?? []
            return predictions.filter { $0.className == "car" && ($0.confidence ?? 0) >= minimumConfidence }.count
        } catch {
            if error.status == 503 { return nil }
            throw error
        }
    }
}
