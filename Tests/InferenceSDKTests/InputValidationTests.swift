import ImageCodecs
import Foundation
import TestSupport
import Testing
@testable import InferenceSDK
import InferenceSDKTesting

/// Bad input fails before any request, with an error naming the input and the cause.
@Suite struct InputValidationTests {
    func expectRefused(
        _ images: [String: ImageInput], parameters: [String: JSONValue] = [:],
        input: String, contains fragment: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let transport = ScriptedTransport.echoing()
        let client = try InferenceHTTPClient.scripted(transport)
        let error = await #expect(throws: InferenceError.self, sourceLocation: sourceLocation) {
            try await client.runWorkflow(specification: Fixtures.spec, images: images, parameters: parameters)
        }
        #expect(error?.kind == .invalidInput, sourceLocation: sourceLocation)
        #expect(error?.input == input, sourceLocation: sourceLocation)
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.description.contains("\n") == false, sourceLocation: sourceLocation)
        #expect(transport.requests.isEmpty, "a request was sent", sourceLocation: sourceLocation)
    }

    @Test func missingFile() async throws {
        try await expectRefused(["image": .file("/nonexistent/photo.jpg")], input: "image", contains: "file /nonexistent/photo.jpg does not exist")
    }

    @Test func directoryInsteadOfFile() async throws {
        try await expectRefused(["image": .file(NSTemporaryDirectory())], input: "image", contains: "is a directory")
    }

    @Test func emptyFile() async throws {
        let path = try Fixtures.temporaryFile([], name: "empty.jpg")
        try await expectRefused(["image": .file(path)], input: "image", contains: "is empty (0 bytes)")
    }

    @Test func textFileNamedJPG() async throws {
        let path = try Fixtures.temporaryFile(Array("hello, not an image\n".utf8), name: "text.jpg")
        try await expectRefused(["image": .file(path)], input: "image", contains: "is not a valid image")
    }

    /// As any user, root included (see ``UnreadableFile``).
    @Test func unreadableFile() async throws {
        let path = try UnreadableFile.make(try Fixtures.temporaryFile(Fixtures.png))
        try await expectRefused(["image": .file(path)], input: "image", contains: "permission denied")
    }

    @Test func invalidBase64NamesTheBatchElement() async throws {
        let good = Base64.encode(Fixtures.png)
        try await expectRefused(["image": [.base64(good), .base64("%%%notbase64")]], input: "image[1]", contains: "is not valid base64: invalid character '%' at offset 0")
    }

    @Test func base64OfNonImage() async throws {
        try await expectRefused(["image": .base64(Base64.encode(Array("plain text".utf8)))], input: "image", contains: "is not a valid image")
    }

    @Test func emptyBatch() async throws {
        try await expectRefused(["image": .batch([])], input: "image", contains: "empty batch")
    }

    @Test func nestedEmptyBatch() async throws {
        try await expectRefused(["image": [.bytes(Fixtures.png), []]], input: "image[1]", contains: "empty batch")
    }

    @Test func mismatchedBatchLengths() async throws {
        try await expectRefused(
            ["image": [.bytes(Fixtures.png), .bytes(Fixtures.png)], "template": [.bytes(Fixtures.png), .bytes(Fixtures.png), .bytes(Fixtures.png)]],
            input: "template", contains: "batch lengths differ: 'image' has 2 images and 'template' has 3"
        )
    }

    @Test func nameUsedAsImageAndParameter() async throws {
        try await expectRefused(["image": .bytes(Fixtures.png)], parameters: ["image": 1], input: "image", contains: "both as an image and as a parameter")
    }

    @Test func badURLs() async throws {
        try await expectRefused(["image": .url("ftp://example.com/a.jpg")], input: "image", contains: "is not an absolute http(s) URL")
        try await expectRefused(["image": .url("not a url")], input: "image", contains: "is not an absolute http(s) URL")
    }

    @Test func wrongPixelBufferSizeIsRefusedAtConstruction() {
        let error = #expect(throws: InferenceError.self) { try PixelBuffer(width: 4, height: 4, format: .rgb8, bytes: [UInt8](repeating: 0, count: 47)) }
        #expect(error?.kind == .invalidInput && error?.input == "pixels" && error?.underlying is CodecError, "\(String(describing: error))")
    }

    @Test func truncatedPNG() async throws {
        let bytes = Array(Fixtures.png.prefix(Fixtures.png.count - 12))
        try await expectRefused(["image": .bytes(bytes)], input: "image", contains: "is not a valid image")
    }

    @Test func acceptsDataURIPrefix() async throws {
        let transport = ScriptedTransport.echoing()
        let client = try InferenceHTTPClient.scripted(transport)
        _ = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .base64("data:image/png;base64," + Base64.encode(Fixtures.png))])
        let body = try JSONValue(parsing: transport.requests.first?.body ?? [])
        #expect(body["inputs"]?["image"]?["value"]?.stringValue == Base64.encode(Fixtures.png))
    }

    @Test func specificationMustBeAnObject() {
        #expect(throws: InferenceError.self) { try WorkflowSpecification(json: Array("[1,2]".utf8)) }
        #expect(throws: InferenceError.self) { try WorkflowSpecification(json: Array("{not json".utf8)) }
        #expect(throws: InferenceError.self) { try WorkflowSpecification(contentsOfFile: "/nonexistent.json") }
        do {
            _ = try WorkflowSpecification(json: Array("[1,2]".utf8))
        } catch {
            #expect(error.description == "invalid input 'specification': the workflow specification is JSON but not an object (it is array)")
        }
    }

    @Test func rejectsBadBaseURL() {
        #expect(throws: InferenceError.self) { try InferenceHTTPClient(configuration: .init(apiURL: "localhost:9001"), transport: ScriptedTransport.echoing()) }
    }
}
