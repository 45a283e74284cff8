import Foundation
import InferenceSDK
import TestSupport
import Testing

/// Bad input through the library: refused before any request, with one line naming the input and the cause.
/// (InputValidationTests covers the scripted-transport basics; this matrix runs the real transport against
/// an in-process server that counts workflow requests, and adds URLs, corrupt images and huge dimensions.)
@Suite struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The image input, made from the bad files and the server's base URL.
        var image: @Sendable (BadFiles, String) -> WorkflowImage
        /// Fragments the one-line description must contain (the first names the input).
        var contains: @Sendable (BadFiles, String) -> [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "missing file", image: { f, _ in .file(f.missing) }, contains: { f, _ in ["file \(f.missing) does not exist"] }),
        Case(name: "directory instead of a file", image: { f, _ in .file(f.directory) },
             contains: { f, _ in ["file \(f.directory) is a directory, not a file"] }),
        Case(name: "zero-byte file", image: { f, _ in .file(f.empty) }, contains: { f, _ in ["file \(f.empty) is empty (0 bytes)"] }),
        Case(name: "text file named .jpg", image: { f, _ in .file(f.textAsJPEG) },
             contains: { f, _ in ["file \(f.textAsJPEG) is not a valid image", "not a recognized image format (looks like text)"] }),
        Case(name: "truncated JPEG", image: { f, _ in .file(f.truncatedJPEG) },
             contains: { f, _ in ["file \(f.truncatedJPEG) is not a valid image", "JPEG is truncated"] }),
        Case(name: "PNG with a bad CRC", image: { f, _ in .file(f.badCRC) },
             contains: { f, _ in ["file \(f.badCRC) is not a valid image", "PNG chunk IDAT at offset \(f.badCRCOffset) has a bad CRC"] }),
        Case(name: "PNG declaring 100000×100000", image: { f, _ in .file(f.hugePNG) },
             contains: { f, _ in ["file \(f.hugePNG) declares 100000×100000 pixels, more than the server's decoder accepts"] }),
        Case(name: "JPEG declaring 65535×65535", image: { f, _ in .file(f.hugeJPEG) },
             contains: { f, _ in ["file \(f.hugeJPEG) declares 65535×65535 pixels"] }),
        Case(name: "invalid base64", image: { _, _ in .base64("iVBORw0KGgo=%%%") },
             contains: { _, _ in ["base64 text of 15 characters is not valid base64: invalid character '%' at offset 12"] }),
        Case(name: "base64 with data in the padding", image: { _, _ in .base64("aGk=aGk=") },
             contains: { _, _ in ["is not valid base64: data after '=' padding at offset 4"] }),
        Case(name: "data: URI that is not base64", image: { _, _ in .base64("data:image/png,rawbytes") },
             contains: { _, _ in ["is a data: URI that is not base64-encoded"] }),
        Case(name: "URL that answers 404", image: { _, base in .url(base + "/missing.png") },
             contains: { _, base in ["URL \(base)/missing.png could not be downloaded: HTTP 404"] }),
        Case(name: "URL that is not an image", image: { _, base in .url(base + "/page.html") },
             contains: { _, base in ["URL \(base)/page.html is not a valid image", "looks like text"] }),
        Case(name: "URL too large", image: { _, base in .url(base + "/big.png") },
             contains: { _, base in ["URL \(base)/big.png is larger than the 1048576-byte download limit"] }),
        Case(name: "URL with a key in its query, 404", image: { _, base in .url(Secret.urlWithKey(base, path: "/missing.png")) },
             contains: { _, base in ["URL \(base)/missing.png?api_key=***&size=1 could not be downloaded: HTTP 404"] }),
        Case(name: "URL nobody listens on", image: { _, _ in .url("http://127.0.0.1:\(ResettingServer.closedPort())/a.png") },
             contains: { _, _ in ["could not be downloaded: connection refused"] }),
        Case(name: "URL that is not http(s)", image: { _, _ in .url("file:///etc/passwd") },
             contains: { _, _ in ["URL file:///etc/passwd is not an absolute http(s) URL"] }),
    ]

    @Test(arguments: cases)
    func refusedBeforeAnyRequest(_ bad: Case) async throws {
        let folder = try TemporaryDirectory("bad-input")
        defer { folder.remove() }
        let files = try BadFiles(in: folder)
        let server = try await BadInputServer.start()
        let (logger, storage) = CapturingLogHandler.logger()
        var configuration = FaultHarness.configuration(server.baseURL, logger: logger)
        configuration.urlImages.maxBytes = 1 << 20
        let client = try InferenceHTTPClient(configuration: configuration)
        // The bad image is the second of a batch: the error names `image[1]`.
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(
                specification: Fixture.echo, images: ["image": [.file(files.good), .image(bad.image(files, server.baseURL))]])
        }
        try await client.shutdown()
        await server.shutdown()
        #expect(error?.kind == .invalidInput)
        #expect(error?.input == "image[1]")
        #expect(error?.attempts == 0)
        let description = error?.description ?? ""
        #expect(description.hasPrefix("invalid input 'image[1]': "), "\(description)")
        for fragment in bad.contains(files, server.baseURL) {
            #expect(description.contains(fragment), "\(description)")
        }
        #expect(!description.contains("\n"))
        #expect(BadInputServer.workflowRequests(server).isEmpty, "a workflow request was sent")
        Secret.expectAbsent(in: description, "the error description")
        Secret.expectAbsent(in: storage.text, "the SDK log")
    }

    /// As any user, root included (see ``UnreadableFile``; BadInputCLITests also runs the CLI case as nobody).
    @Test func unreadableFile() async throws {
        let folder = try TemporaryDirectory("bad-input")
        defer { folder.remove() }
        let unreadable = try UnreadableFile.make(try BadFiles(in: folder).unreadable)
        let client = try InferenceHTTPClient(configuration: FaultHarness.configuration("http://127.0.0.1:9"))
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixture.echo, images: ["image": .file(unreadable)])
        }
        try await client.shutdown()
        #expect(error?.description == "invalid input 'image': file \(unreadable) cannot be read (permission denied)")
    }

    @Test func pixelBuffersOfTheWrongSizeOrHugeDimensionsAreRefusedAtConstruction() {
        let wrongSize = #expect(throws: InferenceError.self) {
            try PixelBuffer(width: 64, height: 48, format: .rgb8, bytes: [UInt8](repeating: 0, count: 64 * 48 * 3 - 1))
        }
        #expect(wrongSize?.message == "pixel buffer has 9215 bytes but 64×48 rgb8 with row stride 192 needs 9216")
        let huge = #expect(throws: InferenceError.self) {
            try PixelBuffer(width: 70_000, height: 1, format: .gray8, bytes: [UInt8](repeating: 0, count: 70_000))
        }
        #expect(huge?.message == "pixel buffer dimensions 70000×1 are too large: width and height must be at most 65500")
        let empty = #expect(throws: InferenceError.self) { try PixelBuffer(width: 0, height: 10, format: .rgb8, bytes: []) }
        #expect(empty?.description.hasPrefix("invalid input 'pixels': pixel buffer dimensions 0×10") == true, "\(String(describing: empty))")
        #expect(empty?.message.contains("0×10 are invalid") == true)
    }

    @Test func specificationsThatAreNotJSONObjectsAreRefused() throws {
        let folder = try TemporaryDirectory("bad-spec")
        defer { folder.remove() }
        let files = try BadFiles(in: folder)
        let nonJSON = #expect(throws: InferenceError.self) { try WorkflowSpecification(contentsOfFile: files.nonJSONSpec) }
        #expect(nonJSON?.kind == .invalidInput)
        #expect(nonJSON?.description.contains(files.nonJSONSpec) == true, "\(String(describing: nonJSON))")
        #expect(nonJSON?.description.contains("\n") == false)
        let array = #expect(throws: InferenceError.self) { try WorkflowSpecification(contentsOfFile: files.arraySpec) }
        #expect(array?.description.contains("specification file \(files.arraySpec) is JSON but not an object (it is array)") == true,
                "\(String(describing: array))")
    }
}
