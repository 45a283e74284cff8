import TestSupport
import Testing
@testable import ImageCodecs

@Suite("PNGCodec")
struct PNGCodecTests {
    @Test(arguments: PixelFormat.allCases)
    func losslessRoundTrip(format: PixelFormat) throws {
        let pixels = try Fixtures.image(width: 61, height: 47, format: format, noiseAmplitude: 64, seed: 7)
        for fast in [true, false] {
            let png = try PNGCodec.encode(pixels, fast: fast)
            let decoded = try PNGCodec.decode(png, to: format)
            #expect(decoded == pixels, "fast: \(fast)")
        }
    }

    @Test func defaultFormatFollowsTheFile() throws {
        let rgba = try PNGCodec.encode(try Fixtures.image(width: 9, height: 5, format: .bgra8))
        let rgb = try PNGCodec.encode(try Fixtures.image(width: 9, height: 5, format: .bgr8))
        let gray = try PNGCodec.encode(try Fixtures.image(width: 9, height: 5, format: .gray8))
        #expect(try PNGCodec.decode(rgba).format == .rgba8)
        #expect(try PNGCodec.decode(rgb).format == .rgb8)
        #expect(try PNGCodec.decode(gray).format == .gray8)
    }

    @Test func keepsAlphaAndSwizzlesBetweenOrders() throws {
        let rgba = try Fixtures.image(width: 13, height: 11, format: .rgba8, noiseAmplitude: 30)
        let bgra = try Fixtures.image(width: 13, height: 11, format: .bgra8, noiseAmplitude: 30)
        let png = try PNGCodec.encode(rgba)
        #expect(try PNGCodec.decode(png) == rgba)
        #expect(try PNGCodec.decode(png, to: .bgra8) == bgra)
        let alphas = Set(stride(from: 3, to: rgba.bytes.count, by: 4).map { rgba.bytes[$0] })
        #expect(alphas.count > 10, "fixture really has varying alpha")
    }

    @Test func droppingAlphaKeepsColoursWithoutCompositing() throws {
        let rgba = try Fixtures.image(width: 13, height: 11, format: .rgba8, noiseAmplitude: 30)
        let rgb = try Fixtures.image(width: 13, height: 11, format: .rgb8, noiseAmplitude: 30)
        let png = try PNGCodec.encode(rgba)
        #expect(try PNGCodec.decode(png, to: .rgb8) == rgb)
        let gray = try PNGCodec.decode(png, to: .gray8)
        #expect(gray.format == .gray8 && gray.bytes.count == 13 * 11)
    }

    @Test func opaqueSourceGetsFullAlpha() throws {
        let png = try PNGCodec.encode(try Fixtures.image(width: 6, height: 4, format: .rgb8))
        let decoded = try PNGCodec.decode(png, to: .rgba8)
        #expect(stride(from: 3, to: decoded.bytes.count, by: 4).allSatisfy { decoded.bytes[$0] == 255 })
    }

    @Test(arguments: PixelFormat.allCases)
    func honoursRowStridePadding(format: PixelFormat) throws {
        let padded = try Fixtures.image(width: 23, height: 9, format: format, padding: 5, noiseAmplitude: 50)
        let tight = try Fixtures.packed(padded)
        #expect(padded.rowStride == tight.rowStride + 5)
        let decoded = try PNGCodec.decode(try PNGCodec.encode(padded), to: format)
        #expect(decoded == tight)
        // Last row without its padding.
        let trimmed = try PixelBuffer.validated(width: 23, height: 9, format: format,
                                      bytes: Array(padded.bytes.dropLast(5)), rowStride: padded.rowStride)
        #expect(try PNGCodec.decode(try PNGCodec.encode(trimmed), to: format) == tight)
    }

    @Test func fastFlagChangesTheEncoding() throws {
        let pixels = try Fixtures.image(width: 200, height: 120, format: .rgb8, noiseAmplitude: 16)
        let fast = try PNGCodec.encode(pixels, fast: true)
        let small = try PNGCodec.encode(pixels, fast: false)
        #expect(fast != small)
        #expect(small.count <= fast.count)
    }

    /// The encoder writes once into a worst-case-sized buffer; pure noise is the worst case.
    @Test(arguments: [PixelFormat.gray8, .rgb8, .bgra8])
    func incompressibleNoiseFitsTheSizeBound(format: PixelFormat) throws {
        var random = SeededRandom(seed: 2024)
        let width = 301, height = 67
        let pixels = try PixelBuffer.validated(width: width, height: height, format: format,
                                     bytes: random.bytes(width * height * format.channels))
        for fast in [true, false] {
            let png = try PNGCodec.encode(pixels, fast: fast)
            #expect(png.count > pixels.bytes.count, "noise does not compress")
            #expect(png.count <= PNGCodec.maxEncodedSize(rowBytes: pixels.rowBytes, height: height))
            #expect(try PNGCodec.decode(png, to: format) == pixels)
            #expect(try ImageIntegrity.check(png) == ImageInfo(format: .png, width: width, height: height))
        }
    }

    @Test func decodingGarbageThrows() throws {
        var random = SeededRandom(seed: 99)
        let garbage = pngSignature + random.bytes(200)
        #expect(throws: CodecError.self) { try PNGCodec.decode(garbage) }
        #expect(throws: CodecError.self) { try PNGCodec.decode([]) }
        let png = try PNGCodec.encode(try Fixtures.image(width: 30, height: 30, format: .rgb8))
        #expect(throws: CodecError.self) { try PNGCodec.decode(Array(png[0..<(png.count / 2)])) }
        let jpeg = try JPEGCodec.encode(try Fixtures.image(width: 8, height: 8, format: .rgb8))
        do {
            _ = try PNGCodec.decode(jpeg)
            Issue.record("decoding a JPEG as PNG should throw")
        } catch {
            #expect(error.message.hasPrefix("PNG header could not be read: "))
            #expect(!error.message.hasSuffix(": "))
        }
    }
}
