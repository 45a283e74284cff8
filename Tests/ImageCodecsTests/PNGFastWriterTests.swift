import Testing
@testable import ImageCodecs

/// The `fast` PNG path writes the file itself (SUB filter + zlib): check what libpng's own writer guaranteed.
@Suite("PNG fast writer")
struct PNGFastWriterTests {
    @Test func largeImagesSpanSeveralIDATChunksAndStayValid() throws {
        // Noise at full amplitude barely compresses: ~1.4 MB of deflate output, i.e. several 256 KB IDAT chunks.
        let pixels = try Fixtures.image(width: 700, height: 500, format: .rgba8, noiseAmplitude: 255, seed: 3)
        let png = try PNGCodec.encode(pixels, fast: true)
        #expect(png.count > 4 * PNGFastWriter.idatCapacity)
        #expect(try PNGCodec.decode(png, to: .rgba8) == pixels)
        _ = try ImageIntegrity.check(png)  // chunk CRCs, IHDR, IEND
    }

    @Test func writesOpenCVsDefaultSettings() throws {
        let png = try PNGCodec.encode(try Fixtures.image(width: 40, height: 30, format: .bgr8, noiseAmplitude: 9), fast: true)
        #expect(Array(png.prefix(8)) == PNGFastWriter.signature)
        #expect(png[25] == 2, "colour type RGB (BGR input is swizzled)")
        // First IDAT: zlib header 0x78 0x01 = deflate, 32 KB window, fastest level.
        let idat = try #require(png.indices.first { Array(png[$0..<$0 + 4]) == Array("IDAT".utf8) })
        #expect(png[idat + 4] == 0x78 && png[idat + 5] == 0x01)
    }

    @Test(arguments: [1, 2, 3, 5])
    func tinyImages(side: Int) throws {
        for format in PixelFormat.allCases {
            let pixels = try Fixtures.image(width: side, height: side, format: format, noiseAmplitude: 40)
            #expect(try PNGCodec.decode(try PNGCodec.encode(pixels), to: format) == pixels)
        }
    }
}
