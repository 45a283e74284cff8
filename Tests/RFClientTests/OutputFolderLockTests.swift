import Foundation
import InferenceJobs
import InferenceSDK
import TestSupport
import Testing

/// `rfclient process` into a folder another job holds: exit 6 at once, one line naming the folder, nothing sent or
/// written; once the other job ends, the same command runs (issue 20).
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct OutputFolderLockTests {
    @Test func aSecondProcessIntoAFolderInUseExitsSixNamingIt() async throws {
        let tmp = try TemporaryDirectory()
        try tmp.write("in/swatch.png", Fixture.bytes("swatch.png"))
        let out = tmp.file("out")
        let arguments = ["process", tmp.file("in"), "-o", out, "--spec", Fixture.path("blur.json")]
        var holder: JobFolder? = try JobFolder(out)  // a job that is still running, in this process
        let refused = try await CLI.run(arguments)
        #expect(refused.status == 6, "\(refused)")
        #expect(refused.errorLines.count == 1 && refused.errorLines.first?.contains(out) == true, "\(refused.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: out + "/progress.jsonl"))
        #expect(holder != nil)
        holder = nil
        let ran = try await CLI.run(arguments)
        #expect(ran.status == 0, "\(ran)")
        #expect(FileManager.default.fileExists(atPath: out + "/swatch.png/results.json"))
    }
}
