import Foundation
import NIOCore

/// Calling a model directly, without a workflow: the server's `/infer/{task}` routes (self-hosted servers), as the
/// Python SDK's `client.infer(image, model_id=…)` does.
extension InferenceHTTPClient {
    /// Runs `model` on `images`: `POST /infer/{task}`, one request (or one per ``ModelInferenceOptions/maxBatchSize``
    /// images, sent concurrently), answers in the order of the images.
    ///
    /// ```swift
    /// let result = try await client.infer([.file("street.jpg")], model: "yolov8n-640", options: .init(confidence: 0.5))
    /// for box in try result.predictions[0].detections().predictions { print(box.className ?? "?", box.confidence ?? 0) }
    /// ```
    ///
    /// - Parameters:
    ///   - images: the images, any kind (``WorkflowImage``).
    ///   - model: a model id (`project/version`) or a public alias (`yolov8n-640`).
    ///   - task: the model's task; `nil` looks it up in the server's model registry (`GET /model/registry`, loading
    ///     the model with `POST /model/add` when it is not loaded, as the Python SDK does; a public alias such as
    ///     `yolov8n-640` is found under its canonical id), once per model and client.
    ///   - options: confidence, IoU threshold, class filter, … (``ModelInferenceOptions``).
    /// - Throws: ``InferenceError``: `.invalidInput` before sending (no image, an empty model id, an option out of
    ///   range, an unreadable image); the server's error, typed (`.clientError` for an unknown model, never
    ///   retried; `.serverFailure`); `.invalidResponse` when the answer's count differs from the images'; timeouts
    ///   and connection failures after the retry policy, as for workflow runs.
    public func infer(
        _ images: [WorkflowImage], model: String, task: ModelTask? = nil, options: ModelInferenceOptions = ModelInferenceOptions()
    ) async throws(InferenceError) -> ModelInferenceResult {
        try Self.checkModelID(model)
        try options.validate()
        guard !images.isEmpty else { throw InferenceError(.invalidInput, "no image to run the model on", input: "image") }
        let resolver = self.resolver
        for (index, image) in images.enumerated() { try resolver.precheck(.image(image), path: "image[\(index)]") }
        // Public aliases go out as their canonical id, as the Python SDK sends them: a 1.8.3 server that loaded
        // `coco/3` (by /model/add or another client) answers 503 "not ready" to /infer for `yolov8n-640`.
        let wireModel = ModelAliases.canonical(model)
        let task = try await resolveTask(task, model: wireModel)
        let size = max(1, options.maxBatchSize ?? images.count)
        let chunks = stride(from: 0, to: images.count, by: size).map { $0..<min($0 + size, images.count) }
        let send: @Sendable (Range<Int>) async throws(InferenceError) -> InferPart = { [self] (range: Range<Int>) async throws(InferenceError) -> InferPart in
            var resolved: [ResolvedImage] = []
            for index in range { resolved.append(try await resolver.resolve(images[index], path: "image[\(index)]")) }
            let body = ModelRequestBody.build(
                modelID: wireModel, task: task, images: resolved, options: options, apiKeyInBody: apiKeyForBody, in: bodyBuffers)
            let response = try await self.send(method: "POST", path: task.path, pooledBody: body)
            return InferPart(
                predictions: try Self.predictions(response, task: task, expected: range),
                requestID: response.header("x-request-id"), metadata: ServerMetadata(headers: response.headers))
        }
        let (parts, failure) = await OrderedChunks.run(count: chunks.count, limit: configuration.maxConcurrentRequests) {
            (index: Int) async throws(InferenceError) -> InferPart in try await send(chunks[index])
        }
        if let failure {
            var error = failure.error
            if chunks.count > 1 {
                let range = chunks[failure.index]
                error.message = "images \(range.lowerBound)–\(range.upperBound - 1) (request \(failure.index + 1) of \(chunks.count)): " + error.message
            }
            throw error
        }
        var result = ModelInferenceResult(modelID: model, task: task, predictions: [])
        for part in parts {
            guard let part else { continue }
            result.predictions += part.predictions
            if let id = part.requestID { result.requestIDs.append(id) }
            result.serverMetadata.append(part.metadata)
        }
        return result
    }

    /// Runs `model` on one image; the answer for it.
    public func infer(
        _ image: WorkflowImage, model: String, task: ModelTask? = nil, options: ModelInferenceOptions = ModelInferenceOptions()
    ) async throws(InferenceError) -> ModelPrediction {
        let result = try await infer([image], model: model, task: task, options: options)
        guard let first = result.predictions.first else {
            throw InferenceError(.invalidResponse, "the server answered no prediction for the image")
        }
        return first
    }

    /// The task of `model`: given, cached, or from the registry (loading the model when needed).
    func resolveTask(_ task: ModelTask?, model: String) async throws(InferenceError) -> ModelTask {
        if let task { return task }
        if let known = modelTasks.task(for: model) { return known }
        func find(_ registry: RegisteredModels) -> ModelDescription? {
            registry.models.first { $0.modelID == model || $0.requestAliases.contains(model) }
        }
        var description = find(try await listModels())
        if description == nil { description = find(try await loadModel(model)) }
        guard let description else {
            throw InferenceError(
                .invalidResponse, "the server loaded '\(model)' but its registry does not list it; pass the task explicitly",
                input: "model_id")
        }
        guard let type = description.taskType, let found = ModelTask(taskType: type) else {
            throw InferenceError(
                .invalidInput,
                "model '\(model)' is a \(description.taskType ?? "model of unknown task") model; /infer serves object detection, "
                    + "instance segmentation, keypoint detection and classification",
                input: "model_id")
        }
        modelTasks.remember(found, for: model)
        return found
    }

    /// The answers of one request: a list (several images) or one object (one image), `expected.count` of them.
    static func predictions(_ response: TransportResponse, task: ModelTask, expected: Range<Int>) throws(InferenceError) -> [ModelPrediction] {
        let json = try parseJSON(response)
        let items: [JSONValue]
        switch json {
        case .array(let list): items = list
        case .object: items = [json]
        default:
            throw InferenceError(
                .invalidResponse, "the \(task.rawValue) answer is \(json.typeName), not an object or a list",
                status: response.status, requestID: response.header("x-request-id"))
        }
        guard items.count == expected.count else {
            throw InferenceError(
                .invalidResponse,
                "the server answered \(items.count) predictions for \(expected.count) images (images \(expected.lowerBound)–\(expected.upperBound - 1)); none kept, since answers are matched to images by position",
                status: response.status, requestID: response.header("x-request-id"))
        }
        return items.map { ModelPrediction(task: task, raw: $0) }
    }
}

/// One request's answers and what its headers said.
struct InferPart: Sendable {
    let predictions: [ModelPrediction]
    let requestID: String?
    let metadata: ServerMetadata
}

/// The task of each model a client has looked up, so that the registry is asked once per model.
final class ModelTaskCache: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [String: ModelTask] = [:]

    func task(for model: String) -> ModelTask? {
        lock.lock()
        defer { lock.unlock() }
        return tasks[model]
    }

    func remember(_ task: ModelTask, for model: String) {
        lock.lock()
        tasks[model] = task
        lock.unlock()
    }
}
