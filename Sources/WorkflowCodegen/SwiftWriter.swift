/// Indented Swift text, four spaces a level, `\n` line ends.
struct SwiftWriter {
    private(set) var text = ""
    private var indent = 0

    /// Appends one line (an empty line has no indentation); a multi-line string keeps its own lines after the first.
    mutating func line(_ content: String) {
        if content.isEmpty {
            text += "\n"
        } else {
            text += String(repeating: "    ", count: indent) + content + "\n"
        }
    }

    /// Appends `opening`, the lines `body` writes one level deeper, and `}`.
    mutating func block(_ opening: String, _ body: (inout SwiftWriter) -> Void) {
        line(opening)
        indent += 1
        body(&self)
        indent -= 1
        line("}")
    }
}
