import CByteKernels
import Foundation
import TestSupport
import Testing

/// The C kernels against plain Swift reference implementations, on inputs built to hit every lane and
/// block boundary of the AVX2 paths (32-byte steps, 24-byte base64 steps) and their scalar tails.
@Suite struct ByteKernelsTests {
    /// The first real marker after `start`: FF not followed by 00, FF or D0...D7; nil at the end.
    static func referenceEntropyEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == 0xFF {
                let next = bytes[i + 1]
                if !(next == 0x00 || next == 0xFF || (0xD0...0xD7).contains(next)) { return i }
            }
            i += 1
        }
        return nil
    }

    static func entropyEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        let position = bytes.withUnsafeBufferPointer { rf_jpeg_entropy_end($0.baseAddress, start, $0.count) }
        return position < 0 ? nil : position
    }

    @Test func entropyScanMatchesTheReferenceOnDenseRandomStreams() {
        var generator = SeededRandom("ByteKernelsTests.entropyScanMatchesTheReferenceOnDenseRandomStreams")
        // Bytes drawn mostly from the interesting set, so FF runs, stuffing, RSTn and markers meet every offset.
        let palette: [UInt8] = [0xFF, 0xFF, 0xFF, 0x00, 0xD0, 0xD7, 0xD8, 0xD9, 0xC4, 0x12, 0xCF, 0xE0]
        for length in 1...160 {
            for _ in 0..<40 {
                let bytes = (0..<length).map { _ in palette.randomElement(using: &generator) ?? 0 }
                let start = Int.random(in: 0..<length, using: &generator)
                #expect(Self.entropyEnd(bytes, from: start) == Self.referenceEntropyEnd(bytes, from: start),
                        "length \(length) start \(start), \(generator): \(bytes.map { String($0, radix: 16) })")
            }
        }
    }

    @Test(arguments: [0, 1, 30, 31, 32, 33, 63, 64, 65, 1000])
    func markerAfterLongHarmlessDataIsFoundAtItsOffset(position: Int) {
        // Stuffed FF00 pairs and RSTn everywhere before the marker; the marker itself may sit on any boundary.
        var bytes = [UInt8](repeating: 0x5A, count: position + 40)
        var i = 0
        while i + 1 < position {
            if i % 7 == 0 { bytes[i] = 0xFF; bytes[i + 1] = i % 2 == 0 ? 0x00 : 0xD3 }
            i += 1
        }
        bytes[position] = 0xFF
        bytes[position + 1] = 0xD9
        #expect(Self.entropyEnd(bytes, from: 0) == Self.referenceEntropyEnd(bytes, from: 0))
        #expect(Self.entropyEnd(bytes, from: 0) == position)
    }

    @Test func dataEndingInFFOrStuffingHasNoMarker() {
        #expect(Self.entropyEnd([UInt8](repeating: 0x11, count: 100) + [0xFF], from: 0) == nil)
        #expect(Self.entropyEnd([UInt8](repeating: 0x11, count: 100) + [0xFF, 0x00], from: 0) == nil)
        #expect(Self.entropyEnd([0xFF, 0xD9], from: 2) == nil)
        #expect(Self.entropyEnd([0xFF, 0xD9], from: 0) == 0)
    }

    @Test func base64MatchesFoundationForEveryLengthUpTo300() {
        var generator = SeededRandom("ByteKernelsTests.base64MatchesFoundationForEveryLengthUpTo300")
        for length in 0...300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var out = [UInt8](repeating: 0, count: (length + 2) / 3 * 4)
            let written = bytes.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { rf_base64_encode(src.baseAddress, length, $0.baseAddress) }
            }
            #expect(written == out.count)
            #expect(String(decoding: out, as: UTF8.self) == Data(bytes).base64EncodedString(), "length \(length), \(generator)")
        }
    }

    @Test func base64CoversEverySixBitValueInEveryPosition() {
        // Every 3-byte value with one varying byte in each position: all 64 characters appear in all four slots.
        var bytes: [UInt8] = []
        for slot in 0..<3 {
            for value in 0...255 {
                var triple: [UInt8] = [0x00, 0xFF, 0x5A]
                triple[slot] = UInt8(value)
                bytes += triple
            }
        }
        var out = [UInt8](repeating: 0, count: (bytes.count + 2) / 3 * 4)
        _ = bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { rf_base64_encode(src.baseAddress, bytes.count, $0.baseAddress) }
        }
        #expect(String(decoding: out, as: UTF8.self) == Data(bytes).base64EncodedString())
    }

    @Test func jsonStringScanStopsAtTheFirstQuoteBackslashOrControlByte() {
        var generator = SeededRandom("ByteKernelsTests.jsonStringScanStopsAtTheFirstQuoteBackslashOrControlByte")
        // Mostly plain bytes (ASCII and UTF-8 continuation bytes, which must not stop the scan), a few stoppers.
        let plain: [UInt8] = [0x41, 0x7A, 0x20, 0x2F, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
        let stoppers: [UInt8] = [0x22, 0x5C, 0x00, 0x0A, 0x1F]
        for length in 0...130 {
            for _ in 0..<30 {
                var bytes = (0..<length).map { _ in plain.randomElement(using: &generator) ?? 0x41 }
                if length > 0, Bool.random(using: &generator) {
                    bytes[Int.random(in: 0..<length, using: &generator)] = stoppers.randomElement(using: &generator) ?? 0x22
                }
                let start = length == 0 ? 0 : Int.random(in: 0...length, using: &generator)
                let expected = bytes[start...].firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 } ?? length
                let found = bytes.withUnsafeBufferPointer { rf_json_string_scan($0.baseAddress, start, length) }
                #expect(found == expected, "length \(length) start \(start), \(generator)")
            }
        }
    }
}
