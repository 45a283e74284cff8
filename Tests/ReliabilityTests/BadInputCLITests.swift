import ImageCodecs
import Foundation
import InferenceSDK
import TestSupport
import Testing

/// The bad-input matrix through `rfclient`: exit code 2, one `rfclient: …` line naming the input, nothing on
/// stdout, and no workflow request at the API URL (an in-process server that counts them).
@Suite struct BadInputCLITests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The arguments after `run` (the API URL, key and a good spec are added unless `spec` is set here).
        var arguments: @Sendable (BadFiles, String) -> [String]
        var contains: @Sendable (BadFiles, String) -> [String]
        var stdin: [UInt8]? = nil
        var testDescription: String { name }
    }

    static func image(_ source: String) -> [String] { ["--spec", Fixture.path("blur.json"), "--image", "image=\(source)"] }

    static let cases: [Case] = [
        Case(name: "missing file", arguments: { f, _ in image(f.missing) },
             contains: { f, _ in ["invalid input 'image': file \(f.missing) does not exist"] }),
        Case(name: "directory instead of a file", arguments: { f, _ in image(f.directory) },
             contains: { f, _ in ["invalid input 'image': file \(f.directory) is a directory, not a file"] }),
        Case(name: "zero-byte file", arguments: { f, _ in image(f.empty) },
             contains: { f, _ in ["file \(f.empty) is empty (0 bytes)"] }),
        Case(name: "text file named .jpg", arguments: { f, _ in image(f.textAsJPEG) },
             contains: { f, _ in ["file \(f.textAsJPEG) is not a valid image", "looks like text"] }),
        Case(name: "truncated JPEG", arguments: { f, _ in image(f.truncatedJPEG) },
             contains: { f, _ in ["file \(f.truncatedJPEG) is not a valid image: JPEG is truncated"] }),
        Case(name: "PNG with a bad CRC", arguments: { f, _ in image(f.badCRC) },
             contains: { f, _ in ["file \(f.badCRC) is not a valid image: PNG chunk IDAT at offset \(f.badCRCOffset) has a bad CRC"] }),
        Case(name: "PNG declaring 100000×100000", arguments: { f, _ in image(f.hugePNG) },
             contains: { f, _ in ["file \(f.hugePNG) declares 100000×100000 pixels"] }),
        Case(name: "JPEG declaring 65535×65535", arguments: { f, _ in image(f.hugeJPEG) },
             contains: { f, _ in ["file \(f.hugeJPEG) declares 65535×65535 pixels"] }),
        Case(name: "base64 text on stdin instead of image bytes", arguments: { _, _ in image("-") },
             contains: { _, _ in ["invalid input 'image'", "is not a valid image", "looks like text"] },
             stdin: Array("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk".utf8)),
        Case(name: "URL that answers 404", arguments: { _, base in image(base + "/missing.png") },
             contains: { _, base in ["URL \(base)/missing.png could not be downloaded: HTTP 404"] }),
        Case(name: "URL that is not an image", arguments: { _, base in image(base + "/page.html") },
             contains: { _, base in ["URL \(base)/page.html is not a valid image"] }),
        Case(name: "URL too large", arguments: { _, base in image(base + "/huge.png") },
             contains: { _, base in ["URL \(base)/huge.png is larger than the 33554432-byte download limit"] }),
        Case(name: "URL with a key in its query", arguments: { _, base in image(Secret.urlWithKey(base, path: "/missing.png")) },
             contains: { _, base in ["URL \(base)/missing.png?api_key=***&size=1 could not be downloaded: HTTP 404"] }),
        Case(name: "spec that is not JSON", arguments: { f, _ in ["--spec", f.nonJSONSpec, "--image", "image=\(f.good)"] },
             contains: { f, _ in ["invalid input 'specification'", f.nonJSONSpec] }),
        Case(name: "spec that is JSON but not an object", arguments: { f, _ in ["--spec", f.arraySpec, "--image", "image=\(f.good)"] },
             contains: { f, _ in ["specification file \(f.arraySpec) is JSON but not an object (it is array)"] }),
        Case(name: "--param without =", arguments: { f, _ in image(f.good) + ["--param", "kernel_size"] },
             contains: { _, _ in ["--param expects NAME=VALUE", "got 'kernel_size'"] }),
        Case(name: "--param with an empty name", arguments: { f, _ in image(f.good) + ["--param", "=5"] },
             contains: { _, _ in ["--param '=5' has an empty NAME"] }),
        Case(name: "--params file that is not JSON", arguments: { f, _ in image(f.good) + ["--params", f.textAsJPEG] },
             contains: { f, _ in ["--params file \(f.textAsJPEG) is not valid JSON"] }),
        Case(name: "--image without =", arguments: { f, _ in ["--spec", Fixture.path("blur.json"), "--image", f.good] },
             contains: { f, _ in ["--image expects NAME=VALUE", f.good] }),
    ]

    @Test(arguments: cases)
    func exitsTwoWithOneLineAndSendsNothing(_ bad: Case) async throws {
        let folder = try TemporaryDirectory("bad-cli")
        defer { folder.remove() }
        let files = try BadFiles(in: folder)
        let server = try await BadInputServer.start()
        let arguments = ["run", "--api-url", server.baseURL, "--api-key", Secret.key, "--verbose"] + bad.arguments(files, server.baseURL)
        let run = try await CLI.run(arguments, stdin: bad.stdin)
        await server.shutdown()
        Self.expectRefused(run, contains: bad.contains(files, server.baseURL))
        #expect(BadInputServer.workflowRequests(server).isEmpty, "a workflow request was sent: \(run)")
    }

    @Test func unreadableFileIsRefused() async throws {
        let folder = try TemporaryDirectory("bad-cli")
        defer { folder.remove() }
        let files = try BadFiles(in: folder)
        let server = try await BadInputServer.start()
        // The definition is copied beside the image: as nobody, rfclient may not reach the repository (CI clones it
        // into a `mktemp -d` folder, mode 0700), and only the image is meant to be unreadable.
        let spec = try folder.write("blur.json", try Fixture.bytes("blur.json"))
        let arguments = ["run", "--api-url", server.baseURL, "--api-key", Secret.key, "--spec", spec, "--image", "image=\(files.unreadable)"]
        let run: CLIRun
        if getuid() == 0 {
            // Root reads any file: run rfclient as nobody, for whom a mode-000 file is really unreadable.
            let setpriv = "/usr/bin/setpriv"
            try #require(FileManager.default.isExecutableFile(atPath: setpriv), "needs setpriv to drop root for this case")
            let executable = try #require(BuiltRFClient.path)
            let result = try await ChildProcess.run(
                setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "--", executable] + arguments,
                environment: BuiltRFClient.environment([:]))
            run = CLIRun(arguments: arguments, status: result.status, stdout: result.stdout, stderr: result.stderr)
        } else {
            run = try await CLI.run(arguments)
        }
        await server.shutdown()
        Self.expectRefused(run, contains: ["invalid input 'image': file \(files.unreadable) cannot be read (permission denied)"])
        #expect(BadInputServer.workflowRequests(server).isEmpty)
    }

    @Test(.enabled(if: RealServer.available, "needs the real server"))
    func processRecordsEachBadImageByNameAndSendsOnlyTheGoodOne() async throws {
        let upstream = try #require(RealServer.url)
        let folder = try TemporaryDirectory("bad-process")
        defer { folder.remove() }
        let input = try TemporaryDirectory.sub(folder, "in")
        let bad: [String: [UInt8]] = [
            "empty.jpg": [], "notes.jpg": Array("not a photo\n".utf8), "cut.jpg": try Images.truncatedJPEG(),
            "bad-crc.png": try Images.pngWithBadCRC().bytes, "huge.png": Images.pngDeclaring(width: 100_000, height: 100_000),
        ]
        for (name, bytes) in bad { try input.write(name, bytes) }
        let good = try Images.png(seed: 11)
        try input.write("good.png", good)
        let proxy = try await FaultProxy.start(upstream: upstream)
        let output = folder.file("out")
        let run = try await CLI.run(
            ProcessArguments.blur(input: input.path, output: output, apiURL: proxy.baseURL, extra: ["--api-key", Secret.key]))
        #expect(run.status == 1, "\(run)")
        #expect(run.stderrText.contains("done 1, skipped 0, failed 5 of 6 images"), "\(run)")
        let failures = ProcessOutput(directory: output).failures
        #expect(Set(failures.keys) == Set(bad.keys))
        for (name, record) in failures {
            #expect(record["error_type"]?.stringValue == "invalidInput")
            #expect(record["status"] == .null)
            #expect(record["message"]?.stringValue?.contains("file \(input.path)/\(name) ") == true, "\(record)")
        }
        // Only the good image reached the server.
        #expect(proxy.perImage.count == 1)
        #expect(proxy.perImage[Base64.encode(good)]?.successes == 1)
        Secret.expectAbsent(in: run.stdoutText + run.stderrText, "the CLI output")
        Secret.expectAbsent(inFilesUnder: output)
        await proxy.shutdown()
    }

    static func expectRefused(_ run: CLIRun, contains fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 2, "\(run)", sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, "\(run)", sourceLocation: sourceLocation)
        let lines = run.stderrLines.filter { !$0.contains(" debug ") && !$0.contains(" info ") }
        #expect(lines.count == 1, "expected one error line: \(run)", sourceLocation: sourceLocation)
        let line = lines.first ?? ""
        #expect(line.hasPrefix("rfclient: "), "\(run)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(line.contains(fragment), "missing '\(fragment)' in: \(line)", sourceLocation: sourceLocation)
        }
        Secret.expectAbsent(in: run.stdoutText + run.stderrText, "the CLI output", sourceLocation: sourceLocation)
    }
}
