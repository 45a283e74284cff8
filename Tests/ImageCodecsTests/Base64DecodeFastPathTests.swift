@testable import ImageCodecs
import Foundation
import Testing

/// `Base64.decode` hands the leading plain run to the C/AVX2 decoder (32 characters per step) and finishes in
/// Swift: results and error offsets must not depend on where that hand-over falls.
@Suite struct Base64DecodeFastPathTests {
    static func bytes(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &+ seed) &* 2_654_435_761 >> 13) }
    }

    @Test func decodesEveryLengthUpTo300LikeFoundation() throws {
        for length in 0...300 {
            let data = Self.bytes(length, seed: length)
            let text = Data(data).base64EncodedString()
            #expect(try Base64.decode(text) == data, "length \(length)")
            // Without padding, as some servers send it.
            let unpadded = text.replacingOccurrences(of: "=", with: "")
            #expect(try Base64.decode(unpadded) == data, "length \(length), unpadded")
        }
    }

    @Test func everyCharacterValueInEveryPositionOfABlock() throws {
        // 64 characters × 4 offsets: every alphabet character lands in every slot of a 4-character group and
        // in both 128-bit lanes of a 32-character block.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for shift in 0..<4 {
            let text = (0..<256).map { alphabet[($0 * 5 + shift) % 64] }
            let expected = try #require(Data(base64Encoded: Data(text)))
            #expect(try Base64.decode(String(decoding: text, as: UTF8.self)) == [UInt8](expected), "shift \(shift)")
        }
    }

    @Test(arguments: [0, 1, 3, 31, 32, 33, 63, 64, 100, 999])
    func anInvalidCharacterIsReportedAtItsOffset(offset: Int) {
        var text = Array(Data(Self.bytes(900, seed: 7)).base64EncodedString().utf8)
        text[offset] = UInt8(ascii: "%")
        #expect(throws: Base64.DecodingError(reason: "invalid character '%' at offset \(offset)")) {
            try Base64.decode(String(decoding: text, as: UTF8.self))
        }
    }

    @Test(arguments: [1, 30, 32, 64, 200])
    func whitespaceAndURLSafeCharactersAfterAPlainRunStillDecode(position: Int) throws {
        let data = Self.bytes(600, seed: position)
        var text = Array(Data(data).base64EncodedString().utf8)
        text.insert(UInt8(ascii: "\n"), at: position)
        text.insert(contentsOf: Array("\r\n ".utf8), at: position + 50)
        #expect(try Base64.decode(String(decoding: text, as: UTF8.self)) == data)
        let urlSafe = text.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 }
        #expect(try Base64.decode(String(decoding: urlSafe, as: UTF8.self)) == data)
    }

    @Test func aLimitStopsEarlyWithTheRightBytes() throws {
        let data = Self.bytes(3000, seed: 3)
        let text = Array(Data(data).base64EncodedString().utf8)
        for limit in [0, 1, 2, 3, 16, 24, 25, 100] {
            let head = try text.withUnsafeBytes { try Base64.decode($0, limit: limit) }
            #expect(head == Array(data.prefix(limit)), "limit \(limit)")
        }
    }
}
