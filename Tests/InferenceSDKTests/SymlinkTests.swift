import Foundation
@testable import InferenceJobs
@testable import InferenceSDK
import InferenceSDKTesting
import Testing

/// What a folder job may read and write (issue 20): links are not followed unless asked, followed links never leave
/// the folder and loops are walked once; results are never written through a link planted in the output folder.
@Suite struct SymlinkTests {
    /// IN/a.png, IN/sub/b.png, OUTSIDE/{x,y,z}.png, IN/outside -> OUTSIDE, IN/loop -> IN, IN/again -> IN/sub,
    /// IN/link.png -> IN/a.png, IN/far.png -> OUTSIDE/x.png.
    func tree() throws -> (input: String, outside: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("links-\(UUID().uuidString)").path
        let input = base + "/in", outside = base + "/outside"
        for folder in [input + "/sub", outside] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        for file in [input + "/a.png", input + "/sub/b.png", outside + "/x.png", outside + "/y.png", outside + "/z.png"] {
            #expect(FileManager.default.createFile(atPath: file, contents: Data(Fixtures.png)))
        }
        for (link, target) in [("outside", outside), ("loop", input), ("again", input + "/sub"), ("link.png", input + "/a.png"), ("far.png", outside + "/x.png")] {
            try FileManager.default.createSymbolicLink(atPath: input + "/" + link, withDestinationPath: target)
        }
        return (input, outside)
    }

    @Test func linksAreSkippedUnlessAsked() throws {
        let (input, _) = try tree()
        #expect(Array(ImageFileWalker(root: input, recursive: true)) == ["a.png", "sub/b.png"])
    }

    @Test func followedLinksStayInsideAndEachRealFileComesOnce() throws {
        let (input, _) = try tree()
        let paths = Array(ImageFileWalker(root: input, recursive: true, followSymlinks: true))
        // link.png is a.png again, sub/ is again/ again; outside/, far.png and loop/ lead out or back.
        #expect(paths == ["a.png", "again/b.png"], "\(paths)")  // again/ sorts before sub/: b.png once, by the first path to it
    }

    @Test func theOutputFolderIsExcludedByItsRealPath() throws {
        let (input, _) = try tree()
        // The output folder is inside the input, named through a link to it.
        try FileManager.default.createDirectory(atPath: input + "/results", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: input + "/results/old.png", contents: Data(Fixtures.png)))
        let viaLink = (input as NSString).deletingLastPathComponent + "/out-link"
        try FileManager.default.createSymbolicLink(atPath: viaLink, withDestinationPath: input + "/results")
        let paths = Array(ImageFileWalker(root: input, recursive: true, excluded: [viaLink]))
        #expect(!paths.contains { $0.hasPrefix("results/") }, "\(paths)")
    }

    @Test func aLinkPlantedInTheOutputFolderIsNeverWrittenThrough() async throws {
        let (input, outside) = try tree()
        let output = (input as NSString).deletingLastPathComponent + "/out"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: output + "/a.png", withDestinationPath: outside)  // a.png's results folder
        let client = try InferenceHTTPClient.scripted(.echoing())
        let job = DirectoryJob(.init(inputDirectory: input, outputDirectory: output, workflow: .inline(Fixtures.spec), concurrency: 1))
        let summary = try await job.run(client: client)
        let failure = try #require(summary.localFailure)
        #expect(failure.kind == .localIO && failure.input == output + "/a.png", "\(failure)")
        #expect(failure.description.contains(output + "/a.png"))
        #expect(!FileManager.default.fileExists(atPath: outside + "/results.json"))
    }

    @Test func aLinkPlantedAtTheProgressLogIsRefused() async throws {
        let (input, outside) = try tree()
        let output = (input as NSString).deletingLastPathComponent + "/out2"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: output + "/progress.jsonl", withDestinationPath: outside + "/stolen.jsonl")
        let client = try InferenceHTTPClient.scripted(.echoing())
        let job = DirectoryJob(.init(inputDirectory: input, outputDirectory: output, workflow: .inline(Fixtures.spec)))
        do {
            _ = try await job.run(client: client)
            Issue.record("the job wrote through a planted link")
        } catch {
            #expect(error.kind == .localIO && error.input == output + "/progress.jsonl", "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: outside + "/stolen.jsonl"))
    }
}
