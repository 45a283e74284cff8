import InferenceSDK
import OrderedCollections

/// CSV per RFC 4180, with nested objects flattened into dotted column names.
package enum CSVFormat {
    /// `{"a": {"b": 1}, "c": [1, 2], "d": null}` → `["a.b": "1", "c": "[1,2]", "d": ""]`, keys in the
    /// object's own order (so columns come out in a stable order).
    package static func flatten(_ object: JSONObject, prefix: String = "") -> OrderedDictionary<String, String> {
        var out: OrderedDictionary<String, String> = [:]
        for (key, value) in object {
            let name = prefix.isEmpty ? key : prefix + "." + key
            switch value {
            case .object(let nested) where !nested.isEmpty: out.merge(flatten(nested, prefix: name)) { $1 }
            case .string(let s): out[name] = s
            case .null: out[name] = ""
            default: out[name] = value.jsonString
            }
        }
        return out
    }

    package static func row(_ cells: [String]) -> String {
        cells.map(quote).joined(separator: ",")
    }

    package static func quote(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
