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
        // A thrown error, not #require: with(_:) may try another port, and a failed #require is recorded at once.
        guard result.status == 0 && printed.hasSuffix(url) else {
            throw ChildProcessError(message: "could not start a server on \(url): \(String(decoding: result.stderr, as: UTF8.self).suffix(2000))")
        }
    }

    /// Stops it (SIGTERM, then SIGKILL after 10 s), by the PID the script recorded.
    func stop() async {
        _ = try? await ChildProcess.run(
            "/bin/bash", [Self.script, "stop", state], environment: ProcessInfo.processInfo.environment, bound: .seconds(60))
    }

    /// Runs `body` with a started server and always stops it afterwards. A port another process took between
    /// choosing it and binding it (the script then refuses to call the server ready) is replaced, twice at most.
    static func with<T>(_ body: (OwnServer) async throws -> T) async throws -> T {
        let folder = try TemporaryDirectory("own-server")
        var server = OwnServer(state: folder.path)
        do {
            for attempt in 1...3 {
                do {
                    try await server.start()
                    break
                } catch where attempt < 3 {
                    await server.stop()
                    server = OwnServer(state: folder.path)
                }
            }
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
