import InferenceSDK
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a whole file atomically: into a temporary file beside it, then `rename(2)` over the target, so a
/// reader (or a rerun after a crash) sees the old file or the new one, never a torn one. No `fsync`: results can
/// be rebuilt by a rerun, and one flush per file (Foundation's `.atomic` does one) costs 0.2–0.7 ms here and
/// milliseconds on real disks, twice per image in a directory job.
package func writeAtomically(_ bytes: [UInt8], to path: String) throws(InferenceError) {
    func failure(_ code: Int32) -> InferenceError {
        InferenceError.localIO("write", path, code: code)
    }
    let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw failure(errno) }
    let code = writeAll(fd, bytes)
    let closed = close(fd) == 0 ? 0 : errno
    if code != 0 || closed != 0 {
        unlink(temporary)
        throw failure(code != 0 ? code : closed)
    }
    do {
        try moveIntoPlace(temporary, at: path)
    } catch {
        unlink(temporary)
        throw error
    }
}

/// Puts a finished temporary file in place of `path` with `rename(2)` (the last step of writing a file whole:
/// readers see the old file or the new one); `.localIO` naming `path` when it fails.
package func moveIntoPlace(_ temporary: String, at path: String) throws(InferenceError) {
    guard rename(temporary, path) == 0 else { throw InferenceError.localIO("write", path, code: errno) }
}

/// Writes every byte of `bytes` to `fd`, retrying after interruptions and partial writes; 0, or the `errno`
/// of the failed `write(2)`.
package func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
    bytes.withUnsafeBytes { raw -> Int32 in
        guard let base = raw.baseAddress else { return 0 }
        var written = 0
        while written < raw.count {
            let n = write(fd, base + written, raw.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += n
        }
        return 0
    }
}

/// Creates `path` and its missing parents (`mkdir -p`, with `mkdir(2)` so that the OS's own cause is kept);
/// a failure is `.localIO`. Below `base` (a job's output folder) no component may be a symbolic link: a link planted
/// there is refused (ELOOP, naming it), so results are never written outside the folder through it. Above `base` links
/// are the user's own (a symlinked home or `/tmp`) and are followed.
package func createFolder(_ path: String, noLinksBelow base: String? = nil) throws(InferenceError) {
    var st = stat()
    if let base, path.hasPrefix(base + "/") {
        // Only the components below `base` are made and checked (`base` itself once, cheaply, when it exists).
        try createFolder(base)
        var prefix = base
        for component in path.dropFirst(base.count + 1).split(separator: "/") {
            prefix += "/" + component
            guard mkdir(prefix, 0o755) != 0 else { continue }
            let code = errno
            guard code == EEXIST else { throw InferenceError.localIO("create folder", prefix, code: code) }
            guard lstat(prefix, &st) == 0 else { throw InferenceError.localIO("create folder", prefix, code: errno) }
            let type = st.st_mode & mode_t(S_IFMT)
            if type == mode_t(S_IFLNK) { throw InferenceError.localIO("create folder", prefix, code: ELOOP) }
            if type != mode_t(S_IFDIR) { throw InferenceError.localIO("create folder", prefix, code: ENOTDIR) }
        }
        return
    }
    if stat(path, &st) == 0, (st.st_mode & mode_t(S_IFMT)) == mode_t(S_IFDIR) { return }
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += component
        if mkdir(prefix, 0o755) != 0 {
            let code = errno
            if code != EEXIST { throw InferenceError.localIO("create folder", prefix, code: code) }
            if stat(prefix, &st) != 0 || (st.st_mode & mode_t(S_IFMT)) != mode_t(S_IFDIR) {
                throw InferenceError.localIO("create folder", prefix, code: ENOTDIR)
            }
        }
        prefix += "/"
    }
}
