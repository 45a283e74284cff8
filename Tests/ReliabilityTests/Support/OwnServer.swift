import Foundation
import TestSupport
import Testing

/// A real inference server of the test's own (scripts/inference-server.sh with its own state folder and a
/// fixed port), so a test can stop and restart it without disturbing the shared one.
struct OwnServer: Sendable {
    let state: String
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    static let script = BuiltRFClient.repositoryRoot + "/scripts/inference-server.sh"

    init(state: String, port: Int = ResettingServer.closedPort()) {
        self.state = state
        self.port = port
    }

    /// Starts (or restarts) the server on ``port`` and waits until it answers `GET /info`.
    func start() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["INFERENCE_PORT"] = String(port)
        let result = try await ChildProcess.run("/bin/bash", [Self.script, "start", state], environment: environment, bound: .seconds(400))
        let printed = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(result.status == 0 && printed.hasSuffix(url),
                     "could not start a server on \(url): \(String(decoding: result.stderr, as: UTF8.self).suffix(2000))")
    }

    /// Stops it (SIGTERM, then SIGKILL after 10 s), by the PID the script recorded.
    func stop() async {
        _ = try? await ChildProcess.run(
            "/bin/bash", [Self.script, "stop", state], environment: ProcessInfo.processInfo.environment, bound: .seconds(60))
    }

    /// Runs `body` with a started server and always stops it afterwards.
    static func with<T>(_ body: (OwnServer) async throws -> T) async throws -> T {
        let folder = try TemporaryDirectory("own-server")
        let server = OwnServer(state: folder.path)
        do {
            try await server.start()
            let value = try await body(server)
            await server.stop()
            folder.remove()
            return value
        } catch {
            await server.stop()
            folder.remove()
            throw error
        }
    }
}
