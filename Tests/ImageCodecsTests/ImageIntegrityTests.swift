import Testing
@testable import ImageCodecs

@Suite("ImageIntegrity")
struct ImageIntegrityTests {
    private func failure(_ bytes: [UInt8]) -> String? {
        do { _ = try ImageIntegrity.check(bytes); return nil } catch { return error.message }
    }

    private func jpeg() throws -> [UInt8] {
        try JPEGCodec.encode(try Fixtures.image(width: 96, height: 64, format: .rgb8, noiseAmplitude: 20))
    }

    private func png() throws -> [UInt8] {
        try PNGCodec.encode(try Fixtures.image(width: 96, height: 64, format: .rgba8, noiseAmplitude: 20))
    }

    private func offset(of marker: UInt8, in bytes: [UInt8]) throws -> Int {
        try #require(bytes.indices.dropLast().first { bytes[$0] == 0xFF && bytes[$0 + 1] == marker })
    }

    @Test func validFilesPassAndReturnTheirInfo() throws {
        #expect(try ImageIntegrity.check(try jpeg()) == ImageInfo(format: .jpeg, width: 96, height: 64))
        #expect(try ImageIntegrity.check(try png()) == ImageInfo(format: .png, width: 96, height: 64))
        let raw = try jpeg()
        #expect(try raw.withUnsafeBytes { raw throws(CodecError) in try ImageIntegrity.check(raw) }.width == 96)
    }

    @Test func paddingAfterEOIIsAllowed() throws {
        let raw = try jpeg()
        #expect(try ImageIntegrity.check(raw + [UInt8](repeating: 0, count: 100)).width == 96)
        #expect(try ImageIntegrity.check(raw + Fixtures.ascii("trailing garbage \u{FF}\u{D8}")).width == 96)
    }

    @Test func theRequiredFailuresHaveDistinctClearMessages() throws {
        let jpegBytes = try jpeg()
        let halfJPEG = Array(jpegBytes[0..<(jpegBytes.count / 2)])
        let headerOnly = Array(jpegBytes[0..<(try offset(of: 0xDA, in: jpegBytes))])
        var badPNG = try png()
        let idat = try #require(badPNG.indices.first { Array(badPNG[$0..<min($0 + 4, badPNG.count)]) == Fixtures.ascii("IDAT") })
        badPNG[idat + 20] ^= 0x01

        let messages = [
            failure(halfJPEG),
            failure(badPNG),
            failure([]),
            failure(Fixtures.ascii("This is a plain text file.\n")),
            failure(headerOnly),
        ]
        #expect(messages[0]?.hasPrefix("JPEG is truncated: entropy-coded data starting at offset") == true)
        #expect(messages[0]?.contains("without an end-of-image marker (FFD9)") == true)
        #expect(messages[1]?.hasPrefix("PNG chunk IDAT at offset \(idat - 4) has a bad CRC (stored 0x") == true)
        #expect(messages[2] == "image data is empty (0 bytes)")
        #expect(messages[3] == "data is not a recognized image format (looks like text): 27 bytes starting 54 68 69 73 20 69 73 20")
        #expect(messages[4]?.hasPrefix("JPEG contains only headers: it ends at offset \(headerOnly.count)") == true)
        #expect(Set(messages.compactMap { $0 }).count == 5)
    }

    @Test func jpegSegmentRunningPastTheEnd() throws {
        let raw = try jpeg()
        let dqt = try offset(of: 0xDB, in: raw)
        let cut = Array(raw[0..<(dqt + 10)])
        #expect(failure(cut) == "JPEG is truncated: DQT segment at offset \(dqt) declares 67 bytes but only 8 remain")
        var lying = raw
        lying[4] = 0x7F  // APP0 (JFIF) length becomes 0x7F10
        #expect(failure(lying)?.hasPrefix("JPEG is ") == true)
    }

