import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

// MARK: - Recording the Swift client's requests

/// Passes every request to the real transport and keeps what was sent and what came back.
final class ParityRecordingTransport: InferenceTransport, @unchecked Sendable {
    struct Exchange: Sendable {
        var method: String
        var path: String
        var query: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        var status: Int

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    private let inner: any InferenceTransport
    private let lock = NSLock()
    private var log: [Exchange] = []

    init(_ inner: any InferenceTransport) { self.inner = inner }

    var exchanges: [Exchange] { lock.withLock { log } }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let response = try await inner.send(request)
        let components = URLComponents(string: request.url)
        let exchange = Exchange(
            method: request.method, path: components?.path ?? request.url, query: components?.query ?? "",
            headers: request.headers, body: request.body ?? [], status: response.status
        )
        lock.withLock { log.append(exchange) }
        return response
    }

    func shutdown() async throws { try await inner.shutdown() }
}

// MARK: - Normalising

/// The same normalisation as scripts/python_parity.py.
enum ParityNormaliser {
    static let alwaysVolatile: Set<String> = ["detection_id", "frame_timestamp"]
    static let volatileWhenUUID: Set<String> = ["parent_id", "root_parent_id", "video_identifier"]

    static func normalise(_ value: JSONValue, keepImageMetadata: Bool) throws -> JSONValue {
        if ImageOutput.isImageValue(value) {
            let image = try ImageOutput(value)
            var result: JSONObject = ["__image__": descriptor(image)]
            if keepImageMetadata, case .object(let fields) = value {
                var rest = fields
                rest["type"] = nil
                rest["value"] = nil
                for (key, item) in try normalise(.object(rest), keepImageMetadata: true).objectValue ?? [:] {
                    result[key] = item
                }
            }
            return .object(result)
        }
        switch value {
        case .object(let fields):
            var result: JSONObject = [:]
            for (key, item) in fields {
                if alwaysVolatile.contains(key) { continue }
                if volatileWhenUUID.contains(key), let text = item.stringValue, isUUID(text) { continue }
                result[key] = try normalise(item, keepImageMetadata: keepImageMetadata)
            }
            return .object(result)
        case .array(let items):
            return .array(try items.map { try normalise($0, keepImageMetadata: keepImageMetadata) })
        default:
            return value
        }
    }

    /// The descriptor of encoded image bytes, as `{"__image__": {...}}`.
    static func describe(_ bytes: [UInt8]) throws -> JSONValue {
        let image = try ImageOutput(.object(["type": "base64", "value": .string(Data(bytes).base64EncodedString())]))
        return .object(["__image__": descriptor(image)])
    }

    static func descriptor(_ image: ImageOutput) -> JSONValue {
        .object([
            "format": image.format.map { .string($0.rawValue) } ?? .null,
            "width": image.width.map { .int($0) } ?? .null,
            "height": image.height.map { .int($0) } ?? .null,
            "sha256": .string(ParitySHA256.hex(image.bytes)),
            "bytes": .int(image.bytes.count),
        ])
    }

    /// `8-4-4-4-12` hexadecimal digits, as Python's `^[0-9a-fA-F]{8}-...$` in the script.
    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) && $0.allSatisfy(\.isASCII) }
    }
}

/// Structural comparison of normalised documents that names the first differing path.
enum ParityJSON {
    static let tolerance = 1e-9

    /// `nil` when equal: same keys (order ignored), same array lengths and elements, strings/booleans/nulls
    /// equal, numbers equal within an absolute 1e-9 (an integer equals a float of the same value).
    static func firstDifference(_ python: JSONValue, _ swift: JSONValue, path: String) -> String? {
        switch (python, swift) {
        case (.object(let p), .object(let s)):
            if let only = p.keys.first(where: { s[$0] == nil }) {
                return "\(path).\(only): only in the Python result (\(show(p[only]!)))"
            }
            if let only = s.keys.first(where: { p[$0] == nil }) {
                return "\(path).\(only): only in the Swift result (\(show(s[only]!)))"
            }
            for (key, value) in p {
                if let difference = firstDifference(value, s[key]!, path: "\(path).\(key)") { return difference }
            }
            return nil
        case (.array(let p), .array(let s)):
            for (index, (a, b)) in zip(p, s).enumerated() {
                if let difference = firstDifference(a, b, path: "\(path)[\(index)]") { return difference }
            }
            return p.count == s.count ? nil : "\(path): \(p.count) elements in the Python result, \(s.count) in the Swift result"
        case (.int(let a), .int(let b)):
            return a == b ? nil : mismatch(path, python, swift)
        default:
            if let a = python.doubleValue, let b = swift.doubleValue {
                if a.isNaN && b.isNaN { return nil }
                if a == b { return nil }
                return abs(a - b) <= tolerance ? nil : mismatch(path, python, swift)
            }
            return python == swift ? nil : mismatch(path, python, swift)
        }
    }

    private static func mismatch(_ path: String, _ python: JSONValue, _ swift: JSONValue) -> String {
        "\(path): Python \(show(python)), Swift \(show(swift))"
    }

    private static func show(_ value: JSONValue) -> String {
        let text = value.jsonString
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

// MARK: - SHA-256 (FIPS 180-4), so the test needs no crypto dependency

enum ParitySHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func digest(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var data = message
        let bitLength = UInt64(message.count) &* 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var w = [UInt32](repeating: 0, count: 64)
        for block in stride(from: 0, to: data.count, by: 64) {
            for t in 0..<16 {
                let i = block + t * 4
                w[t] = UInt32(data[i]) << 24 | UInt32(data[i + 1]) << 16 | UInt32(data[i + 2]) << 8 | UInt32(data[i + 3])
            }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for t in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let choice = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ choice &+ k[t] &+ w[t]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let t2 = s0 &+ majority
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d
            h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
        return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - $0 * 8)) } }
    }

    static func hex(_ message: [UInt8]) -> String {
        digest(message).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
        }.joined()
    }

    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
