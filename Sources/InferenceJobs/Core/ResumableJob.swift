import InferenceSDK

/// A job that runs a workflow over many items (a folder's images, a video's frames) into an output folder and can be
/// run again to finish what an earlier run left: ``DirectoryJob`` and `VideoJob` (InferenceSDKVideo).
///
/// Every such job follows the same rules, on the same core: the output folder is locked for the run (a second job
/// into it fails with `folderInUse`); finished items are logged as they finish and skipped by a rerun; items that
/// failed are in `failures.jsonl` and are sent again by a rerun; cancelling the calling task stops the run cleanly
/// (nothing in flight is counted as done or failed); the first local write failure (no space, read-only, permission
/// denied) stops the run and is reported in the summary, with what finished kept.
public protocol ResumableJob: Sendable {
    /// What to run and where.
    associatedtype Configuration: Sendable
    /// Counters reported while the job runs.
    associatedtype Progress: Sendable
    /// How a run ended.
    associatedtype Summary: Sendable

    /// The configuration.
    var configuration: Configuration { get }

    /// Creates a job.
    init(_ configuration: Configuration)

    /// Runs the job, calling `onProgress` as items finish. Throws for bad input and setup problems only.
    func run(client: InferenceHTTPClient, onProgress: @escaping @Sendable (Progress) -> Void) async throws(InferenceError) -> Summary
}

extension ResumableJob {
    /// Runs the job without progress reports.
    public func run(client: InferenceHTTPClient) async throws(InferenceError) -> Summary {
        try await run(client: client, onProgress: { _ in })
    }
}
