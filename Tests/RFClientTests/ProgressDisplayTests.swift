import Foundation
import InferenceSDK
import TestSupport
import Testing

/// What `rfclient process` shows while it works: a redrawn bar on a terminal, plain lines otherwise.
/// The terminal is a real pseudo-terminal from `script(1)` (util-linux).
@Suite(.enabled(if: RealServer.available && FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
                "needs INFERENCE_SERVER_URL and script(1)"))
struct ProgressDisplayTests {
    func makeImages(_ tmp: TemporaryDirectory) throws -> String {
        for index in 0..<3 { try tmp.write("in/swatch-\(index).png", Fixture.bytes("swatch.png")) }
        return tmp.file("in")
    }

    @Test func aTerminalGetsARedrawnBarWithCountsAndAnETA() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let input = try makeImages(tmp)
        let executable = try #require(CLI.executable)
        let command = [executable, "process", input, "-o", tmp.file("out"), "--spec", Fixture.path("blur.json")]
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // script gives the command a pseudo-terminal for stdin, stdout and stderr and copies what it printed.
        let child = try ChildProcess.spawn(
            "/usr/bin/script", ["-qefc", command, "/dev/null"], environment: CLI.environment(["TERM": "xterm"]))
        let result = await child.wait(bound: .seconds(120))
        let screen = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0, "\(screen)")
        #expect(screen.contains("\r\u{1B}[K"), "the bar is redrawn in place: \(screen.debugDescription)")
        #expect(screen.contains("██████████████████████████████ 3/3 "), "\(screen.debugDescription)")
        #expect(screen.contains(" img/s ETA "), "\(screen.debugDescription)")
        #expect(screen.contains("(failed 0)"), "\(screen.debugDescription)")
        #expect(!screen.contains("progress: "), "no plain progress lines on a terminal")
        #expect(screen.contains("done 3, skipped 0, failed 0 of 3 images"), "\(screen.debugDescription)")
    }

    @Test func aPipeGetsPlainLinesWithoutControlCharacters() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let input = try makeImages(tmp)
        let result = try await CLI.run(["process", input, "-o", tmp.file("out"), "--spec", Fixture.path("blur.json")])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderrText.contains("progress: 3/3 done=3 skipped=0 failed=0 "), "\(result)")
        #expect(!result.stderrText.contains("\u{1B}["), "no escape sequences in a log")
        #expect(!result.stderrText.contains("\r"))
    }
}
