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
        subcommands: [RunCommand.self, ProcessCommand.self, DescribeCommand.self, ValidateCommand.self, InfoCommand.self, BlocksCommand.self,
                      PipelineCommand.self, ModelsCommand.self, SchemaCommand.self, BenchCommand.self,
                      ProcessVideoLauncher.self]
    )

    static func main() async {
        // Straight to rfclient-video, so that its own parser (and --help) sees every argument.
        if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "process-video" {
            ProcessVideoLauncher.exec(Array(CommandLine.arguments.dropFirst(2)))
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(with: error)
        }
    }

    /// Prints the error as one line on stderr and exits with the documented code.
    static func exit(with error: any Error) -> Never {
        if let failure = error as? CLIExit {
            Foundation.exit(failure.code)
        }
        if let error = error as? InferenceError {
            Terminal.error(error.description)
            Foundation.exit(ExitCode.for(error))
        }
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            Foundation.exit(0)
        }
        Terminal.error(usageLine(for: error))
        Foundation.exit(2)
    }

    /// A usage error as one line: the parser's message plus where to find help (no usage block).
    static func usageLine(for error: any Error) -> String {
        let full = fullMessage(for: error, columns: 10_000)
        var text = message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { text = full.split(separator: "\n").first.map(String.init) ?? "invalid usage" }
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        let hint = full.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("See '") }
            .flatMap { line in line.split(separator: "'", omittingEmptySubsequences: false).dropFirst().first.map(String.init) }
        return "usage error: \(text)" + (hint.map { " (see '\($0)')" } ?? "")
    }
}
