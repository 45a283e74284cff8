import Testing
@testable import InferenceSDK

@Suite struct JSONValueTests {
    @Test func parsesAndKeepsKeyOrderAndNumberKinds() throws {
        let value = try JSONValue(parsing: #"{"z": 1, "a": 2.5, "m": [true, null, "x"], "e": 1e-05, "neg": -0}"#)
        #expect(value.objectValue?.keys.elements == ["z", "a", "m", "e", "neg"])
        #expect(value["z"] == .int(1))
        #expect(value["a"] == .double(2.5))
        #expect(value["m"]?[0] == .bool(true))
        #expect(value["m"]?[1] == .null)
        #expect(value["e"]?.doubleValue == 1e-05)
        #expect(value.jsonString == #"{"z":1,"a":2.5,"m":[true,null,"x"],"e":1e-05,"neg":0}"#)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue(parsing: #"["a\"b\\c\/d\n\t", "\u00e9\ud83d\ude00", "plain"]"#)
        #expect(value[0]?.stringValue == "a\"b\\c/d\n\t")
        #expect(value[1]?.stringValue == "é😀")
        let text = JSONValue.string("quote\" back\\ nl\n ctl\u{01}").jsonString
        #expect(text == #""quote\" back\\ nl\n ctl\u0001""#)
        #expect(try JSONValue(parsing: text) == .string("quote\" back\\ nl\n ctl\u{01}"))
    }

    @Test(arguments: [
        ("", 0), ("{", 1), ("[1,]", 3), (#"{"a" 1}"#, 5), ("tru", 0), ("01", 1), ("[1] x", 4), (#""\x""#, 2), ("1.", 2),
    ])
    func rejectsInvalidTextWithOffset(text: String, offset: Int) {
        #expect(throws: InferenceError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.kind == .invalidInput)
            #expect((error.underlying as? JSONParseError)?.offset == offset, "\(text): \(error)")
        }
    }

    @Test func limitsNestingDepth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: InferenceError.self) { try JSONValue(parsing: deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue(parsing: ok)) != nil)
    }

    @Test func acceptsPythonNonFiniteNumbersAndWritesThemAsNull() throws {
        let value = try JSONValue(parsing: "[NaN, Infinity, -Infinity]")
        #expect(value[1] == .double(.infinity))
        #expect(value[2] == .double(-.infinity))
        #expect(JSONValue.double(.nan).jsonString == "null")
    }

    @Test func literalsBuildValues() {
        let value: JSONValue = ["k": 9, "name": "x", "ratio": 0.5, "flags": [true, false], "none": nil]
        #expect(value.jsonString == #"{"k":9,"name":"x","ratio":0.5,"flags":[true,false],"none":null}"#)
        #expect(JSONValue.double(3).jsonString == "3.0")
    }

    @Test func prettyPrintsWithIndentation() {
        let value: JSONValue = ["a": [1, 2], "b": [:]]
        #expect(String(decoding: value.serialized(pretty: true), as: UTF8.self) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}")
    }

    @Test func roundTripsThroughCodable() throws {
        struct Model: Codable, Equatable { var name: String; var sizes: [Int]; var ratio: Double? }
        let model = Model(name: "n", sizes: [1, 2], ratio: 0.25)
        let json = try JSONValue(encoding: model)
        #expect(json["sizes"] == [1, 2])
        #expect(try json.decode(as: Model.self) == model)
    }

    @Test func rejectsInvalidUTF8InStrings() {
        let bytes: [UInt8] = [0x22, 0xFF, 0xFE, 0x22]
        #expect(throws: InferenceError.self) { try JSONValue(parsing: bytes) }
    }
}
