import ImageCodecs
import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// Replays the committed fuzz seeds (Fuzz/Corpora, which also keeps the reproducer of every crash the fuzzers
/// found) through the same entry points and invariants as the libFuzzer targets, in the normal test build:
/// a regression net that runs everywhere, even where the toolchain has no libFuzzer runtime.
@Suite struct FuzzCorpusReplayTests {
    static let corpora = BuiltRFClient.repositoryRoot + "/Fuzz/Corpora"

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

    /// Every FuzzJSON seed is a real server body: each must parse (a seed that stops parsing fails here, by name)
    /// and survive compact and pretty round trips.
    @Test func jsonRoundTrips() throws {
        let inputs = Self.inputs("FuzzJSON")
        #expect(inputs.count >= 12, "expected the 12 committed FuzzJSON seeds, found \(inputs.count)")
        for (name, bytes) in inputs {
            let value: JSONValue
            do {
                value = try JSONValue(parsing: bytes)
            } catch {
                Issue.record("seed \(name) does not parse: \(error)")
                continue
            }
            let compact = value.serialized()
            let again = try JSONValue(parsing: compact)
            #expect(again.serialized() == compact, "\(name)")
            #expect(try JSONValue(parsing: value.serialized(pretty: true)).serialized() == compact, "\(name)")
        }
    }

    /// Every FuzzResponseDecoder seed is a real 200 body: each decodes, and every accessor on every output either
    /// answers or throws `.invalidResponse` (never another kind, never a crash). Then the same bodies cut short
    /// must fail typed.
    @Test func responsesDecodeOrFailTyped() throws {
        let inputs = Self.inputs("FuzzResponseDecoder")
        #expect(inputs.count >= 4, "expected the 4 committed seeds, found \(inputs.count)")
        var outputsSeen = 0
        for (name, bytes) in inputs {
            let response = TransportResponse(status: 200, headers: [("content-type", "application/json")], body: bytes)
            let result: WorkflowRunResult
            do {
                result = try WorkflowResponseDecoder.decodeSuccess(response)
            } catch {
                Issue.record("seed \(name) does not decode: \(error)")
                continue
            }
            #expect(!result.outputs.isEmpty, "\(name)")
            for output in result.outputs {
                outputsSeen += 1
                for field in output.names {
                    func typed(_ body: () throws(InferenceError) -> Void) {
                        do throws(InferenceError) { try body() } catch {
                            #expect(error.kind == .invalidResponse, "\(name).\(field): \(error)")
                        }
                    }
                    typed { () throws(InferenceError) in _ = try output.image(field)?.decodePixels() }
                    typed { () throws(InferenceError) in _ = try output.images(field) }
                    typed { () throws(InferenceError) in _ = try output.detections(field) }
                }
            }
            let cut = TransportResponse(status: 200, body: Array(bytes.prefix(bytes.count / 2)))
            let error = #expect(throws: InferenceError.self, "\(name) cut in half") { try WorkflowResponseDecoder.decodeSuccess(cut) }
            #expect(error?.kind == .invalidResponse, "\(name)")
        }
        #expect(outputsSeen > 0)
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

    /// The seeds that are valid base64 (plain, unpadded, URL-safe, wrapped) must decode and round-trip; the edge
    /// cases (a data: prefix, padding in the middle) must either decode or fail with a typed error.
    @Test func base64RoundTrips() throws {
        let inputs = Self.inputs("FuzzBase64")
        let valid: Set<String> = ["png.txt", "unpadded.txt", "urlsafe.txt", "wrapped.txt"]
        #expect(valid.isSubset(of: Set(inputs.map(\.name))), "seeds missing: \(valid.subtracting(inputs.map(\.name)))")
        for (name, bytes) in inputs {
            let decoded: [UInt8]
            do {
                decoded = try Base64.decode(String(decoding: bytes, as: UTF8.self))
            } catch {
                #expect(!valid.contains(name), "valid seed \(name) failed: \(error)")
                continue
            }
            #expect(!decoded.isEmpty, "\(name)")
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
