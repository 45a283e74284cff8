import InferenceSDK

extension DirectoryJob {
    /// A model a folder job runs on each image (``DirectoryJob/Configuration/model``), instead of a workflow.
    public struct ModelRun: Sendable {
        /// The model id (`project/version`) or alias (`yolov8n-640`).
        public var modelID: String
        /// Its task; `nil` looks it up in the server's registry once.
        public var task: ModelTask?
        /// Confidence, IoU threshold, class filter, …
        public var options: ModelInferenceOptions

        /// A model run; the task from the registry and the server's options unless given.
        public init(modelID: String, task: ModelTask? = nil, options: ModelInferenceOptions = ModelInferenceOptions()) {
            self.modelID = modelID
            self.task = task
            self.options = options
        }

        /// Runs the model on `image`: its answer as the one output of a run (so results, aggregates and timings are
        /// written as for a workflow).
        func run(on image: WorkflowImage, client: InferenceHTTPClient) async throws(InferenceError) -> WorkflowRunResult {
            let answer = try await client.infer([image], model: modelID, task: task, options: options)
            let outputs = answer.predictions.map { WorkflowOutput(fields: $0.raw.objectValue ?? ["prediction": $0.raw]) }
            var result = WorkflowRunResult(outputs: outputs, requestIDs: answer.requestIDs)
            result.serverMetadata = answer.serverMetadata
            return result
        }
    }
}
