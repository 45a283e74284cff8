import InferenceSDK

/// Why a resumable job's run stopped before its end, and the one local-I/O policy folders and videos share:
/// the first `.localIO` error (no space, read-only file system, permission denied) stops the run — nothing more is
/// sent, since further results could not be kept — and is reported in the summary, not thrown; what finished
/// before it stays, and a rerun after the cause is fixed finishes the rest.
package struct JobStops: Sendable {
    /// Cancelled (Ctrl-C); finished results are kept.
    package var interrupted = false
    /// Stopped at the configured number of failures.
    package var stoppedAfterFailures = false
    /// The first local write failure.
    package private(set) var localFailure: InferenceError?

    package init() {}

    /// Keeps the first local write failure.
    package mutating func localWriteFailed(_ error: InferenceError) {
        if localFailure == nil { localFailure = error }
    }

    /// Runs one of the closing writes (compacted failures, aggregates, merged results). After a local failure
    /// their errors are dropped: the same disk refuses them too, the logs written so far stand, and a rerun
    /// rebuilds from them; the first cause is the one reported. Otherwise the error is thrown.
    @discardableResult
    package func closing<T>(_ body: () throws(InferenceError) -> T) throws(InferenceError) -> T? {
        do {
            return try body()
        } catch {
            guard localFailure != nil else { throw error }
            return nil
        }
    }
}
