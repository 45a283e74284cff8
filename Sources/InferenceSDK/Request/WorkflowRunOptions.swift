/// Per-run options for ``InferenceHTTPClient/runWorkflow(workspace:id:images:parameters:options:)`` and
/// ``InferenceHTTPClient/runWorkflow(specification:images:parameters:options:)``.
public struct WorkflowRunOptions: Sendable, Equatable {
    /// Output names to drop from every result (`excluded_fields`).
    public var excludedFields: [String]
    /// Let the server use its cached copy of a saved workflow's definition (`use_cache`). Default `true`.
    public var useCache: Bool
    /// Ask for a profiler trace (`enable_profiling`); the server fills it only when it runs with
    /// `ENABLE_WORKFLOWS_PROFILING=true`.
    public var enableProfiling: Bool
    /// Disable the workflow's sinks (`disable_sinks`).
    public var disableSinks: Bool
    /// A saved workflow's version (`workflow_version_id`); ignored for inline definitions.
    public var workflowVersionID: String?
    /// Split batches larger than this into several requests (overrides the client's setting).
    public var maxBatchSize: Int?
    /// Ask the server to capture what custom Python blocks print and append to `debug_traces` (`"debug": true`);
    /// returned in ``WorkflowRunResult/pythonBlocks`` (or ``ServerError/pythonBlocks`` when the run fails). Default `false`.
    public var debug = false

    /// Creates options; every argument has a default.
    public init(
        excludedFields: [String] = [], useCache: Bool = true, enableProfiling: Bool = false,
        disableSinks: Bool = false, workflowVersionID: String? = nil, maxBatchSize: Int? = nil
    ) {
        self.excludedFields = excludedFields
        self.useCache = useCache
        self.enableProfiling = enableProfiling
        self.disableSinks = disableSinks
        self.workflowVersionID = workflowVersionID
        self.maxBatchSize = maxBatchSize
    }
}
