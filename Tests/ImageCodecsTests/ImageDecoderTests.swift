import TestSupport
import Testing
@testable import ImageCodecs

@Suite("ImageDecoder")
struct ImageDecoderTests {
    @Test func dispatchesJPEGAndPNG() throws {
        let pixels = try Fixtures.image(width: 20, height: 10, format: .rgba8, noiseAmplitude: 9)
        #expect(try ImageDecoder.decode(try PNGCodec.encode(pixels)) == pixels)
        let fromJPEG = try ImageDecoder.decode(try JPEGCodec.encode(pixels), to: .bgr8)
        #expect(fromJPEG.format == .bgr8 && fromJPEG.width == 20 && fromJPEG.height == 10)
    }

    @Test(arguments: [
        (Fixtures.gif(width: 2, height: 2), "gif"),
        (Fixtures.bmp(width: 2, height: 2), "bmp"),
        (Fixtures.webpVP8L(width: 2, height: 2), "webp"),
        (Fixtures.tiff(width: 2, height: 2, bigEndian: false), "tiff"),
    ])
    func otherFormatsAreNotSupported(bytes: [UInt8], name: String) {
        #expect(throws: CodecError("decoding \(name) is not supported")) { try ImageDecoder.decode(bytes) }
    }

    @Test func garbageThrows() {
        var random = SeededRandom(seed: 11)
        for length in [0, 1, 3, 17, 1000] {
            #expect(throws: CodecError.self) { try ImageDecoder.decode(random.bytes(length)) }
        }
        #expect(throws: CodecError("image data is empty (0 bytes)")) { try ImageDecoder.decode([]) }
        #expect(throws: CodecError("data is not a recognized image format (looks like text): 5 bytes starting 68 65 6C 6C 6F")) {
            try ImageDecoder.decode(Fixtures.ascii("hello"))
        }
        #expect(throws: CodecError.self) { try ImageDecoder.decode([0xFF, 0xD8, 0xFF, 0xE0]) }
        #expect(throws: CodecError.self) { try ImageDecoder.decode(pngSignature) }
    }
}
