#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read
#elseif canImport(Musl)
import Musl
private let systemRead = Musl.read
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read
#endif

/// Reads a whole file with POSIX calls, turning each failure into a precise reason.
enum FileReader {
    struct Failure: Error { let reason: String }

    static func read(_ path: String, maxBytes: Int) throws(Failure) -> [UInt8] {
        guard !path.isEmpty else { throw Failure(reason: "the path is empty") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(reason: reason(errno, path: path)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(reason: reason(errno, path: path)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(reason: "is a directory, not a file") }
        let size = Int(info.st_size)
        let isRegular = (info.st_mode & S_IFMT) == S_IFREG
        if isRegular && size == 0 { throw Failure(reason: "is empty (0 bytes)") }
        if isRegular && size > maxBytes { throw Failure(reason: "is \(size) bytes, more than the \(maxBytes)-byte limit") }
        if isRegular {
            // Read straight into uninitialised storage: zero-filling a megabyte first costs as much as the copy.
            var failure: Int32 = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                initialized = 0
                guard let base = buffer.baseAddress else { return }
                while initialized < size {
                    let n = systemRead(fd, base + initialized, size - initialized)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if n == 0 { return }  // the file shrank while being read: keep what is there
                    initialized += n
                }
            }
            if failure != 0 { throw Failure(reason: reason(failure, path: path)) }
            if bytes.isEmpty { throw Failure(reason: "is empty (0 bytes)") }
            return bytes
        }
        // Pipes, character devices, /dev/stdin: grow until end of file.
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        var filled = 0
        while true {
            if filled == bytes.count {
                guard bytes.count < maxBytes else { throw Failure(reason: "is more than the \(maxBytes)-byte limit") }
                bytes.append(contentsOf: repeatElement(0, count: bytes.count))
            }
            let n = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return systemRead(fd, base + filled, raw.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(reason: reason(errno, path: path))
            }
            if n == 0 { break }
            filled += n
        }
        if filled < bytes.count { bytes.removeSubrange(filled...) }
        if bytes.isEmpty { throw Failure(reason: "is empty (0 bytes)") }
        return bytes
    }

    /// What ``read(_:maxBytes:)`` would refuse without reading: a missing, unreadable, empty or too large file,
    /// or a folder. Costs an `open` and an `fstat`.
    static func probe(_ path: String, maxBytes: Int) throws(Failure) {
        guard !path.isEmpty else { throw Failure(reason: "the path is empty") }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw Failure(reason: reason(errno, path: path)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(reason: reason(errno, path: path)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(reason: "is a directory, not a file") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return }
        let size = Int(info.st_size)
        if size == 0 { throw Failure(reason: "is empty (0 bytes)") }
        if size > maxBytes { throw Failure(reason: "is \(size) bytes, more than the \(maxBytes)-byte limit") }
    }

    static func reason(_ code: Int32, path: String) -> String {
        switch code {
        case ENOENT: return "does not exist"
        case EACCES, EPERM: return "cannot be read (permission denied)"
        case EISDIR: return "is a directory, not a file"
        case ENOTDIR: return "a part of the path is not a directory"
        case ELOOP: return "has too many symbolic links"
        case ENAMETOOLONG: return "the path is too long"
        default: return String(cString: strerror(code))
        }
    }
}
