import Foundation

/// Removes secrets from text before it reaches an error message or a log line: the API key itself
/// wherever it appears, and the value of any `api_key=` query parameter.
struct Redactor: Sendable {
    let secret: String?

    static let mask = "***"

    init(secret: String?) {
        self.secret = (secret?.isEmpty ?? true) ? nil : secret
    }

    func callAsFunction(_ text: String) -> String {
        var result = text
        if let secret, result.contains(secret) {
            result = result.replacingAll(secret, with: Self.mask)
        }
        return Self.maskQueryKey(result)
    }

    /// Masks `api_key=VALUE` (any case, in URLs and form text) up to the next `&`, whitespace, quote or end.
    static func maskQueryKey(_ text: String) -> String {
        guard text.range(of: "api_key=", options: .caseInsensitive) != nil else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: "api_key=", options: .caseInsensitive) {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let end = rest.firstIndex { $0 == "&" || $0 == "\"" || $0 == "'" || $0.isWhitespace || $0 == "#" } ?? rest.endIndex
            if end != rest.startIndex { out += mask }
            rest = rest[end...]
        }
        out += rest
        return out
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        out += rest
        return out
    }
}
