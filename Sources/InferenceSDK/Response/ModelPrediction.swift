/// One image's answer from a model (`InferenceHTTPClient.infer(_:model:task:options:)`): typed by its task, the
/// JSON kept.
public struct ModelPrediction: Sendable {
    /// The task that answered.
    public var task: ModelTask
    /// The answer as the server sent it.
    public var raw: JSONValue

    /// Creates a prediction from an answer (for tests and builders).
    public init(task: ModelTask, raw: JSONValue) {
        self.task = task
        self.raw = raw
    }

    /// The detections of a detection, segmentation (with `points`) or keypoint (with `keypoints`) model.
    /// Throws `.invalidResponse` when the answer is not detections (a classification, or malformed).
    public func detections() throws(InferenceError) -> Detections {
        try decode(Detections.self, "detections")
    }

    /// The classes of a classification model (single- or multi-label).
    /// Throws `.invalidResponse` when the answer is not a classification.
    public func classification() throws(InferenceError) -> Classification {
        try decode(Classification.self, "a classification")
    }

    /// Which model answered and how long it took (`inference_id`, `time`, `resolved_model`, …).
    public var model: ModelMetadata {
        (try? raw.decode(as: ModelMetadata.self)) ?? ModelMetadata()
    }

    private func decode<T: Decodable>(_ type: T.Type, _ what: String) throws(InferenceError) -> T {
        do {
            return try raw.decode(as: T.self)
        } catch {
            throw InferenceError(
                .invalidResponse, "the \(task.rawValue) answer is not \(what): \(error.underlying.map { "\($0)" } ?? error.message)",
                underlying: error.underlying)
        }
    }
}

/// The answers of a direct model call: one ``ModelPrediction`` per image, in the order given.
public struct ModelInferenceResult: Sendable {
    /// The model id as requested.
    public var modelID: String
    /// The task that served it (given, or looked up in the server's model registry).
    public var task: ModelTask
    /// One answer per image, in order.
    public var predictions: [ModelPrediction]
    /// The server's `x-request-id` of each request.
    public var requestIDs: [String]
    /// What the server reported in the headers of each answer (processing time, model cold starts, …).
    public var serverMetadata: [ServerMetadata]

    /// A result (for tests and builders).
    public init(
        modelID: String, task: ModelTask, predictions: [ModelPrediction], requestIDs: [String] = [],
        serverMetadata: [ServerMetadata] = []
    ) {
        self.modelID = modelID
        self.task = task
        self.predictions = predictions
        self.requestIDs = requestIDs
        self.serverMetadata = serverMetadata
    }

    /// The answers as a JSON array, as the server sent them.
    public var raw: JSONValue { .array(predictions.map(\.raw)) }
}
