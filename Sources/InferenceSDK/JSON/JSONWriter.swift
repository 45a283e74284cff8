import ImageCodecs
import CByteKernels
import NIOCore

/// Where ``JSONWriter`` appends: a `[UInt8]` for printing and files, a NIO `ByteBuffer` for request bodies
/// (handed to the transport as is, no copy).
protocol JSONOutput {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: some Sequence<UInt8>)
    mutating func append(ascii text: String)
    /// Appends the base64 text of `data` (no quotes), encoding straight into the storage.
    mutating func appendBase64(of data: UnsafeRawBufferPointer)
}

extension [UInt8]: JSONOutput {
    mutating func append(ascii text: String) { append(contentsOf: text.utf8) }
    mutating func appendBase64(of data: UnsafeRawBufferPointer) { Base64.encode(data, appendingTo: &self) }
}

extension ByteBuffer: JSONOutput {
    mutating func append(_ byte: UInt8) { writeInteger(byte) }
    mutating func append(contentsOf bytes: some Sequence<UInt8>) { writeBytes(bytes) }
    mutating func append(ascii text: String) { writeString(text) }
    mutating func appendBase64(of data: UnsafeRawBufferPointer) {
        let length = Base64.encodedLength(data.count)
        guard length > 0 else { return }
        writeWithUnsafeMutableBytes(minimumWritableBytes: length) { Base64.encode(data, into: $0) }
    }
}

/// Appends JSON text to a byte buffer. Used for request bodies (images are base64-encoded straight into
/// the buffer, no intermediate `String`) and for printing results.
struct JSONWriter<Output: JSONOutput> {
    private(set) var bytes: Output
    let pretty: Bool
    private var indent = 0

    /// Appends to `output` (for a request body: a pooled buffer with the body's capacity reserved).
    init(into output: Output, pretty: Bool = false) {
        self.bytes = output
        self.pretty = pretty
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: appendASCII("null")
        case .bool(let b): appendASCII(b ? "true" : "false")
        case .int(let i): appendASCII(String(i))
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let a):
            if a.isEmpty { appendASCII("[]"); return }
            bytes.append(UInt8(ascii: "["))
            indent += 1
            for (i, element) in a.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                newline()
                write(element)
            }
            indent -= 1
            newline()
            bytes.append(UInt8(ascii: "]"))
        case .object(let o):
            if o.isEmpty { appendASCII("{}"); return }
            bytes.append(UInt8(ascii: "{"))
            indent += 1
            var first = true
            for (key, element) in o {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                newline()
                writeKey(key)
                write(element)
            }
            indent -= 1
            newline()
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Writes `"key":` (with a space after the colon when pretty).
    mutating func writeKey(_ key: String) {
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
    }

    mutating func appendASCII(_ text: String) {
        bytes.append(ascii: text)
    }

    /// Appends raw, already valid JSON text.
    mutating func appendRaw(_ raw: some Sequence<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    private mutating func newline() {
        guard pretty else { return }
        bytes.append(0x0A)
        for _ in 0..<indent { bytes.append(0x20); bytes.append(0x20) }
    }

    private mutating func writeDouble(_ d: Double) {
        guard d.isFinite else { appendASCII("null"); return }
        if d == d.rounded(), abs(d) < 1e15 {
            // Keep a fractional marker so the value stays a float for the reader.
            appendASCII(String(Int64(d)))
            appendASCII(".0")
        } else {
            appendASCII("\(d)")
        }
    }

    mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings (and every base64 image) need no escaping: checked 32 bytes at a time in C.
        let needsEscape = s.utf8.withContiguousStorageIfAvailable { units in
            guard let base = units.baseAddress else { return false }
            return rf_json_string_scan(base, 0, units.count) != units.count
        } ?? s.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
        if !needsEscape {
            bytes.append(ascii: s)
        } else {
            for b in s.utf8 {
                switch b {
                case 0x22: appendASCII("\\\"")
                case 0x5C: appendASCII("\\\\")
                case 0x0A: appendASCII("\\n")
                case 0x0D: appendASCII("\\r")
                case 0x09: appendASCII("\\t")
                case 0x08: appendASCII("\\b")
                case 0x0C: appendASCII("\\f")
                case 0..<0x20:
                    appendASCII("\\u00")
                    bytes.append(hexDigits[Int(b >> 4)])
                    bytes.append(hexDigits[Int(b & 0xF)])
                default: bytes.append(b)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes `"<base64 of data>"`, encoding straight into the buffer.
    mutating func writeBase64String(of data: UnsafeRawBufferPointer) {
        bytes.append(UInt8(ascii: "\""))
        bytes.appendBase64(of: data)
        bytes.append(UInt8(ascii: "\""))
    }

}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

extension JSONWriter<[UInt8]> {
    /// A writer into a new array.
    init(pretty: Bool = false, reservingCapacity capacity: Int = 0) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        self.init(into: bytes, pretty: pretty)
    }
}
