import ArgumentParser
import Foundation
import InferenceSDK
import RFClientCommon

/// `rfclient`: run Roboflow Workflows on an inference server from the shell.
@main
struct RFClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rfclient",
        abstract: "Run Roboflow Workflows on an inference server from the shell.",
        discussion: """
            Exit codes: 0 success; 1 some images failed (process); 2 usage or bad input (nothing sent); \
            3 the server rejected the request (4xx); 4 server or transport failure (5xx, timeout, refused); 5 results could not be written locally \
            (no space, read-only, permission denied); 130 interrupted.

            Environment: ROBOFLOW_API_URL (default http://127.0.0.1:9001), ROBOFLOW_API_KEY (never printed).
            """,
        version: InferenceClientConfiguration.sdkVersion,
        subcommands: [RunCommand.self, InferCommand.self, ProcessCommand.self, DescribeCommand.self, CodegenCommand.self, ValidateCommand.self, InfoCommand.self, BlocksCommand.self,
                      PipelineCommand.self, ModelsCommand.self, SchemaCommand.self, BenchCommand.self,
                      ProcessVideoLauncher.self]
    )

    static func main() async {
        // Straight to rfclient-video, so that its own parser (and --help) sees every argument.
        if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "process-video" {
            ProcessVideoLauncher.exec(Array(CommandLine.arguments.dropFirst(2)))
        }
        await runAsRoot()
    }
}
