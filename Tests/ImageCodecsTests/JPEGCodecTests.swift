import TestSupport
import Testing
@testable import ImageCodecs

@Suite("JPEGCodec")
struct JPEGCodecTests {
    @Test(arguments: PixelFormat.allCases)
    func roundTripHasSmallError(format: PixelFormat) throws {
        let pixels = try Fixtures.image(width: 64, height: 48, format: format)
        let jpeg = try JPEGCodec.encode(pixels)
        let decoded = try JPEGCodec.decode(jpeg, to: format)
        #expect(decoded.format == format)
        #expect(decoded.width == 64 && decoded.height == 48)
        #expect(decoded.rowStride == 64 * format.channels)
        let error = Fixtures.meanAbsError(decoded, pixels)
        #expect(error < 2.5, "mean abs error \(error)")
        if format.hasAlpha {
            // Alpha is dropped on encode and comes back opaque.
            #expect(stride(from: 3, to: decoded.bytes.count, by: 4).allSatisfy { decoded.bytes[$0] == 255 })
        }
    }

    @Test func channelOrderIsRespected() throws {
        let rgb = try Fixtures.image(width: 32, height: 32, format: .rgb8)
        let bgr = try Fixtures.image(width: 32, height: 32, format: .bgr8)
        #expect(try JPEGCodec.encode(rgb) == JPEGCodec.encode(bgr))
        let decodedAsBGR = try JPEGCodec.decode(try JPEGCodec.encode(rgb), to: .bgr8)
        #expect(Fixtures.meanAbsError(decodedAsBGR, bgr) < 2.5)
    }

    @Test func grayStaysGray() throws {
        let gray = try Fixtures.image(width: 40, height: 24, format: .gray8)
        let jpeg = try JPEGCodec.encode(gray, quality: 90)
        let decodedGray = try JPEGCodec.decode(jpeg, to: .gray8)
        #expect(Fixtures.meanAbsError(decodedGray, gray) < 1.5)
        #expect(try ImageDecoder.decode(jpeg).format == .gray8)
        // A grayscale JPEG has one component: SOF0 length 11 = 8 + 3 * 1.
        let sof = try #require(jpeg.indices.dropLast().first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        #expect(jpeg[sof + 9] == 1)
        let rgb = try JPEGCodec.decode(jpeg)
        let colourful = stride(from: 0, to: rgb.bytes.count, by: 3).filter { (index: Int) -> Bool in
            let r = rgb.bytes[index], g = rgb.bytes[index + 1], b = rgb.bytes[index + 2]
            return r != g || g != b
        }
        #expect(colourful.isEmpty)
    }

    @Test func colourJPEGDefaultsToRGB() throws {
        let jpeg = try JPEGCodec.encode(try Fixtures.image(width: 16, height: 16, format: .rgb8))
        #expect(try JPEGCodec.decode(jpeg).format == .rgb8)
        #expect(try ImageDecoder.decode(jpeg).format == .rgb8)
    }

    @Test(arguments: PixelFormat.allCases)
    func honoursRowStridePadding(format: PixelFormat) throws {
        let padded = try Fixtures.image(width: 35, height: 19, format: format, padding: 13)
        let tight = try Fixtures.packed(padded)
        #expect(try JPEGCodec.encode(padded) == JPEGCodec.encode(tight))
        let trimmed = try PixelBuffer.validated(width: 35, height: 19, format: format,
                                      bytes: Array(padded.bytes.dropLast(13)), rowStride: padded.rowStride)
        #expect(try JPEGCodec.encode(trimmed) == JPEGCodec.encode(tight))
    }

    @Test func subsamplingAndQualityChangeTheOutput() throws {
        let pixels = try Fixtures.image(width: 64, height: 64, format: .rgb8, noiseAmplitude: 40)
        let sizes = try ChromaSubsampling.allCases.map { try JPEGCodec.encode(pixels, subsampling: $0).count }
        #expect(sizes[0] > sizes[1] && sizes[1] > sizes[2], "4:4:4 > 4:2:2 > 4:2:0 in size: \(sizes)")
        #expect(try JPEGCodec.encode(pixels, quality: 20).count < JPEGCodec.encode(pixels, quality: 95).count)
        #expect(try JPEGCodec.encode(pixels, quality: 1).count > 0)
        #expect(try JPEGCodec.encode(pixels, quality: 100).count > 0)
    }

    @Test(arguments: [0, 101, -5, Int.max])
    func qualityOutOfRangeThrows(quality: Int) throws {
        let pixels = try Fixtures.image(width: 8, height: 8, format: .rgb8)
        #expect(throws: CodecError("JPEG quality must be in 1...100, got \(quality)")) {
            try JPEGCodec.encode(pixels, quality: quality)
        }
    }

    @Test func decodingGarbageThrows() throws {
        var random = SeededRandom(seed: 5)
        #expect(throws: CodecError.self) { try JPEGCodec.decode([0xFF, 0xD8, 0xFF] + random.bytes(500)) }
        #expect(throws: CodecError.self) { try JPEGCodec.decode(random.bytes(500)) }
        #expect(throws: CodecError("JPEG data is empty (0 bytes)")) { try JPEGCodec.decode([]) }
        do {
            _ = try JPEGCodec.decode(Fixtures.ascii("definitely not a jpeg"))
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("JPEG header could not be read: "))
        }
    }

    @Test func concurrentUseIsSafe() async throws {
        let pixels = try Fixtures.image(width: 48, height: 32, format: .rgb8)
        let expected = try JPEGCodec.encode(pixels)
        let results = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<8 {
                group.addTask { try JPEGCodec.encode(pixels) }
            }
            return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
        }
        #expect(results.count == 8 && results.allSatisfy { $0 == expected })
        let png = try PNGCodec.encode(pixels)
        let decodedCount = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    index.isMultiple(of: 2)
                        ? try PNGCodec.decode(png) == pixels
                        : try PNGCodec.encode(pixels, fast: false).count > 0
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(decodedCount == 8)
    }
}

@Suite("JPEGCodec tolerance")
struct JPEGToleranceTests {
    /// Like OpenCV, a truncated scan decodes (libjpeg warns and fills the rest); ImageIntegrity rejects it.
    @Test func truncatedJPEGDecodesWithWarningButFailsIntegrity() throws {
        let pixels = try Fixtures.image(width: 64, height: 64, format: .rgb8, noiseAmplitude: 10)
        let jpeg = try JPEGCodec.encode(pixels)
        let half = Array(jpeg[0..<(jpeg.count / 2)])
        let decoded = try JPEGCodec.decode(half)
        #expect(decoded.width == 64 && decoded.height == 64)
        #expect(throws: CodecError.self) { try ImageIntegrity.check(half) }
    }
}
