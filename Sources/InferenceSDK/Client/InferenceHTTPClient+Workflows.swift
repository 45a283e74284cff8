import NIOCore
import Tracing

/// Running workflows.
extension InferenceHTTPClient {
    /// Runs a saved workflow: `POST /{workspace}/workflows/{id}`.
    ///
    /// - Parameters:
    ///   - workspace: the workspace that owns the workflow.
    ///   - id: the workflow's id in that workspace.
    ///   - images: image inputs by name; a list is a batch (one output per element, in order).
    ///   - parameters: other inputs by name, any JSON value. A name may not be both an image and a parameter.
    ///   - options: excluded fields, cache, profiling, sinks, version, batch splitting.
    /// - Throws: ``InferenceError``: `.invalidInput` before sending for bad input; `.clientError` /
    ///   `.serverFailure` with the server's error body; `.timeout`, `.connectionFailed` after retries;
    ///   `.invalidResponse` when the answer to a batch of images has another number of outputs than the batch (or
    ///   the chunk) has elements (outputs are matched to images by position, so none is kept). An inline definition
    ///   none of whose outputs derives from a batch-oriented input is answered with one output per request instead.
    ///   When one chunk of a split batch (``WorkflowRunOptions/maxBatchSize``) fails, chunks still in flight are
    ///   cancelled, no more are sent, and the outputs of the chunks that had finished are in the error's
    ///   ``InferenceError/finishedOutputs``, by element index.
    public func runWorkflow(
        workspace: String,
        id: String,
        images: [String: ImageInput] = [:],
        parameters: [String: JSONValue] = [:],
        options: WorkflowRunOptions = WorkflowRunOptions()
    ) async throws(InferenceError) -> WorkflowRunResult {
        try await run(.saved(workspace: workspace, id: id), images: images, parameters: parameters, options: options)
    }

    /// Runs an inline workflow definition: `POST /workflows/run`.
    public func runWorkflow(
        specification: WorkflowSpecification,
        images: [String: ImageInput] = [:],
        parameters: [String: JSONValue] = [:],
        options: WorkflowRunOptions = WorkflowRunOptions()
    ) async throws(InferenceError) -> WorkflowRunResult {
        try await run(.inline(specification), images: images, parameters: parameters, options: options)
    }

    /// Runs a saved workflow or an inline definition, whichever `target` names.
    public func run(
        _ target: WorkflowTarget,
        images: [String: ImageInput] = [:],
        parameters: [String: JSONValue] = [:],
        options: WorkflowRunOptions = WorkflowRunOptions()
    ) async throws(InferenceError) -> WorkflowRunResult {
        let route = target.path(legacy: configuration.legacyEndpoints)
        return try await RequestTracing.inSpan(
            "inference.workflow.run", kind: .client, isRun: true,
            describe: { attributes in
                attributes["inference.workflow.target"] = target.traceName
                attributes["inference.route"] = route
                attributes["inference.batch.size"] = images.values.map(\.elementCount).max() ?? 0
                RequestTracing.describe(url: baseURL + route, into: &attributes)
            },
            finish: { result, span in
                span.attributes["inference.outputs"] = result.outputs.count
                if !result.requestIDs.isEmpty { span.attributes["inference.request_ids"] = result.requestIDs }
            }
        ) { () async throws(InferenceError) -> WorkflowRunResult in
            try await runUntraced(target, images: images, parameters: parameters, options: options)
        }
    }

