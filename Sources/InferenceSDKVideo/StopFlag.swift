import Dispatch
import Foundation

/// A flag a consumer raises to stop a decoder, read by FFmpeg's interrupt callback so that blocking reads
/// (network streams, cameras) return promptly; also enforces an optional deadline for opening a source.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var deadline: UInt64 = 0

    /// Raises the flag.
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    /// Whether the flag is raised.
    var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Blocking FFmpeg calls give up `seconds` from now (`nil`: no deadline).
    func setDeadline(_ seconds: Double?) {
        lock.lock()
        deadline = seconds.map { DispatchTime.now().uptimeNanoseconds + UInt64($0 * 1e9) } ?? 0
        lock.unlock()
    }

    /// Whether a blocking call should give up now.
    var shouldInterrupt: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped || (deadline != 0 && DispatchTime.now().uptimeNanoseconds > deadline)
    }

    /// The deadline passed (as opposed to a stop).
    var deadlinePassed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return deadline != 0 && DispatchTime.now().uptimeNanoseconds > deadline
    }
}
