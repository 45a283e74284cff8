import Histogram
import InferenceSDK
import NIOConcurrencyHelpers
import RFClientCommon

/// Collects the outcome of every measured request: latency histograms (HdrHistogram, microseconds, 3
/// significant digits), the server-reported processing time, error counts by HTTP status or failure kind.
/// Safe to call from many tasks at once.
final class BenchRecorder: Sendable {
    /// What has been recorded so far.
    struct State: Sendable {
        /// Every request's latency, successes and failures alike (µs).
        var latency = BenchRecorder.makeHistogram()
        /// The server's `x-processing-time` of the answers that had one (µs).
        var serverTime = BenchRecorder.makeHistogram()
        var requests = 0
        var failures = 0
        /// Failures by HTTP status ("500") or, without an answer, by kind ("connectionFailed", "timeout").
        var errors: [String: Int] = [:]
        /// Requests and failures at the last live line, for its per-interval rate.
        var requestsAtLastLine = 0
    }

    private let box = NIOLockedValueBox(State())

    static func makeHistogram() -> Histogram<UInt64> {
        // 1 µs … 1 h; grows past that rather than dropping a value.
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        return histogram
    }

    /// Records one request that took `latency` (from its start, or its intended start in an open loop).
    func record(latency: Duration, failure: String?, serverTime: Double?) {
        let micros = UInt64(max(1, latency.microseconds))
        box.withLockedValue { state in
            state.requests += 1
            _ = state.latency.record(micros)
            if let serverTime, serverTime.isFinite, serverTime >= 0 {
                _ = state.serverTime.record(UInt64(max(1, (serverTime * 1e6).rounded())))
            }
            if let failure {
                state.failures += 1
                state.errors[failure, default: 0] += 1
            }
        }
    }

    /// Records a finished request from its outcome.
    func record(latency: Duration, outcome: Result<WorkflowRunResult, InferenceError>) {
        switch outcome {
        case .success(let result):
            record(latency: latency, failure: nil, serverTime: result.metadata?.processingTime)
        case .failure(let error):
            record(latency: latency, failure: Self.failureKey(error), serverTime: error.serverMetadata?.processingTime)
        }
    }

    /// `"500"` for an HTTP error answer, else the error kind (`connectionFailed`, `timeout`, and `invalidResponse`
    /// for a 2xx answer whose body is not a workflow result).
    static func failureKey(_ error: InferenceError) -> String {
        if error.kind == .clientError || error.kind == .serverFailure, let status = error.status { return String(status) }
        return error.kind.description
    }

    /// A copy of the state; `markLine` remembers the request count for the next live line's rate.
    func snapshot(markLine: Bool = false) -> State {
        box.withLockedValue { state in
            let copy = state
            if markLine { state.requestsAtLastLine = state.requests }
            return copy
        }
    }
}

extension Duration {
    /// Whole microseconds.
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
