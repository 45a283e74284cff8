import ArgumentParser
import InferenceSDK
import RFClientCommon

/// `--legacy-endpoints`, for the commands that run workflows (run, process, bench).
struct RouteOptions: ParsableArguments {
    @Flag(name: .customLong("legacy-endpoints"), help: ArgumentHelp(
        "Use the legacy routes: POST /infer/workflows/WORKSPACE/ID (saved) and POST /infer/workflows (--spec)."))
    var legacyEndpoints = false

    /// Applies the choice to a client configuration.
    func apply(to configuration: inout InferenceClientConfiguration) {
        configuration.legacyEndpoints = legacyEndpoints
    }
}
