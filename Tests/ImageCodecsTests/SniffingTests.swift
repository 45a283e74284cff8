import Testing
@testable import ImageCodecs

@Suite("ImageFormat sniffing")
struct SniffingTests {
    @Test func sniffsEncodedJPEGAndPNG() throws {
        let pixels = try Fixtures.image(width: 8, height: 8, format: .rgb8)
        #expect(ImageFormat.sniff(try JPEGCodec.encode(pixels)) == .jpeg)
        #expect(ImageFormat.sniff(try PNGCodec.encode(pixels)) == .png)
    }

    @Test func sniffsCraftedHeaders() {
        #expect(ImageFormat.sniff(Fixtures.gif(width: 3, height: 2)) == .gif)
        #expect(ImageFormat.sniff(Fixtures.ascii("GIF87a") + [1, 0, 1, 0]) == .gif)
        #expect(ImageFormat.sniff(Fixtures.bmp(width: 3, height: 2)) == .bmp)
        #expect(ImageFormat.sniff(Fixtures.bmpCore(width: 3, height: 2)) == .bmp)
        #expect(ImageFormat.sniff(Fixtures.webpVP8(width: 3, height: 2)) == .webp)
        #expect(ImageFormat.sniff(Fixtures.webpVP8L(width: 3, height: 2)) == .webp)
        #expect(ImageFormat.sniff(Fixtures.webpVP8X(width: 3, height: 2)) == .webp)
        #expect(ImageFormat.sniff(Fixtures.tiff(width: 3, height: 2, bigEndian: false)) == .tiff)
        #expect(ImageFormat.sniff(Fixtures.tiff(width: 3, height: 2, bigEndian: true)) == .tiff)
    }

    @Test func rawPointerOverloadAgrees() {
        let gif = Fixtures.gif(width: 1, height: 1)
        #expect(gif.withUnsafeBytes { ImageFormat.sniff($0) } == .gif)
    }

    @Test(arguments: [
        Fixtures.ascii("hello, world\n"),
        [],
        [0xFF, 0xD8],
        [0x89, 0x50, 0x4E],
        Fixtures.ascii("BMW is a car maker, not a bitmap"),
        Fixtures.ascii("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt "),
        Fixtures.ascii("{\"image\": \"data\"}"),
        [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20],
    ] as [[UInt8]])
    func rejectsNonImages(bytes: [UInt8]) {
        #expect(ImageFormat.sniff(bytes) == nil)
    }

    @Test func extensionsAndMimeTypes() {
        #expect(ImageFormat.allCases.map(\.fileExtension) == ["jpg", "png", "gif", "bmp", "webp", "tiff"])
        #expect(ImageFormat.allCases.map(\.mimeType)
            == ["image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp", "image/tiff"])
    }
}