    @Test func jpegWithoutFrameHeader() throws {
        let raw = try jpeg()
        let sof = try offset(of: 0xC0, in: raw)
        let length = Int(raw[sof + 2]) << 8 | Int(raw[sof + 3])
        let noSOF = Array(raw[0..<sof]) + Array(raw[(sof + 2 + length)...])
        #expect(failure(noSOF)?.hasPrefix("JPEG has no frame header (SOFn) before its first scan (SOS) at offset") == true)
        #expect(failure([0xFF, 0xD8, 0xFF, 0xD9]) == "JPEG has no frame header (SOFn): end-of-image marker at offset 2 comes first")
        #expect(failure([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00])
                == "JPEG has no frame header (SOFn): the data ends after 8 bytes of marker segments")
    }

    @Test func jpegGarbageBetweenSegments() throws {
        let raw = try jpeg()
        let dqt = try offset(of: 0xDB, in: raw)
        let broken = Array(raw[0..<dqt]) + [0x42] + Array(raw[dqt...])
        #expect(failure(broken) == "JPEG is corrupt: expected a marker at offset \(dqt) but found 0x42")
    }

    @Test func pngStructuralFailures() throws {
        let raw = try png()
        #expect(failure(Array(raw.dropLast(12)))?.hasPrefix("PNG is truncated: the data ends at offset") == true)
        #expect(failure(Array(raw.dropLast(12)))?.contains("without an IEND chunk") == true)
        #expect(failure(Array(raw.dropLast(30)))?.hasPrefix("PNG is truncated: IDAT chunk at offset") == true)
        // Swap the IHDR chunk for a tEXt chunk in first position.
        let text = Fixtures.ascii("tEXt") + Fixtures.ascii("k\0v")
        let textChunk = Fixtures.be32(3) + text + Fixtures.be32(Int(CRC32.checksum(text)))
        let noIHDRFirst = pngSignature + textChunk + Array(raw[8...])
        #expect(failure(noIHDRFirst) == "PNG's first chunk is tEXt, not IHDR")
        var badIHDR = raw
        badIHDR[17] ^= 0x40
        #expect(failure(badIHDR)?.hasPrefix("PNG chunk IHDR at offset 8 has a bad CRC") == true)
        #expect(failure(Array(raw[0..<37])) == "PNG is truncated: chunk header at offset 33 is cut short (4 bytes remain)")
    }

    @Test func crc32MatchesTheReferenceValue() {
        #expect(CRC32.checksum(Fixtures.ascii("123456789")) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31) }
        let chained = long.withUnsafeBytes { raw in
            CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[500...]),
                           continuing: CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[..<500])))
        }
        #expect(chained == CRC32.checksum(long))
    }

    @Test func otherFormatsNeedAParseableHeader() throws {
        #expect(try ImageIntegrity.check(Fixtures.gif(width: 5, height: 4)) == ImageInfo(format: .gif, width: 5, height: 4))
        #expect(try ImageIntegrity.check(Fixtures.tiff(width: 5, height: 4, bigEndian: true)).format == .tiff)
        #expect(failure(Array(Fixtures.webpVP8(width: 5, height: 4)[0..<26])) == "WEBP header is truncated or declares invalid dimensions")
        #expect(failure(Fixtures.gif(width: 0, height: 4)) == "GIF header is truncated or declares invalid dimensions")
    }

    /// A large JPEG passes the structural check and reports its header size (speed is measured in Benchmarks/, not here).
    @Test func largeJPEGPassesTheCheck() throws {
        let pixels = try Fixtures.image(width: 1024, height: 768, format: .rgb8, noiseAmplitude: 255, seed: 3)
        let big = try JPEGCodec.encode(pixels, quality: 100, subsampling: .s444)
        #expect(big.count > 1_000_000)
        let info = try ImageIntegrity.check(big)
        #expect(info.width == 1024 && info.height == 768 && info.format == .jpeg)
    }
}
