/// Swift identifiers and literals for wire names.
enum SwiftNames {
    /// Words Swift reserves in declarations and expressions; a property with such a name is written in backticks.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do",
        "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "some", "any",
        "consume", "copy", "borrowing", "consuming", "package", "Type",
    ]

    /// `kernel_size` → `kernelSize`, `Blur-Type` → `blurType`, `2d` → `_2d`; letters, digits and `_` only.
    static func lowerCamelCase(_ wire: String) -> String {
        let words = wire.split { !($0.isLetter || $0.isNumber) || !$0.isASCII }.map(String.init)
        guard let first = words.first else { return "value" }
        var name = first == first.uppercased() ? first.lowercased() : first.prefix(1).lowercased() + first.dropFirst()
        for word in words.dropFirst() { name += word.prefix(1).uppercased() + word.dropFirst() }
        if let initial = name.first, initial.isNumber { name = "_" + name }
        return name
    }

    /// `template-matching` → `TemplateMatching`; `nil` when no letter is left.
    static func upperCamelCase(_ text: String) -> String? {
        let lower = lowerCamelCase(text)
        guard lower.contains(where: \.isLetter), let first = lower.first, !first.isNumber, first != "_" else { return nil }
        return lower.prefix(1).uppercased() + lower.dropFirst()
    }

    /// The identifier as written in code: in backticks when it is a keyword.
    static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// Unique lowerCamelCase names for `wires` (in order), none equal to a `reserved` one: clashes get `2`, `3`, ….
    static func unique(_ wires: [String], reserved: Set<String>) -> [String: String] {
        var taken = reserved
        var names: [String: String] = [:]
        for wire in wires {
            let base = lowerCamelCase(wire)
            var name = base
            var counter = 2
            while taken.contains(name) {
                name = "\(base)\(counter)"
                counter += 1
            }
            taken.insert(name)
            names[wire] = name
        }
        return names
    }

    /// A Swift string literal for `text`.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A raw multi-line string literal holding `text` verbatim (enough `#` that nothing in it ends or interpolates).
    static func rawMultilineLiteral(_ text: String) -> String {
        var hashes = "#"
        while text.contains("\"\"\"" + hashes) || text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        return hashes + "\"\"\"\n" + body.joined(separator: "\n") + "\n\"\"\"" + hashes
    }
}