    private func runUntraced(
        _ target: WorkflowTarget, images: [String: ImageInput], parameters: [String: JSONValue], options: WorkflowRunOptions
    ) async throws(InferenceError) -> WorkflowRunResult {
        try target.validate()
        if let clash = images.keys.sorted().first(where: { parameters[$0] != nil }) {
            throw InferenceError(.invalidInput, "'\(clash)' is given both as an image and as a parameter", input: clash)
        }
        let resolver = self.resolver
        for name in images.keys.sorted() { if let input = images[name] { try resolver.checkNoEmptyBatch(input, path: name) } }
        let plan = try BatchPlan(images, maxBatchSize: options.maxBatchSize ?? configuration.maxBatchSize)
        let sortedParameters = parameters.keys.sorted().compactMap { key in parameters[key].map { (name: key, value: $0) } }
        let body: @Sendable ([(name: String, input: ResolvedInput)]) -> ByteBuffer = { [apiKeyForBody, bodyBuffers] chunk in
            WorkflowRequestBody.build(
                target: target, images: chunk, parameters: sortedParameters, options: options, apiKeyInBody: apiKeyForBody,
                in: bodyBuffers
            )
        }
        guard plan.isSplit else {
            // input → encoder → request body → transport → response decoder → typed result
            let resolved = try await resolver.resolve(images)
            let response = try await send(method: "POST", path: target.path(legacy: configuration.legacyEndpoints), pooledBody: body(resolved))
            return try WorkflowResponseDecoder.decodeSuccess(
                response, batchElements: plan.batched.isEmpty ? nil : 0..<plan.length, perElement: target.hasPerElementOutputs)
        }
        // A split batch: everything that can be refused without reading images is refused now, before the first
        // chunk goes out; each chunk's images are then read/downloaded/encoded just before it is sent.
        for (name, items) in plan.batched { try resolver.precheck(.batch(items), path: name) }
        var shared: [(name: String, input: ResolvedInput)] = []
        for (name, input) in plan.shared { shared.append((name, try await resolver.resolve(input, path: name))) }
        let sharedInputs = shared
        let chunk: @Sendable (Range<Int>) async throws(InferenceError) -> ByteBuffer = { range in
            var inputs = sharedInputs
            for (name, items) in plan.batched {
                inputs.append((name, try await resolver.resolve(.batch(Array(items[range])), path: name, offset: range.lowerBound)))
            }
            inputs.sort { $0.name < $1.name }
            return body(inputs)
        }
        return try await runChunks(
            plan.ranges, path: target.path(legacy: configuration.legacyEndpoints), perElement: target.hasPerElementOutputs, body: chunk)
    }

    /// Sends chunks with at most `maxConcurrentRequests` in flight (each resolved just before it is sent, so at
    /// most that many chunks of images are in memory) and merges the results in order. Each chunk's answer must have
    /// one output per element of the chunk (one in all when no output is `perElement`: merged, those are one per
    /// chunk). The first failure cancels the chunks in flight and is thrown with the outputs of the chunks that had
    /// finished (``InferenceError/finishedOutputs``).
    private func runChunks(
        _ chunks: [Range<Int>],
        path: String,
        perElement: Bool,
        body: @escaping @Sendable (Range<Int>) async throws(InferenceError) -> ByteBuffer
    ) async throws(InferenceError) -> WorkflowRunResult {
        let (results, failure) = await OrderedChunks.run(count: chunks.count, limit: configuration.maxConcurrentRequests) {
            (index: Int) async throws(InferenceError) -> WorkflowRunResult in
            let chunk = chunks[index]
            let response = try await self.send(method: "POST", path: path, pooledBody: try await body(chunk))
            return try WorkflowResponseDecoder.decodeSuccess(response, batchElements: chunk, perElement: perElement)
        }
        if let failure {
            var error = failure.error
            let range = chunks[failure.index]
            error.message = "batch chunk \(failure.index + 1) of \(chunks.count) (elements \(range.lowerBound)–\(range.upperBound - 1)): " + error.message
            error.finishedOutputs = Self.outputsByElement(results, chunks: chunks)
            throw error
        }
        var merged = WorkflowRunResult(outputs: [])
        for part in results {
            guard let part else { continue }
            merged.outputs += part.outputs
            merged.profilerTrace += part.profilerTrace
            merged.requestIDs += part.requestIDs
            merged.mergeServerReports(of: part)
        }
        return merged
    }

    /// The outputs of the finished chunks, keyed by element index in the whole batch (a chunk's i-th output is its
    /// i-th element's: ``WorkflowResponseDecoder/decodeSuccess(_:batchElements:perElement:)`` checked the count).
    static func outputsByElement(_ results: [WorkflowRunResult?], chunks: [Range<Int>]) -> [Int: WorkflowOutput] {
        var outputs: [Int: WorkflowOutput] = [:]
        for (chunk, result) in zip(chunks, results) {
            guard let result else { continue }
            for (element, output) in zip(chunk, result.outputs) { outputs[element] = output }
        }
        return outputs
    }

    var resolver: ImageResolver {
        ImageResolver(
            validation: configuration.imageValidation, urlOptions: configuration.urlImages,
            maxImageBytes: configuration.maxImageFileBytes, downloads: downloads, userAgent: configuration.userAgent
        )
    }
}
