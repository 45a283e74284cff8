@testable import ImageCodecs
import TestSupport
import Testing

@Suite struct Base64Tests {
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func encodesRFC4648Vectors(plain: String, encoded: String) throws {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(try Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func roundTripsAllByteValues() throws {
        var generator = SeededRandom("Base64Tests.roundTripsAllByteValues")
        for length in [0, 1, 2, 3, 255, 256, 1000, 4097] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64.encode(bytes)
            #expect(text.utf8.count == Base64.encodedLength(length))
            #expect(try Base64.decode(text) == bytes, "length \(length), \(generator)")
        }
    }

    @Test func toleratesWhitespaceMissingPaddingAndURLSafeAlphabet() throws {
        #expect(try Base64.decode("Zm9v\nYmE") == Array("fooba".utf8))
        #expect(try Base64.decode(" Zm8 ") == Array("fo".utf8))
        #expect(try Base64.decode("-_-_") == [0xFB, 0xFF, 0xBF])
    }

    @Test func rejectsInvalidCharactersAndLengths() {
        #expect(throws: Base64.DecodingError(reason: "invalid character '!' at offset 2")) { try Base64.decode("Zm!v") }
        #expect(throws: Base64.DecodingError.self) { try Base64.decode("Zm9vY") }
        #expect(throws: Base64.DecodingError.self) { try Base64.decode("Zg==Zg==") }
        #expect(throws: Base64.DecodingError.self) { try Base64.decode("Zg===") }
    }
}
