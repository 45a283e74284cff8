import ImageCodecs
import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// Every image kind reaches the real server and comes back as the same image.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL"))
struct ImageKindTests {
    func echo(_ image: ImageInput, _ configure: (inout InferenceClientConfiguration) -> Void = { _ in }) async throws -> ImageOutput {
        let result = try await RealServer.withClient(configure) { client in
            try await client.runWorkflow(specification: Fixture.echo, images: ["image": image])
        }
        return try #require(try result.outputs.first?.image("echo"))
    }

    @Test func fileIsSentUnchangedAndEchoedByteForByte() async throws {
        let image = try await echo(.file(Fixture.scene))
        #expect(image.format == .png)
        #expect(image.bytes == (try Fixture.bytes("template_scene.png")))
    }

    @Test func dataIsSentUnchanged() async throws {
        let bytes = try Fixture.bytes("swatch.png")
        let image = try await echo(.data(Data(bytes)))
        #expect(image.bytes == bytes)
    }

    @Test func base64WithAndWithoutDataPrefix() async throws {
        let bytes = try Fixture.bytes("template.png")
        #expect(try await echo(.base64(Base64.encode(bytes))).bytes == bytes)
        #expect(try await echo(.base64("data:image/png;base64," + Base64.encode(bytes))).bytes == bytes)
    }

    @Test func pixelsAsPNGAreLossless() async throws {
        let pixels = try Fixture.gradient(width: 33, height: 17, format: .rgb8)
        let image = try await echo(.pixels(pixels, encoding: .png))
        #expect(image.format == .png)
        #expect(try image.decodePixels(to: .rgb8).bytes == pixels.bytes)
    }

    @Test(arguments: [PixelFormat.rgb8, .bgr8, .rgba8, .bgra8, .gray8])
    func pixelsAsJPEGKeepSizeAndColours(format: PixelFormat) async throws {
        let pixels = try Fixture.gradient(width: 64, height: 48, format: format)
        let image = try await echo(.pixels(pixels, encoding: .jpeg(quality: 95)))
        #expect(image.format == .jpeg)
        #expect(image.width == 64 && image.height == 48)
        let decoded = try image.decodePixels(to: format == .gray8 ? .gray8 : .rgb8)
        #expect(decoded.width == 64 && decoded.height == 48)
        // Colours survive in the right channel order: the mean error against the source, channel by channel
        // (RGB order for every colour format), is small at quality 95 (5–8 here: 4:2:0 chroma on a gradient that wraps);
        // channels in the wrong order would be ~100 off.
        let channels = decoded.format.channels
        var error = [Double](repeating: 0, count: channels)
        for y in 0..<48 {
            for x in 0..<64 {
                let source = y * pixels.rowStride + x * format.channels
                for c in 0..<channels {
                    let sourceChannel: Int
                    switch format {
                    case .bgr8, .bgra8: sourceChannel = 2 - c
                    default: sourceChannel = c
                    }
                    let want = Int(pixels.bytes[source + sourceChannel])
                    let got = Int(decoded.bytes[y * decoded.rowStride + x * channels + c])
                    error[c] += Double(abs(want - got))
                }
            }
        }
        let mean = error.map { $0 / Double(64 * 48) }
        #expect(mean.allSatisfy { $0 < 12 }, "mean error per channel \(mean) for \(format)")
    }

    @Test func urlDownloadedFromALoopbackFileServer() async throws {
        let bytes = try Fixture.bytes("swatch.png")
        let files = try await TestHTTPServer.start { request in
            request.uri == "/swatch.png" ? .respond(status: 200, headers: [("Content-Type", "image/png")], body: bytes) : .respond(status: 404)
        }
        defer { Task { await files.shutdown() } }
        let image = try await echo(.url(files.baseURL + "/swatch.png"))
        #expect(image.bytes == bytes)
        #expect(files.requests.count == 1)
        // A URL that 404s is refused before the workflow request.
        let error = await #expect(throws: InferenceError.self) { try await echo(.url(files.baseURL + "/missing.png")) }
        #expect(error?.kind == .invalidInput)
        #expect(error?.description.contains("HTTP 404") == true)
    }

    @Test func urlTooLargeIsRefused() async throws {
        let files = try await TestHTTPServer.start { _ in .respond(status: 200, body: [UInt8](repeating: 0xFF, count: 64 << 10)) }
        defer { Task { await files.shutdown() } }
        let error = await #expect(throws: InferenceError.self) {
            try await echo(.url(files.baseURL + "/big.jpg")) { $0.urlImages.maxBytes = 1024 }
        }
        #expect(error?.description.contains("larger than the 1024-byte download limit") == true)
    }

    @Test func urlByReferenceIsRefusedByTheDefaultServerForHTTP() async throws {
        let error = await #expect(throws: InferenceError.self) {
            try await echo(.url("http://127.0.0.1:1/x.png", mode: .reference))
        }
        #expect(error?.status == 400)
        #expect(error?.kind == .clientError)
    }
}
