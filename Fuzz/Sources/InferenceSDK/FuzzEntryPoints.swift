import ImageCodecs


/// The library entry points each fuzz target drives (public so the executable targets reach internal API).
public enum FuzzEntryPoints {
    /// `JSONValue(parsing:)`, then a round trip through the writer: what parses must serialise and parse back.
    public static func parseJSON(_ bytes: [UInt8]) {
        guard let value = try? JSONValue(parsing: bytes) else { return }
        let compact = value.serialized()
        let pretty = value.serialized(pretty: true)
        guard let again = try? JSONValue(parsing: compact), (try? JSONValue(parsing: pretty)) != nil else {
            fatalError("serialised JSON does not parse back: \(String(decoding: compact.prefix(200), as: UTF8.self))")
        }
        // NaN never equals itself; compare the serialisations instead of the values.
        if again.serialized() != compact {
            fatalError("JSON round trip changed the value")
        }
        _ = value.description
    }

    /// `WorkflowResponseDecoder.decodeSuccess` and every typed accessor on every output.
    public static func decodeResponse(_ bytes: [UInt8], status: Int = 200) {
        let response = TransportResponse(
            status: status, headers: [("content-type", "application/json"), ("x-request-id", "fuzz")], body: bytes)
        guard let result = try? WorkflowResponseDecoder.decodeSuccess(response) else { return }
        _ = result.rawOutputs.serialized()
        for output in result.outputs {
            for name in output.names {
                // Decode only what the harness can afford (see FuzzImageDecode for the decoders' own limit).
                if let image = try? output.image(name),
                   !(image.width ?? 0).multipliedReportingOverflow(by: image.height ?? 0).overflow,
                   (image.width ?? 0) * (image.height ?? 0) <= 1 << 22 {
                    _ = try? image.decodePixels()
                }
                _ = try? output.images(name)
                _ = try? output.detections(name)
                _ = output.string(name)
                _ = output.int(name)
                _ = output.double(name)
                _ = output.bool(name)
                _ = try? output.decode(name, as: [String: JSONValue].self)
            }
        }
    }

    /// `ServerError.parse` and the error built from a non-2xx answer, with a secret to redact.
    public static func parseServerError(_ bytes: [UInt8]) {
        let secret = "rf_FUZZ_SECRET_KEY_01"
        let parsed = ServerError.parse(bytes)
        _ = parsed?.summary
        for status in [400, 422, 500, 503] {
            let response = TransportResponse(status: status, headers: [("content-type", "text/html")], body: bytes)
            let error = WorkflowResponseDecoder.error(for: response, redact: Redactor(secret: secret))
            let text = error.description
            if text.contains("\n") { fatalError("error description spans lines: \(text)") }
            if text.contains(secret) { fatalError("error description leaks the secret") }
        }
    }

    /// `Base64.decode` (text and raw forms, with and without a limit) and an encode round trip.
    public static func base64(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let decoded = try? Base64.decode(text) {
            let again = Base64.encode(decoded)
            guard let back = try? Base64.decode(again), back == decoded else {
                fatalError("base64 round trip failed")
            }
        }
        let limit = bytes.first.map { Int($0) % 16 }
        let limited = bytes.withUnsafeBytes { raw in try? Base64.decode(raw, limit: limit) }
        if let limited, let limit, limited.count > limit { fatalError("decode(limit:) returned more than the limit") }
        // The encoder (AVX2 where the CPU has it) must round-trip any bytes.
        guard let raw = try? Base64.decode(Base64.encode(bytes)), raw == bytes else {
            fatalError("base64 encode of raw bytes did not decode back")
        }
    }
}
