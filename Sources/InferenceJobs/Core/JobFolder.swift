import Foundation
import InferenceSDK
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A resumable job's output folder, held for the run: its resolved path, created if missing, and locked with
/// `flock(2)` on `OUT/.rfclient.lock`, so that a second job into the same folder stops at once (`.folderInUse`,
/// nothing sent, nothing touched) instead of corrupting the first one's files. The lock belongs to the open file:
/// it ends with the job, or with its process if that is killed, so a rerun after a crash resumes as before.
package final class JobFolder {
    /// The lock file's name inside the folder.
    package static let lockName = ".rfclient.lock"

    /// The folder, absolute and standardised.
    package let path: String
    private let lockDescriptor: Int32

    /// Creates the folder if needed and takes its lock; throws `.folderInUse` when another job holds it.
    package init(_ folder: String) throws(InferenceError) {
        path = URL(fileURLWithPath: folder).standardizedFileURL.path
        try createFolder(path)
        let lockPath = path + "/" + Self.lockName
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw InferenceError.localIO("open", lockPath, code: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(fd)
            guard code == EWOULDBLOCK else { throw InferenceError.localIO("lock", lockPath, code: code) }
            throw InferenceError(
                .folderInUse,
                "\(path) is the output folder of another job that is still running; wait for it to end, or choose another folder",
                input: path
            )
        }
        lockDescriptor = fd
    }

    /// A file inside the folder.
    package func file(_ name: String) -> String { path + "/" + name }

    deinit { close(lockDescriptor) }  // closing the descriptor releases the lock
}
