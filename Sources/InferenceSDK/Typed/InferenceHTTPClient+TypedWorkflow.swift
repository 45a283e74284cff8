/// Running typed workflows.
extension InferenceHTTPClient {
    /// Runs a ``TypedWorkflow`` and decodes each batch element's outputs into `W.Outputs`.
    ///
    /// The request goes through ``run(_:images:parameters:options:)``: retries, batch splitting
    /// (``WorkflowRunOptions/maxBatchSize``), secrets and errors are those of an untyped run.
    ///
    /// - Returns: one `W.Outputs` per batch element, in order (one in all when nothing is batched).
    /// - Throws: ``InferenceError``: whatever ``run(_:images:parameters:options:)`` throws, and `.invalidResponse`
    ///   naming the output, the expected kind and what arrived when a value the server sent does not fit its
    ///   generated type (the untyped outputs are then in the error's ``InferenceError/finishedOutputs``).
    public func run<W: TypedWorkflow>(
        _ workflow: W,
        options: WorkflowRunOptions = WorkflowRunOptions()
    ) async throws(InferenceError) -> [W.Outputs] {
        let target = try W.workflowTarget()
        let result = try await run(target, images: workflow.imageInputs, parameters: workflow.parameters, options: options)
        var typed: [W.Outputs] = []
        typed.reserveCapacity(result.outputs.count)
        for (index, output) in result.outputs.enumerated() {
            do {
                typed.append(try W.Outputs(output: output))
            } catch {
                let prefix = result.outputs.count > 1 ? "batch element \(index): " : ""
                var failure = InferenceError(
                    error.kind, prefix + error.message, input: error.input, status: error.status,
                    requestID: result.requestID, underlying: error.underlying)
                failure.finishedOutputs = Dictionary(uniqueKeysWithValues: result.outputs.enumerated().map { ($0, $1) })
                throw failure
            }
        }
        return typed
    }
}
