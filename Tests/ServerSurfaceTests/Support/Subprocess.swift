import Foundation
import TestSupport

/// A child process with stdout/stderr captured in files. Stopped with SIGKILL: Foundation's `Process`
/// children on Linux start with a blocked signal mask, so SIGTERM may be ignored.
final class Subprocess: @unchecked Sendable {
    let process: Process
    let stdoutPath: String
    let stderrPath: String

    private init(process: Process, stdoutPath: String, stderrPath: String) {
        self.process = process
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    var isRunning: Bool { process.isRunning }
    var stdout: [UInt8] { (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: stdoutPath)))) ?? [] }
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Subprocess {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-\(UUID().uuidString)").path
        let out = base + ".out", err = base + ".err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        return Subprocess(process: process, stdoutPath: out, stderrPath: err)
    }

    /// Sends SIGKILL (no-op once it has exited).
    func kill() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Deletes the captured output files.
    func removeFiles() {
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }

    /// Sends SIGINT (what Ctrl-C sends).
    func interrupt() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGINT) }
    }

    /// Waits for the exit, killing the process after `timeout`. Returns the exit status (-9 when killed).
    func wait(timeout: Duration) async -> (status: Int32, timedOut: Bool) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill()
                while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
                return (process.terminationStatus, true)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return (process.terminationStatus, false)
    }

    /// Runs to completion (killed after `timeout`).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Duration
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try spawn(executable, arguments, environment: environment)
        let (status, timedOut) = await child.wait(timeout: timeout)
        let result = (timedOut ? Int32(-1) : status, child.stdoutText, child.stderrText)
        child.removeFiles()
        return result
    }
}

struct SubprocessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The built `rfclient` (see ``BuiltRFClient``).
enum RFClientBinary {
    static var path: String? { BuiltRFClient.path }

    /// The environment for a child `rfclient`: ours without `ROBOFLOW_*`, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] { BuiltRFClient.environment(extra) }
}
