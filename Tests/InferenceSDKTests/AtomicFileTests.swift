import Foundation
import Testing
import InferenceJobs
@testable import InferenceSDK

/// `writeAtomically`: the whole file or nothing, replacing what was there, no temporary files left behind.
@Suite struct AtomicFileTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesAndReplacesWithoutLeavingTemporaryFiles() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/results.json"
        try writeAtomically(Array("first, longer content".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("first, longer content".utf8))
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try writeAtomically(big, to: path)
        #expect(FileManager.default.contents(atPath: path).map([UInt8].init) == big)
        try writeAtomically([], to: path)
        #expect(FileManager.default.contents(atPath: path) == Data())
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["results.json"])
    }

    @Test func aMissingFolderIsAnErrorNamingThePath() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/missing/out.jpg"
        let error = #expect(throws: InferenceError.self) { try writeAtomically([1, 2, 3], to: path) }
        #expect(error?.kind == .localIO)
        #expect(error?.input == path)
        #expect(error?.message == "cannot write \(path): No such file or directory")
        #expect((error?.underlying as? LocalIOError)?.code == ENOENT)
        #expect(error?.description == "local I/O failed: cannot write \(path): No such file or directory")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func writingOverADirectoryFailsAndLeavesNothingBehind() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/taken", withIntermediateDirectories: false)
        let error = #expect(throws: InferenceError.self) { try writeAtomically([1], to: folder + "/taken") }
        #expect(error?.message.hasPrefix("cannot write \(folder)/taken: ") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["taken"])
    }
}
