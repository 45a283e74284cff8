import Foundation

/// The built `rfclient` binary that the CLI tests of every test target run as a child process.
public enum BuiltRFClient {
    /// The repository root (this file is `<root>/Tests/TestSupport/BuiltRFClient.swift`).
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// `RFCLIENT_PATH`, else `rfclient` beside the test bundle, else `<repo>/.build/debug/rfclient`; nil when none
    /// of them is an executable file.
    public static let path: String? = {
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["RFCLIENT_PATH"], !path.isEmpty { candidates.append(path) }
        if let bundle = CommandLine.arguments.first {
            var folder = URL(fileURLWithPath: bundle).deletingLastPathComponent()
            // On macOS the runner sits inside `X.xctest/Contents/MacOS`.
            while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
            candidates.append(folder.appendingPathComponent("rfclient").path)
        }
        candidates.append(repositoryRoot + "/.build/debug/rfclient")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// The environment for a child `rfclient`: ours without any `ROBOFLOW_*` variable, plus `extra`.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ROBOFLOW_") }
        for (key, value) in extra { environment[key] = value }
        return environment
    }
}
