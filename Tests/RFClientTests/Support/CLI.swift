import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The built `rfclient` binary, run as a child process against the real server.
enum CLI {
    /// The built binary (see ``BuiltRFClient/path``).
    static var executable: String? { BuiltRFClient.path }

    /// The child's environment: ours without `ROBOFLOW_*`, with `ROBOFLOW_API_URL` set to the real server.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var base: [String: String] = [:]
        if let url = RealServer.url { base["ROBOFLOW_API_URL"] = url }
        return BuiltRFClient.environment(base.merging(extra) { $1 })
    }

    /// Runs `rfclient arguments…` to completion.
    static func run(
        _ arguments: [String], stdin: [UInt8]? = nil, environment extra: [String: String] = [:]
    ) async throws -> CLIOutput {
        let child = try spawn(arguments, stdin: stdin, environment: extra)
        let result = await child.wait(bound: .seconds(120))
        #expect(!result.timedOut, "rfclient \(arguments.joined(separator: " ")) did not finish")
        return CLIOutput(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    /// Starts `rfclient arguments…` (for tests that signal it).
    static func spawn(
        _ arguments: [String], stdin: [UInt8]? = nil, environment extra: [String: String] = [:]
    ) throws -> ChildProcess {
        let executable = try #require(executable, "build rfclient first (swift build --build-tests) or set RFCLIENT_PATH")
        return try ChildProcess.spawn(executable, arguments, environment: environment(extra), stdin: stdin)
    }
}

/// What a finished `rfclient` printed.
struct CLIOutput: Sendable, CustomStringConvertible {
    var status: Int32
    var stdout: [UInt8]
    var stderr: [UInt8]

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    var stderrLines: [String] { stderrText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    var stdoutLines: [String] { stdoutText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    /// stdout as one JSON document, checked with Foundation's parser too (what `jq` would accept).
    func json() throws -> JSONValue {
        _ = try JSONSerialization.jsonObject(with: Data(stdout), options: [.fragmentsAllowed])
        return try JSONValue(parsing: stdout)
    }

    /// stdout as one JSON value per line.
    func ndjson() throws -> [JSONValue] {
        try stdoutLines.map { try JSONValue(parsing: Array($0.utf8)) }
    }

    var description: String { "exit \(status)\nstdout: \(stdoutText.prefix(2000))\nstderr: \(stderrText.prefix(2000))" }
}

/// A scratch folder removed when the test ends.
struct TempDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rfclient-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ relative: String) -> String { path + "/" + relative }

    /// Writes `bytes` at `relative`, creating folders.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = file(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true
        )
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    /// Writes a JSON value at `relative`.
    @discardableResult
    func write(_ relative: String, json: JSONValue) throws -> String {
        try write(relative, json.serialized())
    }

    func read(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: file(relative))))
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: file(relative)) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A loopback port nothing listens on (bound, read, closed).
func unusedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ChildProcessError(message: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw ChildProcessError(message: "bind() failed") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw ChildProcessError(message: "getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
