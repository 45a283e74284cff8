import ArgumentParser
import InferenceSDK

/// `--fixed-concurrency`, for the commands that keep many requests in flight (process, process-video), and the
/// final summary's mention of the 429s met.
package struct RateLimitOptions: ParsableArguments {
    /// Creates the options with their defaults (ArgumentParser fills them in).
    package init() {}

    @Flag(name: .customLong("fixed-concurrency"), help: ArgumentHelp(
        "Keep --concurrency requests in flight even while the server answers 429 (default: fewer after 429s, growing back while answers succeed; never more than --concurrency)."))
    package var fixedConcurrency = false

    /// Applies the choice to a client configuration.
    package func apply(to configuration: inout InferenceClientConfiguration) {
        if fixedConcurrency { configuration.adaptiveConcurrency = .disabled }
    }

    /// `"; 12 × 429 (rate limited)"` for a summary line, or nothing when no 429 was met.
    package static func summary(_ rateLimitedResponses: Int) -> String {
        rateLimitedResponses > 0 ? "; \(rateLimitedResponses) × 429 (rate limited)" : ""
    }
}
