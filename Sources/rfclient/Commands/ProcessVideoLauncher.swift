import ArgumentParser
import Foundation
import RFClientCommon

/// `rfclient process-video`: runs `rfclient-video` from rfclient's own folder with the same arguments.
///
/// Video decoding links FFmpeg (135 shared libraries, ~30 ms of start-up); keeping it in its own executable
/// keeps `rfclient --version` and one-shot `rfclient run` as fast as before.
struct ProcessVideoLauncher: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process-video",
        abstract: "Decode a video here (file, stream, camera) and run every frame through a workflow; resumable.",
        discussion: "See 'rfclient process-video --help' for the options (this command runs rfclient-video)."
    )

    @Argument(parsing: .captureForPassthrough, help: "Arguments of rfclient-video.")
    var arguments: [String] = []

    func run() throws {
        Self.exec(arguments)
    }

    /// Replaces this process with `rfclient-video arguments…`; prints a one-line error and exits 2 if it cannot.
    static func exec(_ arguments: [String]) -> Never {
        let argv = (["rfclient process-video"] + arguments).map { strdup($0) } + [nil]
        let candidates = videoExecutableCandidates()
        for path in candidates where access(path, X_OK) == 0 {
            execv(path, argv)
        }
        let looked = candidates.isEmpty ? "nowhere" : candidates.joined(separator: ", ")
        Terminal.error("process-video needs rfclient-video beside rfclient or on PATH (looked in: \(looked))")
        Foundation.exit(ExitCode.badInput.rawValue)
    }

    /// Where `rfclient-video` may be, in order: beside this executable's resolved path (the install layout; also
    /// through a symlink on `PATH`), then each folder of `PATH`. No `/proc` needed: Foundation finds the executable
    /// on Linux and on Apple platforms alike.
    static func videoExecutableCandidates(
        executable: URL? = Bundle.main.executableURL, path: String? = ProcessInfo.processInfo.environment["PATH"]
    ) -> [String] {
        var candidates: [String] = []
        if let executable {
            candidates.append(executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("rfclient-video").path)
        }
        for folder in (path ?? "").split(separator: ":") where !folder.isEmpty {
            let candidate = String(folder) + "/rfclient-video"
            if !candidates.contains(candidate) { candidates.append(candidate) }
        }
        return candidates
    }
}
