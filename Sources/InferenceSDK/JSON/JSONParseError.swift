/// JSON text that could not be parsed, with the byte offset where parsing stopped.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public let reason: String
    /// Byte offset into the text.
    public let offset: Int

    /// Creates an error.
    public init(_ reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// One line: reason and offset.
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
