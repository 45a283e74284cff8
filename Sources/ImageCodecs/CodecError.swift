/// An error raised by the image codecs: validation failures, malformed or truncated data,
/// and errors reported by libjpeg-turbo or libpng. The message is meant for people.
public struct CodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A human-readable explanation, naming the offending numbers or chunk where possible.
    public let message: String

    /// Creates an error with the given human-readable message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message itself.
    public var description: String { message }
}
