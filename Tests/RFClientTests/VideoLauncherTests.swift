import Foundation
import TestSupport
import Testing

/// `rfclient process-video` finds `rfclient-video` from rfclient's own resolved path, then from `PATH`, without
/// `/proc` (which Apple platforms lack): run as a bare `rfclient` found on `PATH`, as a user's shell runs it.
@Suite struct VideoLauncherTests {
    /// A copy of rfclient alone in a folder (its own folder has no rfclient-video), started through `env` so that
    /// argv[0] is just `rfclient`.
    func runCopy(path: String, in tmp: TemporaryDirectory) throws -> ChildProcess {
        let rfclient = try #require(CLI.executable, "build rfclient first")
        try FileManager.default.createDirectory(atPath: tmp.file("bin"), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: tmp.file("bin/rfclient")) {
            try FileManager.default.copyItem(atPath: rfclient, toPath: tmp.file("bin/rfclient"))
        }
        return try ChildProcess.spawn(
            "/usr/bin/env", ["rfclient", "process-video", "--help"], environment: CLI.environment(["PATH": path], server: nil)
        )
    }

    @Test func rfclientOnPathFindsRfclientVideoOnPath() async throws {
        let tmp = try TemporaryDirectory()
        let built = try #require(CLI.executable.map { ($0 as NSString).deletingLastPathComponent })
        let result = try await runCopy(path: tmp.file("bin") + ":" + built + ":/usr/bin:/bin", in: tmp).wait()
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
        #expect(stdout.contains("--max-fps"), "not rfclient-video's help: \(stdout.prefix(300))")
    }

    @Test func withoutRfclientVideoAnywhereTheErrorSaysWhereItLooked() async throws {
        let tmp = try TemporaryDirectory()
        let result = try await runCopy(path: tmp.file("bin") + ":/usr/bin:/bin", in: tmp).wait()
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        #expect(result.status == 2)
        #expect(stderr.contains("needs rfclient-video beside rfclient or on PATH"), "\(stderr)")
        #expect(stderr.contains(tmp.file("bin/rfclient-video")), "\(stderr)")
    }
}
