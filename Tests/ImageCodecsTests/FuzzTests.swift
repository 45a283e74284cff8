import TestSupport
import Testing
@testable import ImageCodecs

/// Random and mutated inputs must never crash the parsers, and a passing integrity check
/// must agree with the header reader.
@Suite("Robustness on hostile input")
struct FuzzTests {
    private static func corpus() throws -> [[UInt8]] {
        let color = try Fixtures.image(width: 24, height: 16, format: .rgb8, noiseAmplitude: 30)
        let alpha = try Fixtures.image(width: 12, height: 9, format: .rgba8, noiseAmplitude: 30)
        let gray = try Fixtures.image(width: 10, height: 10, format: .gray8)
        return [
            try JPEGCodec.encode(color),
            try JPEGCodec.encode(gray, quality: 50),
            try JPEGCodec.encode(color, quality: 80, subsampling: .s444, flags: 16_384),
            try PNGCodec.encode(color),
            try PNGCodec.encode(alpha, fast: false),
            try PNGCodec.encode(gray),
            Fixtures.gif(width: 7, height: 3),
            Fixtures.bmp(width: 7, height: -3),
            Fixtures.bmpCore(width: 7, height: 3),
            Fixtures.webpVP8(width: 7, height: 3),
            Fixtures.webpVP8L(width: 7, height: 3),
            Fixtures.webpVP8X(width: 7, height: 3),
            Fixtures.tiff(width: 7, height: 3, bigEndian: false),
            Fixtures.tiff(width: 7, height: 3, bigEndian: true, widthType: 4),
        ]
    }

    private static func mutate(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0...Int(random.next() % 4) {
            guard !bytes.isEmpty else { break }
            let at = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 6 {
            case 0: bytes[at] ^= UInt8(1 << (random.next() % 8))
            case 1: bytes[at] = random.byte()
            case 2: bytes.removeSubrange(at...)
            case 3: bytes.insert(contentsOf: random.bytes(Int(random.next() % 8) + 1), at: at)
            case 4: bytes[at] = [0x00, 0xFF, 0xD9, 0xDA, 0xC0][Int(random.next() % 5)]
            default: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 16) + 1))
            }
        }
        return bytes
    }

    @Test func randomAndMutatedInputsNeverCrash() throws {
        let corpus = try Self.corpus()
        var random = SeededRandom(seed: 0xC0DEC)
        var passed = 0, decoded = 0
        for index in 0..<2000 {
            let input: [UInt8]
            if index % 4 == 0 {
                // Pure noise, sometimes behind a real magic number.
                let magic = [[], [0xFF, 0xD8, 0xFF], pngSignature, Fixtures.ascii("GIF89a"),
                             Fixtures.ascii("II*\0"), Fixtures.ascii("MM\0*")][Int(random.next() % 6)]
                input = magic + random.bytes(Int(random.next() % 64))
            } else {
                input = Self.mutate(corpus[Int(random.next() % UInt64(corpus.count))], &random)
            }
            let info = ImageInfo.read(input)
            #expect(info == input.withUnsafeBytes { ImageInfo.read($0) })
            if let checked = try? ImageIntegrity.check(input) {
                passed += 1
                #expect(info != nil, "check passed but read failed for case \(index)")
                #expect(checked == info)
            }
            // Skip decoding headers that claim huge images: libjpeg would fill them with gray.
            if let info, info.width * info.height > 1 << 22 { continue }
            if let pixels = try? ImageDecoder.decode(input) {
                decoded += 1
                #expect(pixels.bytes.count == pixels.rowStride * pixels.height)
            }
        }
        #expect(passed > 100, "the corpus should still produce valid files: \(passed)")
        #expect(decoded > 50, "some mutated files should still decode: \(decoded)")
    }
}
