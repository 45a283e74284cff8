import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The arguments of a `rfclient process` run of the blur workflow.
enum ProcessArguments {
    static func blur(input: String, output: String, apiURL: String, extra: [String] = []) -> [String] {
        ["process", input, "-o", output, "--spec", Fixture.path("blur.json"), "--api-url", apiURL,
         "--param", "kernel_size=5", "--concurrency", "2", "--aggregate", "jsonl", "--verbose"] + extra
    }
}
