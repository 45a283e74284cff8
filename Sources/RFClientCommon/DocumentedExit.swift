import ArgumentParser
import Foundation
import InferenceSDK

/// How both shell front ends start and end: parse the arguments as the root command, run it, and turn any error
/// into one line on stderr and the documented exit code (README: 0 ok … 5 local I/O, 130 interrupted).
extension ParsableCommand {
    /// Parses the process's arguments as this root command, runs it, and exits with the documented code on error.
    /// `helpHint` names the help command in usage errors (default: the one the parser suggests).
    package static func runAsRoot(helpHint: String? = nil) async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitWithDocumentedCode(error, helpHint: helpHint)
        }
    }

    /// Prints the error as one line on stderr and exits with the documented code: a thrown `ExitCode` as it is, an
    /// ``InferenceError``'s kind (``ExitCode/for(_:)``), help and version output 0, usage errors 2.
    package static func exitWithDocumentedCode(_ error: any Error, helpHint: String? = nil) -> Never {
        if let code = error as? ExitCode {
            Foundation.exit(code.rawValue)
        }
        if let error = error as? InferenceError {
            Terminal.error(error.description)
            Foundation.exit(ExitCode.for(error).rawValue)
        }
        if exitCode(for: error) == .success {
            print(fullMessage(for: error))
            Foundation.exit(0)
        }
        Terminal.error(usageLine(for: error, helpHint: helpHint))
        Foundation.exit(ExitCode.badInput.rawValue)
    }

    /// A usage error as one line: the parser's message plus where to find help (no usage block).
    package static func usageLine(for error: any Error, helpHint: String? = nil) -> String {
        let full = fullMessage(for: error, columns: 10_000)
        var text = message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { text = full.split(separator: "\n").first.map(String.init) ?? "invalid usage" }
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        let hint = helpHint ?? full.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("See '") }
            .flatMap { line in line.split(separator: "'", omittingEmptySubsequences: false).dropFirst().first.map(String.init) }
        return "usage error: \(text)" + (hint.map { " (see '\($0)')" } ?? "")
    }
}
