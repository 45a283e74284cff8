/// Everything `POST /inference_pipelines/initialise` needs: which workflow, which video, how fast, how
/// frames are buffered, and how many results the server keeps for you to consume.
///
/// The request body is the one `inference_sdk`'s `start_inference_pipeline_with_workflow` sends, key for
/// key and in the same order (explicit `null`s included). Fields the Python SDK does not send
/// (``workflowVersionID``, ``decodingBufferSize``, ``consumptionTimeout``, ``predictionsQueueSize``) are added
/// only when set.
///
/// ```swift
/// var configuration = InferencePipelineConfiguration(
///     workflow: .inline(try WorkflowSpecification(contentsOfFile: "blur.json")),
///     video: .file("/data/videos/cars.mp4"))
/// configuration.maxFPS = 30
/// configuration.bufferFilling = .wait          // keep every frame of a file
/// configuration.bufferConsumption = .lazy
/// let id = try await client.startPipeline(configuration)
/// ```
public struct InferencePipelineConfiguration: Sendable {
    /// The workflow: saved (`workspace_name`/`workflow_id`) or an inline definition (`workflow_specification`).
    public var workflow: WorkflowTarget
    /// A saved workflow's version (`workflow_version_id`); saved workflows only.
    public var workflowVersionID: String?
    /// What to read.
    public var video: VideoReference
    /// Highest rate, in frames per second, at which frames are processed (`max_fps`). `nil`: as fast as possible.
    public var maxFPS: Double?
    /// Default `.dropOldest`, as in the Python SDK. `nil` sends `null` (the server's default).
    public var bufferFilling: BufferFillingStrategy?
    /// Default `.eager`, as in the Python SDK. `nil` sends `null` (the server's default).
    public var bufferConsumption: BufferConsumptionStrategy?
    /// Capture properties (`video_source_properties`), e.g. `["frame_width": 1280, "fps": 30, "fourcc": "MJPG"]`.
    public var videoSourceProperties: [String: JSONValue]?
    /// Time to wait for frames from every source of a list before processing a batch (`batch_collection_timeout`,
    /// sent in seconds).
    public var batchCollectionTimeout: Duration?
    /// The workflow input that receives each frame (`image_input_name`). Default `"image"`.
    public var imageInputName: String
    /// Values for the workflow's other inputs (`workflows_parameters`).
    public var workflowParameters: [String: JSONValue]?
    /// Threads running workflow steps (`workflows_thread_pool_workers`). Default 4.
    public var workflowsThreadPoolWorkers: Int
    /// Cancel queued workflow tasks when the pipeline ends (`cancel_thread_pool_tasks_on_exit`). Default `true`.
    public var cancelThreadPoolTasksOnExit: Bool
    /// The workflow input that receives video metadata (`video_metadata_input_name`). Default `"video_metadata"`.
    public var videoMetadataInputName: String
    /// Results the server keeps for ``InferenceHTTPClient/consumePipelineResult(_:excludedFields:)``
    /// (`results_buffer_size`). Default 64. When full, the oldest result is dropped.
    public var resultsBufferSize: Int
    /// Frames decoded ahead (`decoding_buffer_size`; server default 64). The 1.8.3 manager ends a file pipeline
    /// as soon as the decoder reaches the end of the file, so the frames still in this buffer are never
    /// processed: a small value (e.g. 2) keeps the tail of a file. `nil`: not sent.
    public var decodingBufferSize: Int?
    /// Time without a `consume` call after which the server terminates the pipeline (`consumption_timeout`, sent
    /// in seconds). `nil`: not sent (never).
    public var consumptionTimeout: Duration?
    /// `predictions_queue_size`; `nil`: not sent.
    public var predictionsQueueSize: Int?

    /// Creates a configuration; every argument but the workflow and the video has the documented default.
    public init(
        workflow: WorkflowTarget,
        video: VideoReference,
        maxFPS: Double? = nil,
        bufferFilling: BufferFillingStrategy? = .dropOldest,
        bufferConsumption: BufferConsumptionStrategy? = .eager,
        workflowParameters: [String: JSONValue]? = nil,
        imageInputName: String = "image",
        resultsBufferSize: Int = 64
    ) {
        self.workflow = workflow
        self.video = video
        self.maxFPS = maxFPS
        self.bufferFilling = bufferFilling
        self.bufferConsumption = bufferConsumption
        self.videoSourceProperties = nil
        self.batchCollectionTimeout = nil
        self.imageInputName = imageInputName
        self.workflowParameters = workflowParameters
        self.workflowsThreadPoolWorkers = 4
        self.cancelThreadPoolTasksOnExit = true
        self.videoMetadataInputName = "video_metadata"
        self.resultsBufferSize = resultsBufferSize
    }

