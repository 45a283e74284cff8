/// The result of one workflow run: one output per batch element, in order.
public struct WorkflowRunResult: Sendable {
    /// One output per batch element (a single output when nothing was batched).
    public var outputs: [WorkflowOutput]
    /// Chrome-trace events (`profiler_trace`); empty unless profiling was asked for and the server allows it.
    public var profilerTrace: [JSONValue]
    /// The server's `x-request-id` of every request sent (several when a batch was split into chunks).
    public var requestIDs: [String]
    /// What the server reported in the headers of every request sent (processing time, model cold starts, …).
    public var serverMetadata: [ServerMetadata] = []
    /// Custom Python blocks' output streams and debug traces, when the run asked for ``WorkflowRunOptions/debug``.
    public var pythonBlocks: PythonBlocksDebug?

    /// Creates a result.
    public init(outputs: [WorkflowOutput], profilerTrace: [JSONValue] = [], requestIDs: [String] = []) {
        self.outputs = outputs
        self.profilerTrace = profilerTrace
        self.requestIDs = requestIDs
    }

    /// The first request's `x-request-id`.
    public var requestID: String? { requestIDs.first }

    /// The outputs as the server returned them: a JSON array of objects.
    public var rawOutputs: JSONValue { .array(outputs.map(\.raw)) }
}
