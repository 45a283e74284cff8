import NIOCore

/// Server-side video pipelines (`/inference_pipelines/*`): the server decodes a video (file, stream or camera
/// on its own machine), runs a workflow on every frame it keeps, and buffers results for you to consume.
///
/// Only servers started with `ENABLE_STREAM_API=true` *and* their pipeline manager process offer these routes;
/// others answer with an error whose ``InferenceError/pipelineErrorKind`` is `.streamAPIUnavailable`.
/// Commands that change state (start, pause, resume, terminate) are sent once, never retried: the manager
/// is not idempotent (a second pause or terminate is an error).
extension InferenceHTTPClient {
    /// Starts a pipeline: `POST /inference_pipelines/initialise`. Returns its id.
    ///
    /// The server answers as soon as the pipeline process has taken the job: a video file that does not
    /// exist is not reported here; the pipeline simply ends at once (status and consume then answer 404).
    ///
    /// When the manager refuses the start (an invalid workflow, a saved workflow it cannot fetch), 1.8.3 keeps
    /// the process it spawned for it: ``listPipelines()`` shows an extra id whose status has no source, and it
    /// counts against the manager's limit (`STREAM_MANAGER_MAX_ACTIVE_PIPELINES`, 8) until terminated. The
    /// error does not name that id.
    public func startPipeline(_ configuration: InferencePipelineConfiguration) async throws(InferenceError) -> String {
        try configuration.validate()
        let json = try await pipelineCall(
            "POST", "/inference_pipelines/initialise", body: configuration.requestBody(apiKey: apiKeyForBody), retry: .none
        )
        guard let id = json["context"]?["pipeline_id"]?.stringValue, !id.isEmpty else {
            throw InferenceError(.invalidResponse, "initialise answered without context.pipeline_id")
        }
        return id
    }

    /// The ids of the pipelines the manager runs: `GET /inference_pipelines/list`.
    public func listPipelines() async throws(InferenceError) -> [String] {
        let json = try await pipelineCall("GET", "/inference_pipelines/list", body: nil, retry: configuration.retry)
        guard let list = json["pipelines"]?.arrayValue else {
            throw InferenceError(.invalidResponse, "list answered without a pipelines list")
        }
        return list.compactMap(\.stringValue)
    }

    /// A pipeline's status report: `GET /inference_pipelines/{id}/status`.
    public func pipelineStatus(_ pipelineID: String) async throws(InferenceError) -> PipelineStatus {
        let json = try await pipelineCall("GET", try Self.pipelinePath(pipelineID, "status"), body: nil, retry: configuration.retry)
        return try PipelineStatus(pipelineID: pipelineID, response: json)
    }

    /// Pauses a pipeline: `POST /inference_pipelines/{id}/pause`.
    ///
    /// The server *mutes* the sources (state `MUTED`): they keep being read and the frames read meanwhile are
    /// dropped (``PipelineFrame/droppedBefore`` shows the gap). A muted **file** is read to its end at full speed,
    /// so pausing a file pipeline ends it. Pausing twice is `.operationFailed`.
    public func pausePipeline(_ pipelineID: String) async throws(InferenceError) {
        _ = try await pipelineCall("POST", try Self.pipelinePath(pipelineID, "pause"), body: nil, retry: .none)
    }

    /// Resumes a paused pipeline: `POST /inference_pipelines/{id}/resume`. Resuming a running one is `.operationFailed`.
    public func resumePipeline(_ pipelineID: String) async throws(InferenceError) {
        _ = try await pipelineCall("POST", try Self.pipelinePath(pipelineID, "resume"), body: nil, retry: .none)
    }

    /// Terminates a pipeline: `POST /inference_pipelines/{id}/terminate`. Results not yet consumed are lost.
    /// On 1.8.3, terminating an unknown (or already ended) id answers 400 `ProcessesManagerInvalidPayload`
    /// ("Details: N/A"), not 404 like the other commands: its ``InferenceError/pipelineErrorKind`` is `.invalidPayload`.
    public func terminatePipeline(_ pipelineID: String) async throws(InferenceError) {
        _ = try await pipelineCall("POST", try Self.pipelinePath(pipelineID, "terminate"), body: nil, retry: .none)
    }

    /// Takes the next buffered result: `GET /inference_pipelines/{id}/consume`. Returns no frame when none is
    /// waiting, else one result (one frame per source that has one). Throws `.notFound` once the pipeline has ended.
    ///
    /// For a stream of results with back-off, gap detection and cleanup, use ``pipelineResults(_:options:)``.
    public func consumePipelineResult(
        _ pipelineID: String, excludedFields: [String] = []
    ) async throws(InferenceError) -> [PipelineFrame] {
        try await consumeOnce(pipelineID, excludedFields: excludedFields, timeout: nil)
    }

    /// The pipeline's results as an `AsyncSequence` of frames, in the order the server produced them.
    ///
    /// It polls `consume` (back-off when nothing is waiting), reports frames that never arrived
    /// (``PipelineFrame/droppedBefore``, ``PipelineConsumptionStatistics``), ends when the pipeline ends, and
    /// terminates the pipeline when the consuming task is cancelled or the iteration is abandoned (per ``PipelineConsumeOptions``).
    ///
    /// ```swift
    /// let results = client.pipelineResults(id)
    /// for try await frame in results {
    ///     if frame.droppedBefore > 0 { print("missed \(frame.droppedBefore) frames") }
    ///     print(frame.frameID, frame.output?["width"] ?? nil)
    /// }
    /// print(await results.statistics)
    /// ```
    public func pipelineResults(_ pipelineID: String, options: PipelineConsumeOptions = PipelineConsumeOptions()) -> PipelineResults {
        PipelineResults(client: self, pipelineID: pipelineID, options: options)
    }

    func consumeOnce(_ pipelineID: String, excludedFields: [String], timeout: Duration?) async throws(InferenceError) -> [PipelineFrame] {
        var body = JSONObject()
        if let key = apiKeyForBody { body["api_key"] = .string(key) }
        if !excludedFields.isEmpty || !body.isEmpty { body["excluded_fields"] = .array(excludedFields.map { .string($0) }) }
        let json = try await pipelineCall(
            "GET", try Self.pipelinePath(pipelineID, "consume"), body: body.isEmpty ? nil : .object(body),
            retry: configuration.retry, timeout: timeout
        )
        return try PipelineFrame.frames(fromConsumeResponse: json)
    }

    /// Sends one pipeline-manager command and returns its JSON answer, checking `status == "success"`.
    private func pipelineCall(
        _ method: String, _ path: String, body: JSONValue?, retry: RetryPolicy, timeout: Duration? = nil
    ) async throws(InferenceError) -> JSONValue {
        let response: TransportResponse
        do {
            response = try await send(
                method: method, path: path, bodyBuffer: body.map { ByteBuffer(bytes: $0.serialized()) }, timeout: timeout, retry: retry)
        } catch {
            throw PipelineErrorMapping.map(error)
        }
        let json = try Self.parseJSON(response)
        guard json["status"]?.stringValue == "success" else {
            throw InferenceError(
                .invalidResponse, "\(method) \(path) answered status \(json["status"]?.jsonString ?? "none"), not \"success\"",
                status: response.status, requestID: response.header("x-request-id")
            )
        }
        return json
    }

    static func pipelinePath(_ pipelineID: String, _ command: String) throws(InferenceError) -> String {
        guard !pipelineID.isEmpty else { throw InferenceError(.invalidInput, "the pipeline id is empty", input: "pipeline_id") }
        return "/inference_pipelines/\(PathComponent.encode(pipelineID))/\(command)"
    }
}
