import InferenceSDK
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only file of lines: each line goes out in one `write(2)` on an `O_APPEND` descriptor, so a
/// line is never interleaved with another and an interrupted run leaves at most one partial last line.
package final class AppendOnlyFile: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    package let path: String

    package init(path: String, truncate: Bool = false) throws(InferenceError) {
        self.path = path
        // O_NOFOLLOW: a symbolic link planted in the output folder (at `progress.jsonl`, at an aggregate's `.tmp`) is
        // refused (ELOOP, a `.localIO` naming the path), never written through.
        let flags = O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | (truncate ? O_TRUNC : 0)
        fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            throw InferenceError.localIO("open", path, code: errno)
        }
        // A run stopped by a full disk (or killed) may have left a partial last line: end it, so that the next
        // line is not glued to it (a reader drops the partial line alone).
        if !truncate, let end = Self.lastByte(fd), end != 0x0A {
            let code = writeAll(fd, [0x0A])
            if code != 0 { throw InferenceError.localIO("write", path, code: code) }
        }
    }

    /// The last byte of the file, `nil` when it is empty.
    private static func lastByte(_ fd: Int32) -> UInt8? {
        var byte: UInt8 = 0
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0, pread(fd, &byte, 1, size - 1) == 1 else { return nil }
        return byte
    }

    deinit { close(fd) }

    /// Appends `bytes` plus a newline.
    package func appendLine(_ bytes: [UInt8]) throws(InferenceError) {
        var line = bytes
        line.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        let code = writeAll(fd, line)
        if code != 0 {
            throw InferenceError.localIO("write", path, code: code)
        }
    }
}

/// Reads a file line by line in 64 KiB chunks (memory stays bounded by the longest line).
package struct LineReader: Sequence {
    package let path: String

    /// Reads `path` (no lines when it cannot be opened).
    package init(path: String) { self.path = path }

    package struct Iterator: IteratorProtocol {
        let handle: FileHandle?
        var buffer: [UInt8] = []
        var start = 0
        var finished = false

        package mutating func next() -> [UInt8]? {
            while true {
                if let newline = buffer[start...].firstIndex(of: 0x0A) {
                    let line = Array(buffer[start..<newline])
                    start = newline + 1
                    return line
                }
                if finished {
                    guard start < buffer.count else { return nil }
                    let line = Array(buffer[start...])
                    start = buffer.count
                    return line
                }
                buffer.removeSubrange(0..<start)
                start = 0
                let chunk = handle?.readData(ofLength: 1 << 16) ?? Data()
                if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
            }
        }
    }

    package func makeIterator() -> Iterator { Iterator(handle: FileHandle(forReadingAtPath: path)) }
}
