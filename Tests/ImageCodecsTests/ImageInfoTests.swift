import Testing
@testable import ImageCodecs

@Suite("ImageInfo header parsing")
struct ImageInfoTests {
    @Test func jpegFromEncoder() throws {
        let jpeg = try JPEGCodec.encode(try Fixtures.image(width: 37, height: 21, format: .rgb8))
        #expect(ImageInfo.read(jpeg) == ImageInfo(format: .jpeg, width: 37, height: 21))
        #expect(jpeg.withUnsafeBytes { ImageInfo.read($0) } == ImageInfo(format: .jpeg, width: 37, height: 21))
    }

    /// APP1 (EXIF), APP2 and COM segments before the frame header; the EXIF payload even contains
    /// bytes that look like an SOF0 for 9999×9999, which a naive scan would report.
    @Test func jpegWithAppSegmentsBeforeSOF() throws {
        let jpeg = try JPEGCodec.encode(try Fixtures.image(width: 50, height: 30, format: .rgb8))
        let decoyPayload: [UInt8] = Fixtures.ascii("Exif\0\0") + [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x27, 0x0F, 0x27, 0x0F] + [UInt8](repeating: 0xFF, count: 40)
        let app1 = [0xFF, 0xE1] + Fixtures.be16(decoyPayload.count + 2) + decoyPayload
        let app2 = [0xFF, 0xE2] + Fixtures.be16(6) + [1, 2, 3, 4]
        let comment = [0xFF, 0xFE] + Fixtures.be16(7) + Fixtures.ascii("hello")
        let withApps = Array(jpeg[0..<2]) + app1 + app2 + comment + Array(jpeg[2...])
        #expect(ImageInfo.read(withApps) == ImageInfo(format: .jpeg, width: 50, height: 30))
        #expect(try ImageIntegrity.check(withApps) == ImageInfo(format: .jpeg, width: 50, height: 30))
        #expect(try JPEGCodec.decode(withApps).width == 50)
    }

    @Test func progressiveJPEG() throws {
        let pixels = try Fixtures.image(width: 45, height: 33, format: .rgb8)
        let jpeg = try JPEGCodec.encode(pixels, quality: 90, subsampling: .s420, flags: 16_384 /* TJFLAG_PROGRESSIVE */)
        let hasSOF2 = jpeg.indices.dropLast().contains { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC2 }
        #expect(hasSOF2)
        #expect(ImageInfo.read(jpeg) == ImageInfo(format: .jpeg, width: 45, height: 33))
        #expect(try ImageIntegrity.check(jpeg) == ImageInfo(format: .jpeg, width: 45, height: 33))
        #expect(Fixtures.meanAbsError(try JPEGCodec.decode(jpeg), pixels) < 4)
    }

