/// Swift types for workflow kinds.
enum KindMapping {
    /// The detection kinds, all decoded as `Detections`.
    static let detectionKinds: Set<String> = [
        "object_detection_prediction", "instance_segmentation_prediction", "keypoint_detection_prediction",
        "qr_code_detection", "bar_code_detection",
    ]

    /// A parameter's Swift type and the expression that turns a value `v` of it into a `JSONValue`.
    struct Parameter: Equatable {
        var type: String
        var kindText: String
        func json(_ value: String) -> String {
            switch type {
            case "Double": return ".double(\(value))"
            case "Int": return ".int(\(value))"
            case "String": return ".string(\(value))"
            case "Bool": return ".bool(\(value))"
            case "[JSONValue]": return ".array(\(value))"
            default: return value
            }
        }
    }

    /// `float` → `Double`, `integer` → `Int`, `string` → `String`, `boolean` → `Bool`, `list_of_values` →
    /// `[JSONValue]`; `*`, several kinds, or any other kind → `JSONValue`.
    static func parameter(_ kinds: [String]) -> Parameter {
        let text = kinds.isEmpty ? "unknown" : kinds.joined(separator: " | ")
        guard kinds.count == 1, let kind = kinds.first else { return Parameter(type: "JSONValue", kindText: text) }
        switch kind {
        case "float": return Parameter(type: "Double", kindText: text)
        case "integer": return Parameter(type: "Int", kindText: text)
        case "string": return Parameter(type: "String", kindText: text)
        case "boolean": return Parameter(type: "Bool", kindText: text)
        case "list_of_values": return Parameter(type: "[JSONValue]", kindText: text)
        default: return Parameter(type: "JSONValue", kindText: text)
        }
    }

    /// An output's Swift type (without the outer Optional) and the `OutputDecoder` expression that reads it.
    struct Output: Equatable {
        var type: String
        var decoder: String
        var kindText: String
    }

    /// `image` → `ImageOutput`, detection kinds → `Detections`, `classification_prediction` → `Classification`,
    /// `integer`/`float`/`string`/`boolean` → `Int`/`Double`/`String`/`Bool` (the id kinds `inference_id`,
    /// `roboflow_model_id`, `roboflow_project`, `prediction_type`, `parent_id` → `String`), `list_of_values` → `[JSONValue]`; `*`,
    /// mixed kinds and other kinds → `JSONValue`. Each list level wraps the type in `[T?]` and the decoder in `.list(_:)`.
    static func output(_ kinds: [String]?, nesting: Int) -> Output {
        let text = kinds.map { $0.isEmpty ? "unknown" : $0.joined(separator: " | ") } ?? "object of step outputs"
        var (type, decoder) = element(kinds ?? [])
        for _ in 0..<max(0, nesting) {
            type = "[\(type)?]"
            decoder = ".list(\(decoder))"
        }
        return Output(type: type, decoder: decoder, kindText: text)
    }

    private static func element(_ kinds: [String]) -> (String, String) {
        let mapped = kinds.map(single)
        guard let first = mapped.first, mapped.allSatisfy({ $0 == first }) else { return ("JSONValue", ".any") }
        return first
    }

    private static func single(_ kind: String) -> (String, String) {
        if detectionKinds.contains(kind) { return ("Detections", ".detections") }
        switch kind {
        case "classification_prediction": return ("Classification", ".classification")
        case "image": return ("ImageOutput", ".image")
        case "integer": return ("Int", ".integer")
        case "float": return ("Double", ".float")
        case "string", "inference_id", "roboflow_model_id", "roboflow_project", "prediction_type", "parent_id":
            return ("String", ".string")
        case "boolean": return ("Bool", ".boolean")
        case "list_of_values": return ("[JSONValue]", ".array")
        default: return ("JSONValue", ".any")
        }
    }
}
