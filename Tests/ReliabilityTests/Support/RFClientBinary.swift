import Foundation
import TestSupport
import Testing

/// The built `rfclient` binary (see ``BuiltRFClient``), run as a child process.
enum RFClientBinary {
    static var repositoryRoot: String { BuiltRFClient.repositoryRoot }
    static var path: String? { BuiltRFClient.path }

    /// Our environment without any `ROBOFLOW_*` variable, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] { BuiltRFClient.environment(extra) }

    /// Starts `rfclient arguments…`.
    static func spawn(_ arguments: [String], environment extra: [String: String] = [:], stdin: [UInt8]? = nil) throws -> ChildProcess {
        let executable = try #require(path, "build rfclient first (swift build --build-tests) or set RFCLIENT_PATH")
        return try ChildProcess.spawn(executable, arguments, environment: environment(extra), stdin: stdin)
    }

    /// Runs `rfclient arguments…` to completion (killed after `bound`).
    static func run(
        _ arguments: [String], environment extra: [String: String] = [:], stdin: [UInt8]? = nil,
        bound: Duration = .seconds(180)
    ) async throws -> CLIRun {
        let result = try await spawn(arguments, environment: extra, stdin: stdin).wait(bound: bound)
        #expect(!result.timedOut, "rfclient \(arguments.joined(separator: " ")) did not finish within \(bound)")
        return CLIRun(arguments: arguments, status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}

/// What one `rfclient` run printed and returned.
struct CLIRun: Sendable, CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    var stderrLines: [String] { stderrText.split(separator: "\n").map(String.init) }
    /// The `rfclient: …` error lines on stderr.
    var errorLines: [String] { stderrLines.filter { $0.hasPrefix("rfclient: ") || $0.hasPrefix("Error: ") } }

    var description: String {
        "rfclient \(arguments.joined(separator: " ")) → exit \(status)\nstdout: \(stdoutText.prefix(1500))\nstderr: \(stderrText.prefix(3000))"
    }
}
