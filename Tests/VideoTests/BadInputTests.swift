import Foundation
import InferenceSDK
import InferenceSDKVideo
import TestSupport
import Testing

/// Every bad video input: exit 2 with one line naming the source and the cause, nothing sent, no output folder.
@Suite(.enabled(if: Requirement.runs(Clips.available), "needs INFERENCE_PYTHON and ffmpeg"))
struct BadInputTests {
    /// Bad inputs by name → the file's bytes (nil: no file) and what the message must say.
    static func cases(in folder: String) async throws -> [(String, String)] {
        let good = try await Clips.clip(.mpeg4Mp4, frames: 30)
        let goodBytes = try Data(contentsOf: URL(fileURLWithPath: good))
        try Data("this is not a video\n".utf8).write(to: URL(fileURLWithPath: folder + "/text.mp4"))
        try goodBytes.prefix(goodBytes.count / 2).write(to: URL(fileURLWithPath: folder + "/truncated.mp4"))
        try Data().write(to: URL(fileURLWithPath: folder + "/empty.mp4"))
        let still = try Fixture.bytes("swatch.png")
        try Data(still).write(to: URL(fileURLWithPath: folder + "/still.png"))
        // An AVI whose codec tag nobody decodes.
        let mjpeg = try Data(contentsOf: URL(fileURLWithPath: try await Clips.clip(.mjpegAvi, frames: 10)))
        let unknown = mjpeg.replacingOccurrences(of: Data("MJPG".utf8), with: Data("XQZW".utf8))
        try unknown.write(to: URL(fileURLWithPath: folder + "/unknown-codec.avi"))
        return [
            (folder + "/missing.mp4", "no such file"),
            (folder + "/text.mp4", "Invalid data"),
            // Half a file: its index (written last) is gone, so it cannot be opened (was "": any message passed).
            (folder + "/truncated.mp4", "cannot be opened"),
            (folder + "/empty.mp4", "empty"),
            (folder + "/still.png", "still image"),
            (folder + "/unknown-codec.avi", "not supported"),
            (folder, "folder"),
            ("http://127.0.0.1:9/stream.mjpg", "cannot be opened"),
            ("/dev/video97", "cannot be opened"),
        ]
    }

    @Test
    func cliRefusesWithExitTwoAndSendsNothing() async throws {
        let folder = VideoCLI.temporaryFolder("bad")
        for (source, cause) in try await Self.cases(in: folder) {
            let out = folder + "/out-\(UUID().uuidString)"
            // A server that is not there: had anything been sent the exit would be 4.
            let result = try await VideoCLI.run([source, "-o", out, "--spec", VideoCLI.frameEcho], url: "http://127.0.0.1:9")
            #expect(result.status == 2, "\(source): \(result)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(source): \(result)")
            #expect(result.stderr.contains(source), "\(source): the message does not name the source: \(result.stderr)")
            #expect(!cause.isEmpty && result.stderr.contains(cause), "\(source): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(source): the output folder was created")
        }
    }

    @Test
    func libraryThrowsInvalidInputNamingTheSource() async throws {
        let folder = VideoCLI.temporaryFolder("bad-lib")
        let spec = try WorkflowSpecification(contentsOfFile: VideoCLI.frameEcho)
        for (source, _) in try await Self.cases(in: folder) {
            try await InferenceHTTPClient.withClient(RealServer.configuration(url: "http://127.0.0.1:9")) { client in
                do {
                    _ = try await client.processVideo(VideoSource(parsing: source), workflow: .inline(spec))
                    Issue.record("\(source) was accepted")
                } catch let error as InferenceError {
                    #expect(error.kind == .invalidInput, "\(source): \(error)")
                    #expect(error.description.contains(source), "\(source): \(error)")
                } catch {
                    Issue.record("\(source): \(error)")
                }
            }
        }
    }

    @Test
    func anInputOptionNoDemuxerKnowsIsRefusedByName() async throws {
        let clip = try await Clips.clip(.h264Mp4, frames: 23)
        let spec = try WorkflowSpecification(contentsOfFile: VideoCLI.frameEcho)
        try await InferenceHTTPClient.withClient(RealServer.configuration(url: "http://127.0.0.1:9")) { client in
            do {
                _ = try await client.processVideo(VideoSource(kind: .file, location: clip, formatOptions: ["no_such_option": "1"]), workflow: .inline(spec))
                Issue.record("an unknown input option was accepted")
            } catch let error as InferenceError {
                #expect(error.kind == .invalidInput)
                #expect(error.message.contains("no_such_option"), "\(error)")
            }
        }
        let out = VideoCLI.temporaryFolder("bad-option") + "/out"
        for arguments in [["--input-option", "no_such_option=1"], ["--input-option", "=1"], ["--input-option", "novalue"]] {
            let result = try await VideoCLI.run([clip, "-o", out, "--spec", VideoCLI.frameEcho] + arguments, url: "http://127.0.0.1:9")
            #expect(result.status == 2, "\(arguments): \(result)")
            let named = arguments[1].hasPrefix("no_such_option") ? "no_such_option" : "'\(arguments[1])'"
            #expect(result.stderr.contains(named), "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(arguments): the output folder was created")
        }
    }
}

extension Data {
    func replacingOccurrences(of target: Data, with replacement: Data) -> Data {
        var out = self
        while let range = out.range(of: target) { out.replaceSubrange(range, with: replacement) }
        return out
    }

}
