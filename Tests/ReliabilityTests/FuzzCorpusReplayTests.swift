import ImageCodecs
import Foundation
import Testing
@testable import InferenceSDK

/// Replays the committed fuzz seeds (Fuzz/Corpora, which also keeps the reproducer of every crash the fuzzers
/// found) through the same entry points and invariants as the libFuzzer targets, in the normal test build:
/// a regression net that runs everywhere, even where the toolchain has no libFuzzer runtime.
@Suite struct FuzzCorpusReplayTests {
    static let corpora = RFClientBinary.repositoryRoot + "/Fuzz/Corpora"

    static func inputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let folder = corpora + "/" + target
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.sorted().compactMap { name in
            FileManager.default.contents(atPath: folder + "/" + name).map { (name, [UInt8]($0)) }
        }
    }

    @Test func corporaArePresentAndSmall() {
        for target in ["FuzzJSON", "FuzzResponseDecoder", "FuzzServerError", "FuzzBase64", "FuzzImageHeader", "FuzzImageDecode"] {
            let inputs = Self.inputs(target)
            #expect(!inputs.isEmpty, "no seeds for \(target)")
            #expect(inputs.allSatisfy { $0.bytes.count <= 64 << 10 }, "\(target) seeds must stay commit-sized")
        }
    }

    @Test func jsonRoundTrips() throws {
        for (name, bytes) in Self.inputs("FuzzJSON") {
            guard let value = try? JSONValue(parsing: bytes) else { continue }
            let compact = value.serialized()
            let again = try JSONValue(parsing: compact)
            #expect(again.serialized() == compact, "\(name)")
            #expect((try? JSONValue(parsing: value.serialized(pretty: true))) != nil, "\(name)")
        }
    }

    @Test func responsesDecodeOrFailTyped() {
        for (_, bytes) in Self.inputs("FuzzResponseDecoder") {
            let response = TransportResponse(status: 200, headers: [("content-type", "application/json")], body: bytes)
            guard let result = try? WorkflowResponseDecoder.decodeSuccess(response) else { continue }
            for output in result.outputs {
                for name in output.names {
                    _ = try? output.image(name)?.decodePixels()
                    _ = try? output.images(name)
                    _ = try? output.detections(name)
                }
            }
        }
    }

    @Test func errorBodiesGiveOneLineWithoutTheSecret() {
        let redact = Redactor(secret: Secret.key)
        for (name, bytes) in Self.inputs("FuzzServerError") {
            _ = ServerError.parse(bytes)?.summary
            for status in [400, 422, 500, 503] {
                let body = bytes + Array(" \(Secret.key)".utf8)
                let error = WorkflowResponseDecoder.error(for: TransportResponse(status: status, body: body), redact: redact)
                #expect(!error.description.contains("\n"), "\(name)")
                #expect(!error.description.contains(Secret.key), "\(name)")
            }
        }
    }

    @Test func base64RoundTrips() throws {
        for (name, bytes) in Self.inputs("FuzzBase64") {
            guard let decoded = try? Base64.decode(String(decoding: bytes, as: UTF8.self)) else { continue }
            #expect(try Base64.decode(Base64.encode(decoded)) == decoded, "\(name)")
        }
    }

    /// FuzzImageDecode's first finding: 320 bytes of JPEG declaring 65480×65496 made `JPEGCodec.decode`
    /// allocate 12.9 GB. Decoders now refuse more than `PixelBuffer.maxDecodedPixels` before allocating.
    @Test func hugeDeclaredDimensionsAreRefusedBeforeAllocating() throws {
        let reproducer = try #require(Self.inputs("FuzzImageDecode").first { $0.name.hasPrefix("oom-jpeg-") })
        let error = #expect(throws: CodecError.self) { try JPEGCodec.decode(reproducer.bytes) }
        #expect(error?.message == "JPEG dimensions 65480×65496 are more than the 1073741824-pixel decoding limit")
        let png = Images.pngDeclaring(width: 40_000, height: 40_000)
        let pngError = #expect(throws: CodecError.self) { try PNGCodec.decode(png) }
        #expect(pngError?.message == "PNG dimensions 40000×40000 are more than the 1073741824-pixel decoding limit")
    }

    @Test func imageParsersAgree() {
        for (name, bytes) in Self.inputs("FuzzImageHeader") + Self.inputs("FuzzImageDecode") {
            let info = ImageInfo.read(bytes)
            #expect(info == nil || info?.format == ImageFormat.sniff(bytes), "\(name)")
            if let checked = try? ImageIntegrity.check(bytes) { #expect(checked == info, "\(name)") }
            if let pixels = try? ImageDecoder.decode(bytes) {
                #expect(pixels.bytes.count == pixels.rowStride * pixels.height, "\(name)")
            }
        }
    }
}
