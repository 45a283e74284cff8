import Foundation
import InferenceJobs
@testable import InferenceSDK
import InferenceSDKTesting
import Testing

/// One job per output folder (issue 20): a job holds its folder with `flock(2)` for its whole run.
@Suite struct JobFolderLockTests {
    /// An input folder with one image, and an output folder beside it.
    func folders() throws -> (input: String, output: String) {
        let image = try Fixtures.temporaryFile(Fixtures.png)
        let input = (image as NSString).deletingLastPathComponent
        return (input, input + "-out")
    }

    @Test func aJobIntoAFolderAnotherJobHoldsStopsAtOnceAndTouchesNothing() async throws {
        let (input, output) = try folders()
        let transport = ScriptedTransport.echoing()
        let client = try InferenceHTTPClient.scripted(transport)
        let job = DirectoryJob(.init(inputDirectory: input, outputDirectory: output, workflow: .inline(Fixtures.spec)))
        var holder: JobFolder? = try JobFolder(output)  // what a running job holds
        do {
            _ = try await job.run(client: client)
            Issue.record("a second job ran into a folder in use")
        } catch {
            #expect(error.kind == .folderInUse)
            #expect(error.input == output && error.description.contains(output), "\(error)")
        }
        #expect(transport.requests.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output + "/progress.jsonl"))
        #expect(holder != nil)
        holder = nil  // the first job ends: the lock goes with it
        let summary = try await job.run(client: client)
        #expect(summary.complete && summary.progress.done == 1)
        #expect(transport.requests.count == 1)
    }

    @Test func theLockEndsWithTheRunSoARerunResumes() async throws {
        let (input, output) = try folders()
        let transport = ScriptedTransport.echoing()
        let client = try InferenceHTTPClient.scripted(transport)
        let job = DirectoryJob(.init(inputDirectory: input, outputDirectory: output, workflow: .inline(Fixtures.spec)))
        _ = try await job.run(client: client)
        let again = try await job.run(client: client)  // the first run's lock is gone, its lock file stays
        #expect(FileManager.default.fileExists(atPath: output + "/" + JobFolder.lockName))
        #expect(again.complete && again.progress.skipped == 1 && transport.requests.count == 1)
    }
}