    @Test func jpegCutBeforeTheFrameSizeIsNil() throws {
        let jpeg = try JPEGCodec.encode(try Fixtures.image(width: 20, height: 10, format: .gray8))
        let sof = try #require(jpeg.indices.dropLast().first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        for cut in 0..<(sof + 9) {
            #expect(ImageInfo.read(Array(jpeg[0..<cut])) == nil, "prefix of \(cut) bytes")
        }
        #expect(ImageInfo.read(Array(jpeg[0..<(sof + 9)])) == ImageInfo(format: .jpeg, width: 20, height: 10))
    }

    @Test func pngFromEncoder() throws {
        let png = try PNGCodec.encode(try Fixtures.image(width: 37, height: 21, format: .rgba8))
        #expect(ImageInfo.read(png) == ImageInfo(format: .png, width: 37, height: 21))
        #expect(ImageInfo.read(Array(png[0..<23])) == nil)
        #expect(ImageInfo.read(Array(png[0..<24])) == ImageInfo(format: .png, width: 37, height: 21))
    }

    @Test func craftedHeaders() {
        let cases: [([UInt8], ImageInfo)] = [
            (Fixtures.gif(width: 640, height: 480), ImageInfo(format: .gif, width: 640, height: 480)),
            (Fixtures.bmp(width: 1024, height: 768), ImageInfo(format: .bmp, width: 1024, height: 768)),
            (Fixtures.bmp(width: 300, height: -200), ImageInfo(format: .bmp, width: 300, height: 200)),
            (Fixtures.bmpCore(width: 1000, height: 40_000), ImageInfo(format: .bmp, width: 1000, height: 40_000)),
            (Fixtures.webpVP8(width: 1920, height: 1080), ImageInfo(format: .webp, width: 1920, height: 1080)),
            (Fixtures.webpVP8L(width: 16_383, height: 2), ImageInfo(format: .webp, width: 16_383, height: 2)),
            (Fixtures.webpVP8X(width: 70_000, height: 3), ImageInfo(format: .webp, width: 70_000, height: 3)),
            (Fixtures.tiff(width: 2000, height: 70_000, bigEndian: false), ImageInfo(format: .tiff, width: 2000, height: 70_000)),
            (Fixtures.tiff(width: 2000, height: 70_000, bigEndian: true), ImageInfo(format: .tiff, width: 2000, height: 70_000)),
            (Fixtures.tiff(width: 90_000, height: 300, bigEndian: true, widthType: 4), ImageInfo(format: .tiff, width: 90_000, height: 300)),
            (Fixtures.tiff(width: 90_000, height: 300, bigEndian: false, widthType: 4), ImageInfo(format: .tiff, width: 90_000, height: 300)),
        ]
        for (bytes, expected) in cases {
            #expect(ImageInfo.read(bytes) == expected)
        }
    }

    /// Every crafted header ends right after what the parser needs (GIF, BMP, WebP), or its IFD
    /// (TIFF); cutting it short must give nil rather than a guess or a crash.
    @Test func truncatedCraftedHeadersAreNil() {
        let needed: [([UInt8], Int)] = [
            (Fixtures.gif(width: 640, height: 480), 10),
            (Fixtures.bmp(width: 10, height: 10), 26),
            (Fixtures.bmpCore(width: 10, height: 10), 22),
            (Fixtures.webpVP8(width: 10, height: 10), 30),
            (Fixtures.webpVP8L(width: 10, height: 10), 25),
            (Fixtures.webpVP8X(width: 10, height: 10), 30),
            (Fixtures.tiff(width: 10, height: 10, bigEndian: false), 46),
            (Fixtures.tiff(width: 10, height: 10, bigEndian: true), 46),
        ]
        for (bytes, length) in needed {
            #expect(ImageInfo.read(Array(bytes[0..<length])) != nil)
            for cut in 0..<length {
                #expect(ImageInfo.read(Array(bytes[0..<cut])) == nil, "\(ImageFormat.sniff(bytes).map(\.rawValue) ?? "?") cut at \(cut)")
            }
        }
    }

    @Test func zeroDimensionsAndNonImagesAreNil() {
        #expect(ImageInfo.read(Fixtures.gif(width: 0, height: 5)) == nil)
        #expect(ImageInfo.read(Fixtures.bmp(width: 5, height: 0)) == nil)
        #expect(ImageInfo.read(Fixtures.tiff(width: 0, height: 5, bigEndian: true)) == nil)
        #expect(ImageInfo.read(Fixtures.ascii("just some text")) == nil)
        #expect(ImageInfo.read([UInt8]()) == nil)
    }

    @Test func tiffWithoutSizeTagsIsNil() {
        // An IFD with a single unrelated entry.
        let tiff = Fixtures.ascii("II") + Fixtures.le16(42) + Fixtures.le32(8) + Fixtures.le16(1)
            + Fixtures.le16(259) + Fixtures.le16(3) + Fixtures.le32(1) + Fixtures.le32(1) + Fixtures.le32(0)
        #expect(ImageFormat.sniff(tiff) == .tiff)
        #expect(ImageInfo.read(tiff) == nil)
    }
}
