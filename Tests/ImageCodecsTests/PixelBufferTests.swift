import Testing
@testable import ImageCodecs

@Suite("PixelBuffer validation")
struct PixelBufferTests {
    private func error(_ body: () throws(CodecError) -> PixelBuffer) -> String? {
        do { _ = try body(); return nil } catch { return error.message }
    }

    @Test func acceptsTightAndPaddedBuffers() throws {
        let tight = try PixelBuffer.validated(width: 4, height: 3, format: .rgb8, bytes: [UInt8](repeating: 1, count: 36))
        #expect(tight.rowStride == 12)
        #expect(tight.rowBytes == 12)
        let padded = try PixelBuffer.validated(width: 4, height: 3, format: .rgba8, bytes: [UInt8](repeating: 1, count: 60), rowStride: 20)
        #expect(padded.rowStride == 20)
        // The last row may omit its padding: 2 * 20 + 16.
        let unpaddedLast = try PixelBuffer.validated(width: 4, height: 3, format: .rgba8, bytes: [UInt8](repeating: 1, count: 56), rowStride: 20)
        #expect(unpaddedLast.bytes.count == 56)
    }

    @Test func formatChannelsAndAlpha() {
        #expect(PixelFormat.allCases.map(\.channels) == [3, 3, 4, 4, 1])
        #expect(PixelFormat.allCases.filter(\.hasAlpha) == [.rgba8, .bgra8])
    }

    @Test func rejectsWrongByteCountNamingTheNumbers() {
        let message = error { () throws(CodecError) -> PixelBuffer in
            try PixelBuffer.validated(width: 640, height: 480, format: .rgb8, bytes: [UInt8](repeating: 0, count: 100))
        }
        #expect(message == "pixel buffer has 100 bytes but 640×480 rgb8 with row stride 1920 needs 921600")
    }

    @Test func rejectsWrongByteCountWithPaddingMentioningBothSizes() {
        let message = error { () throws(CodecError) -> PixelBuffer in
            try PixelBuffer.validated(width: 4, height: 3, format: .rgba8, bytes: [UInt8](repeating: 0, count: 58), rowStride: 20)
        }
        #expect(message == "pixel buffer has 58 bytes but 4×3 rgba8 with row stride 20 needs 60 (or 56 without padding after the last row)")
    }

    @Test(arguments: [(0, 10), (10, 0), (-3, 10), (10, -1)])
    func rejectsNonPositiveDimensions(width: Int, height: Int) {
        let message = error { () throws(CodecError) -> PixelBuffer in
            try PixelBuffer.validated(width: width, height: height, format: .gray8, bytes: [])
        }
        #expect(message == "pixel buffer dimensions \(width)×\(height) are invalid: width and height must be at least 1")
    }

    @Test(arguments: [(65_501, 1), (1, 65_501), (1 << 40, 1 << 40)])
    func rejectsHugeDimensions(width: Int, height: Int) {
        let message = error { () throws(CodecError) -> PixelBuffer in
            try PixelBuffer.validated(width: width, height: height, format: .rgb8, bytes: [])
        }
        #expect(message == "pixel buffer dimensions \(width)×\(height) are too large: width and height must be at most 65500")
    }

    @Test func acceptsTheMaximumDimension() throws {
        let row = try PixelBuffer.validated(width: 65_500, height: 1, format: .gray8, bytes: [UInt8](repeating: 0, count: 65_500))
        #expect(row.width == PixelBuffer.maxDimension)
    }

    @Test func rejectsTooSmallRowStride() {
        let message = error { () throws(CodecError) -> PixelBuffer in
            try PixelBuffer.validated(width: 640, height: 2, format: .bgra8, bytes: [UInt8](repeating: 0, count: 5120), rowStride: 2000)
        }
        #expect(message == "row stride 2000 is too small: 640 bgra8 pixels need at least 2560 bytes per row")
        let negative = error { () throws(CodecError) -> PixelBuffer in
            try PixelBuffer.validated(width: 1, height: 1, format: .gray8, bytes: [0], rowStride: -1)
        }
        #expect(negative == "row stride -1 is too small: 1 gray8 pixels need at least 1 bytes per row")
    }

    @Test func rejectsOverflowingRowStride() {
        let message = error { () throws(CodecError) -> PixelBuffer in
            try PixelBuffer.validated(width: 2, height: 3, format: .rgb8, bytes: [], rowStride: Int.max / 2)
        }
        #expect(message == "row stride \(Int.max / 2) × height 3 overflows the address space")
    }

    @Test func errorDescriptionIsTheMessage() {
        let error = CodecError("boom")
        #expect(error.description == "boom")
        #expect(error == CodecError("boom"))
    }
}