    /// Settings for consuming **every** frame of a video file: `WAIT`/`LAZY`, a 2-frame decoding buffer
    /// (so that the end of the file is processed before the manager ends the pipeline) and room for
    /// `resultsBufferSize` results. Pick a `maxFPS` your consumer can follow (one `consume` call returns one frame).
    public static func everyFrame(
        workflow: WorkflowTarget, video: VideoReference, maxFPS: Double, resultsBufferSize: Int = 2000
    ) -> Self {
        var configuration = Self(
            workflow: workflow, video: video, maxFPS: maxFPS, bufferFilling: .wait, bufferConsumption: .lazy,
            resultsBufferSize: resultsBufferSize
        )
        configuration.decodingBufferSize = 2
        return configuration
    }

    /// Checks the configuration before sending; throws `.invalidInput`.
    public func validate() throws(InferenceError) {
        try workflow.validate()
        try video.validate()
        if let maxFPS, !(maxFPS > 0) || !maxFPS.isFinite {
            throw InferenceError(.invalidInput, "maxFPS must be a positive number, not \(maxFPS)", input: "max_fps")
        }
        if resultsBufferSize < 1 {
            throw InferenceError(.invalidInput, "resultsBufferSize must be at least 1", input: "results_buffer_size")
        }
        if let decodingBufferSize, decodingBufferSize < 1 {
            throw InferenceError(.invalidInput, "decodingBufferSize must be at least 1", input: "decoding_buffer_size")
        }
        if workflowsThreadPoolWorkers < 1 {
            throw InferenceError(.invalidInput, "workflowsThreadPoolWorkers must be at least 1", input: "workflows_thread_pool_workers")
        }
        if imageInputName.isEmpty {
            throw InferenceError(.invalidInput, "imageInputName is empty", input: "image_input_name")
        }
        if let timeout = batchCollectionTimeout ?? consumptionTimeout, !(timeout > .zero) {
            throw InferenceError(.invalidInput, "timeouts must be positive", input: "timeout")
        }
        if workflowVersionID != nil, case .inline = workflow {
            throw InferenceError(.invalidInput, "workflowVersionID applies to saved workflows only", input: "workflow_version_id")
        }
        // The server accepts an image input name the workflow does not declare, then produces no result
        // for any frame: catch it here for inline definitions.
        if case .inline(let specification) = workflow {
            let declared = specification.inputNames
            if !declared.isEmpty, !declared.contains(imageInputName) {
                throw InferenceError(
                    .invalidInput,
                    "the workflow declares no input '\(imageInputName)' to receive frames (its inputs: \(declared.joined(separator: ", "))); set imageInputName",
                    input: "image_input_name"
                )
            }
        }
    }

    /// The request body. `apiKey` goes first when it travels in the body, as in the Python SDK.
    func requestBody(apiKey: String?) -> JSONValue {
        var body = JSONObject()
        if let apiKey { body["api_key"] = .string(apiKey) }
        body["video_configuration"] = [
            "type": "VideoConfiguration",
            "video_reference": video.json,
            "max_fps": maxFPS.map { $0.rounded() == $0 && abs($0) < 1e9 ? .int(Int($0)) : .double($0) } ?? .null,
            "source_buffer_filling_strategy": bufferFilling.map { .string($0.rawValue) } ?? .null,
            "source_buffer_consumption_strategy": bufferConsumption.map { .string($0.rawValue) } ?? .null,
            "video_source_properties": videoSourceProperties.map { Self.sortedObject($0) } ?? .null,
            "batch_collection_timeout": batchCollectionTimeout.map { .double($0.seconds) } ?? .null,
        ]
        var processing: JSONObject = ["type": "WorkflowConfiguration"]
        switch workflow {
        case .inline(let specification):
            processing["workflow_specification"] = .object(specification.json)
            processing["workspace_name"] = .null
            processing["workflow_id"] = .null
        case .saved(let workspace, let id):
            processing["workflow_specification"] = .null
            processing["workspace_name"] = .string(workspace)
            processing["workflow_id"] = .string(id)
        }
        processing["image_input_name"] = .string(imageInputName)
        processing["workflows_parameters"] = workflowParameters.map { Self.sortedObject($0) } ?? .null
        processing["workflows_thread_pool_workers"] = .int(workflowsThreadPoolWorkers)
        processing["cancel_thread_pool_tasks_on_exit"] = .bool(cancelThreadPoolTasksOnExit)
        processing["video_metadata_input_name"] = .string(videoMetadataInputName)
        if let workflowVersionID { processing["workflow_version_id"] = .string(workflowVersionID) }
        body["processing_configuration"] = .object(processing)
        body["sink_configuration"] = ["type": "MemorySinkConfiguration", "results_buffer_size": .int(resultsBufferSize)]
        if let decodingBufferSize { body["decoding_buffer_size"] = .int(decodingBufferSize) }
        if let consumptionTimeout { body["consumption_timeout"] = .double(consumptionTimeout.seconds) }
        if let predictionsQueueSize { body["predictions_queue_size"] = .int(predictionsQueueSize) }
        return .object(body)
    }

    private static func sortedObject(_ values: [String: JSONValue]) -> JSONValue {
        var object = JSONObject()
        for key in values.keys.sorted() { object[key] = values[key] }
        return .object(object)
    }
}
