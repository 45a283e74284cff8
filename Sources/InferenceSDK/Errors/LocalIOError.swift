#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating system's side of an ``InferenceError/Kind/localIO`` error: which operation on which path
/// failed, with the `errno` it failed with (`ENOSPC`, `EROFS`, `EACCES`, …).
public struct LocalIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done: `write`, `open`, `create folder`, `rename`, …
    public var operation: String
    /// The file or folder.
    public var path: String
    /// The `errno` value.
    public var code: Int32

    /// Creates the error.
    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// The OS's text for ``code`` (`No space left on device`).
    public var reason: String { String(cString: strerror(code)) }

    /// `cannot write /out/a.jpg: No space left on device`.
    public var description: String { "cannot \(operation) \(path): \(reason)" }
}

extension InferenceError {
    /// A `.localIO` error naming the path and the OS cause.
    package static func localIO(_ operation: String, _ path: String, code: Int32) -> InferenceError {
        let cause = LocalIOError(operation: operation, path: path, code: code)
        return InferenceError(.localIO, cause.description, input: path, underlying: cause)
    }
}
