import Foundation
import InferenceSDK
import Testing

/// The built `rfclient` binary run as a child process: the one CLI runner of every test target.
public enum CLI {
    /// The binary (see ``BuiltRFClient/path``).
    public static var executable: String? { BuiltRFClient.path }

    /// The child's environment: ours without `ROBOFLOW_*`, with `ROBOFLOW_API_URL` set to `server` when given
    /// (default: the real server of this run), plus `extra`.
    public static func environment(_ extra: [String: String] = [:], server: String? = RealServer.url) -> [String: String] {
        var base: [String: String] = [:]
        if let server { base["ROBOFLOW_API_URL"] = server }
        return BuiltRFClient.environment(base.merging(extra) { $1 })
    }

    /// Runs `rfclient arguments…` to completion (killed after `bound`, which fails the test).
    public static func run(
        _ arguments: [String], stdin: [UInt8]? = nil, environment extra: [String: String] = [:],
        server: String? = RealServer.url, bound: Duration = .seconds(180)
    ) async throws -> CLIRun {
        let child = try spawn(arguments, stdin: stdin, environment: extra, server: server)
        let result = await child.wait(bound: bound)
        #expect(!result.timedOut, "rfclient \(arguments.joined(separator: " ")) did not finish within \(bound)")
        return CLIRun(arguments: arguments, result: result)
    }

    /// Starts `rfclient arguments…` (for tests that signal it or read it while it runs).
    public static func spawn(
        _ arguments: [String], stdin: [UInt8]? = nil, environment extra: [String: String] = [:], server: String? = RealServer.url
    ) throws -> ChildProcess {
        let executable = try #require(executable, "build rfclient first (swift build --build-tests) or set RFCLIENT_PATH")
        return try ChildProcess.spawn(executable, arguments, environment: environment(extra, server: server), stdin: stdin)
    }
}

/// What one `rfclient` run printed and returned.
public struct CLIRun: Sendable, CustomStringConvertible {
    /// The arguments it ran with.
    public var arguments: [String]
    /// The exit status.
    public var status: Int32
    /// Everything on stdout.
    public var stdout: [UInt8]
    /// Everything on stderr.
    public var stderr: [UInt8]

    /// A run's outcome.
    public init(arguments: [String], status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        self.arguments = arguments
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// The outcome of a finished child.
    public init(arguments: [String], result: ChildProcess.Result) {
        self.init(arguments: arguments, status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    public var stdoutLines: [String] { stdoutText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    public var stderrLines: [String] { stderrText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    /// The `rfclient: …` error lines on stderr.
    public var errorLines: [String] { stderrLines.filter { $0.hasPrefix("rfclient: ") || $0.hasPrefix("Error: ") } }

    /// stdout as one JSON document, checked with Foundation's parser too (what `jq` would accept).
    public func json() throws -> JSONValue {
        _ = try JSONSerialization.jsonObject(with: Data(stdout), options: [.fragmentsAllowed])
        return try JSONValue(parsing: stdout)
    }

    /// stdout as one JSON value per line.
    public func ndjson() throws -> [JSONValue] {
        try stdoutLines.map { try JSONValue(parsing: Array($0.utf8)) }
    }

    public var description: String {
        "rfclient \(arguments.joined(separator: " ")) → exit \(status)\nstdout: \(stdoutText.prefix(2000))\nstderr: \(stderrText.prefix(3000))"
    }
}
