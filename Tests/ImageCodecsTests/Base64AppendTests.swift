@testable import ImageCodecs
import Foundation
import TestSupport
import Testing

/// The encoder writes 6 input bytes per 8-byte store into the array's spare capacity: check every length
/// around those boundaries, appending after existing content, against Foundation's encoder.
@Suite struct Base64AppendTests {
    @Test func matchesFoundationForEveryLengthUpTo100AndAppendsAfterExistingBytes() {
        var generator = SeededRandom("Base64AppendTests.matchesFoundationForEveryLengthUpTo100AndAppendsAfterExistingBytes")
        for length in 0...100 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var output = Array("prefix:".utf8)
            bytes.withUnsafeBytes { Base64.encode($0, appendingTo: &output) }
            #expect(output == Array(("prefix:" + Data(bytes).base64EncodedString()).utf8), "length \(length), \(generator)")
        }
    }

    @Test func largeInputWithinReservedAndUnreservedCapacity() {
        let bytes = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        let expected = Array(Data(bytes).base64EncodedString().utf8)
        var unreserved: [UInt8] = []
        bytes.withUnsafeBytes { Base64.encode($0, appendingTo: &unreserved) }
        #expect(unreserved == expected)
        var reserved: [UInt8] = []
        reserved.reserveCapacity(expected.count + 10)
        bytes.withUnsafeBytes { Base64.encode($0, appendingTo: &reserved) }
        #expect(reserved == expected)
    }
}
