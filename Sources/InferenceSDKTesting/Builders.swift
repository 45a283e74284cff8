import ImageCodecs
import InferenceSDK
import NIOCore

extension JSONValue {
    /// An image value as the server serializes it (`{"type":"base64","value":...}`), with optional metadata:
    /// for `WorkflowOutput` fixtures.
    public static func image(
        _ bytes: [UInt8], videoMetadata: VideoMetadata? = nil, parentID: String? = nil, parentOrigin: ImageOrigin? = nil
    ) -> JSONValue {
        var object: JSONObject = ["type": "base64", "value": .string(Base64.encode(bytes))]
        if let videoMetadata, let json = try? JSONValue(encoding: videoMetadata) { object["video_metadata"] = json }
        if let parentID { object["parent_id"] = .string(parentID) }
        if let parentOrigin, let json = try? JSONValue(encoding: parentOrigin) { object["parent_origin"] = json }
        return .object(object)
    }

    /// Detections as the server serializes them (`{"image": {...}, "predictions": [...]}`).
    public static func detections(_ detections: Detections) -> JSONValue {
        (try? JSONValue(encoding: detections)) ?? .null
    }

    /// A classification as the server serializes it: single-label (`predictions` list, `top`, `confidence`) or
    /// multi-label (`predictions` keyed by class, `predicted_classes`), with the model's metadata.
    public static func classification(_ classification: Classification) -> JSONValue {
        (try? JSONValue(encoding: classification)) ?? .null
    }
}

extension InferenceClientConfiguration {
    /// A configuration for tests with a ``ScriptedTransport``: a placeholder URL and key, and retries without
    /// waiting (the same number of attempts as the default policy), so retry paths run instantly.
    public static func testing(apiKey: String? = "test-api-key") -> InferenceClientConfiguration {
        var configuration = InferenceClientConfiguration(apiURL: "http://inference.test", apiKey: apiKey)
        configuration.retry = RetryPolicy(initialBackoff: .zero, maxBackoff: .zero)
        return configuration
    }
}

extension TransportRequest {
    /// The path of `url` (no scheme, host or query): `/workflows/run`.
    public var path: String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        rest = rest[slash...]
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        return String(rest)
    }

    /// The body parsed as JSON, `nil` when there is none or it is not JSON.
    public var json: JSONValue? {
        guard let body else { return nil }
        return try? JSONValue(parsing: body)
    }

    /// The decoded bytes of the images sent for workflow input `name`, in order (batches flattened).
    public func images(_ name: String) -> [[UInt8]] {
        func collect(_ value: JSONValue?) -> [[UInt8]] {
            switch value {
            case .array(let items)?: return items.flatMap { collect($0) }
            case let value? where value["value"]?.stringValue != nil:
                return (try? Base64.decode(value["value"]?.stringValue ?? "")).map { [$0] } ?? []
            default: return []
            }
        }
        return collect(json?["inputs"]?[name])
    }
}
