import InferenceSDK
import OrderedCollections

/// CSV per RFC 4180, with nested objects flattened into dotted column names: the one writer of every CSV file the
/// jobs write (`aggregated_results.csv`, a video's `results.csv`, the pipeline writer's `.csv`).
///
/// A cell a spreadsheet would run as a formula — one that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
/// (a file named `=HYPERLINK(…).jpg`, a server string) — gets a `'` in front, as OWASP's CSV-injection guidance says,
/// so it reads as text; a cell that is a number (`-5`, `+1.5e3`) is left as it is.
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

    /// One cell: neutralised when it would start a formula, then quoted when it holds a comma, quote or line break.
    package static func quote(_ cell: String) -> String {
        let safe = neutralised(cell)
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return safe }
        return "\"" + safe.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// The bytes a spreadsheet takes as the start of a formula.
    static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]

    /// `cell` with a `'` in front when it would start a formula and is not a number.
    static func neutralised(_ cell: String) -> String {
        guard let first = cell.utf8.first, formulaStarts.contains(first), Double(cell) == nil else { return cell }
        return "'" + cell
    }
}
