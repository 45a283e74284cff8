import ImageCodecs
import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import InferenceSDK
import InferenceSDKTesting

/// A batch split by `maxBatchSize` is resolved chunk by chunk: images are read just before their chunk is sent,
/// outputs keep the batch's order, element errors keep the whole batch's numbering, and what can be known
/// without reading (missing files, bad base64) is refused before anything is sent.
@Suite struct ChunkedBatchTests {
    /// A PNG `width` pixels wide: the width tells the images apart on the wire.
    static func png(width: Int) throws -> [UInt8] {
        try PNGCodec.encode(try PixelBuffer(width: width, height: 2, format: .gray8, bytes: [UInt8](repeating: 90, count: width * 2)))
    }

    /// Answers every workflow request with one output per image of input `image`, holding its width.
    static func widthEcho() -> ScriptedTransport {
        ScriptedTransport(routes: { request in
            let outputs = request.images("image").map { WorkflowOutput(fields: ["width": .int(ImageInfo.read($0)?.width ?? -1)]) }
            return .outputs(outputs)
        })
    }

    static func folder(widths: Range<Int>) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return try widths.map { width in
            let path = dir + "/w\(width).png"
            try Data(try png(width: width)).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    @Test func chunksKeepTheBatchOrderAndTheSharedInput() async throws {
        let files = try Self.folder(widths: 10..<21)
        let transport = Self.widthEcho()
        let client = try InferenceHTTPClient(configuration: .testing(), transport: transport)
        let result = try await client.runWorkflow(
            specification: Fixtures.spec,
            images: ["image": .files(files), "template": .bytes(try Self.png(width: 7))],
            options: WorkflowRunOptions(maxBatchSize: 3))
        #expect(result.outputs.map { $0.int("width") } == (10..<21).map { $0 })
        #expect(transport.requests.count == 4)
        // Each request carries its own slice, in order, and the single image in every chunk.
        let sent = transport.requests.map { $0.images("image").map { ImageInfo.read($0)?.width ?? -1 } }
        #expect(Set(sent) == [[10, 11, 12], [13, 14, 15], [16, 17, 18], [19, 20]])
        #expect(transport.requests.allSatisfy { $0.images("template").map { ImageInfo.read($0)?.width } == [7] })
    }

    @Test func imagesAreReadOnlyWhenTheirChunkIsSent() async throws {
        let files = try Self.folder(widths: 30..<38)
        // While the first chunk is on the wire, element 6 (in the fourth chunk) turns into garbage: it passed
        // the check made before sending, and is read only for its own chunk.
        let transport = ScriptedTransport { request, index in
            if index == 0 { try? Data("not an image".utf8).write(to: URL(fileURLWithPath: files[6])) }
            let outputs = request.images("image").map { _ in WorkflowOutput(fields: [:]) }
            return .outputs(outputs)
        }
        var configuration = InferenceClientConfiguration.testing()
        configuration.maxConcurrentRequests = 1
        let client = try InferenceHTTPClient(configuration: configuration, transport: transport)
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .files(files)], options: WorkflowRunOptions(maxBatchSize: 2))
        }
        #expect(error?.kind == .invalidInput)
        #expect(error?.input == "image[6]")
        #expect(error?.message.contains("batch chunk 4 of 4 (elements 6–7)") == true, "\(String(describing: error))")
        #expect(transport.requests.count == 3)
    }

    @Test func whatCanBeKnownWithoutReadingIsRefusedBeforeAnythingIsSent() async throws {
        var files = try Self.folder(widths: 40..<50)
        files[7] = files[7] + ".missing"
        let transport = Self.widthEcho()
        let client = try InferenceHTTPClient(configuration: .testing(), transport: transport)
        let missing = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .files(files)], options: WorkflowRunOptions(maxBatchSize: 2))
        }
        #expect(missing?.kind == .invalidInput)
        #expect(missing?.input == "image[7]")
        #expect(missing?.message.hasSuffix("does not exist") == true)

        var items: [ImageInput] = (0..<9).map { _ in .bytes(Fixtures.png) }
        items.append(.base64("@@not base64@@"))
        let badBase64 = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .batch(items)], options: WorkflowRunOptions(maxBatchSize: 4))
        }
        #expect(badBase64?.input == "image[9]")
        #expect(transport.requests.isEmpty)
    }

    @Test func urlImagesOfABatchDownloadConcurrently() async throws {
        let inFlight = NIOLockedValueBox((now: 0, most: 0))
        let png = Fixtures.png
        let transport = ScriptedTransport(handler: { request, _ in
            guard request.method == "GET" else {
                return .outputs(request.images("image").map { _ in WorkflowOutput(fields: ["ok": true]) })
            }
            inFlight.withLockedValue { $0.now += 1; $0.most = max($0.most, $0.now) }
            try? await Task.sleep(for: .milliseconds(100))
            inFlight.withLockedValue { $0.now -= 1 }
            return .response(TransportResponse(status: 200, headers: [("Content-Type", "image/png")], body: png))
        })
        let client = try InferenceHTTPClient(configuration: .testing(), transport: transport)
        let urls: [ImageInput] = (0..<20).map { .url("http://images.test/\($0).png") }
        let result = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .batch(urls)])
        #expect(result.outputs.count == 20)
        let most = inFlight.withLockedValue { $0.most }
        // The README's figure, written out (bounding by `ImageResolver.concurrentDownloads` would follow any change of
        // it): 8 at a time, and with 100 ms per download all 8 slots fill.
        #expect(most == 8, "at most \(most) downloads were in flight")
        // The workflow request went out once, with the 20 images in order of the batch.
        #expect(transport.requests.filter { $0.method == "POST" }.first?.images("image").count == 20)
    }

    @Test func aFailedDownloadNamesItsElementNotACancelledNeighbour() async throws {
        let png = Fixtures.png
        let transport = ScriptedTransport(handler: { request, _ in
            if request.url.hasSuffix("/13.png") { return .status(404, message: "gone") }
            try? await Task.sleep(for: .milliseconds(20))
            return .response(TransportResponse(status: 200, body: png))
        })
        let client = try InferenceHTTPClient(configuration: .testing(), transport: transport)
        let urls: [ImageInput] = (0..<20).map { .url("http://images.test/\($0).png") }
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .batch(urls)])
        }
        #expect(error?.input == "image[13]")
        #expect(error?.message.contains("HTTP 404") == true)
    }
}
