import ArgumentParser
import Foundation
import InferenceSDKVideo

/// `--cpu-priority`: how the client's process competes for CPU with the other processes of this machine.
///
/// A workflow server on the same machine is the run's bottleneck, and its request path is mostly one Python thread:
/// whenever decoding, JPEG encoding or the client's HTTP work takes that thread's core, the server slows down and so
/// does the run. Under Linux's `SCHED_IDLE` the client runs only on CPU that no ordinary thread wants, and a server
/// thread that wakes up takes a core from the client at once. Measured side by side (BENCHMARKS.md V1): the same runs
/// reach ~90 % of the server-alone rate instead of ~75 % at 640×480, ~83 % instead of ~78 % at 1080p.
enum CPUPriority: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// `background` when the server is on this machine and the source is a file; `normal` otherwise.
    case auto
    /// `SCHED_IDLE` for every thread of the process: only CPU nothing else wants.
    case background
    /// The scheduler's default: compete for CPU like any other process.
    case normal

    /// What `auto` becomes. A live source stays `normal`: it must be read as it comes, and a client starved by a busy
    /// server would lose a stream's packets; a remote server does not share this machine's CPU.
    func resolved(serverIsLocal: Bool, live: Bool) -> CPUPriority {
        guard self == .auto else { return self }
        return serverIsLocal && !live ? .background : .normal
    }

    /// The reason `auto` chose what it chose, for `--verbose`.
    static func reason(serverIsLocal: Bool, live: Bool) -> String {
        if !serverIsLocal { return "the server is on another machine" }
        return live ? "the source is live and must be read as it comes" : "the server is on this machine and the source is a file"
    }
}

/// Moves every thread of this process to `SCHED_IDLE`. Threads started later inherit the policy from the thread
/// that starts them.
enum BackgroundScheduling {
    /// What ``apply()`` did.
    enum Outcome: Equatable {
        /// This many of the process's threads run under `SCHED_IDLE` now.
        case applied(threads: Int)
        /// The system refused (`errno`); the process runs at normal priority.
        case refused(errno: Int32)
    }

    /// Applies `SCHED_IDLE` to every thread of the process.
    static func apply() -> Outcome {
        let code = SchedulingPolicy.moveToIdle()
        guard code == 0 else { return .refused(errno: code) }
        // The threads that exist already (the runtime's and the HTTP client's): twice, for one started meanwhile by a
        // thread not yet moved.
        var moved = Set<Int32>()
        for _ in 0..<2 {
            for tid in threadIDs() where !moved.contains(tid) {
                if SchedulingPolicy.moveToIdle(thread: tid) == 0 { moved.insert(tid) }
            }
        }
        return .applied(threads: threadIDs().filter { SchedulingPolicy.isIdle(thread: $0) }.count)
    }

    /// This process's thread IDs (`/proc/self/task`).
    static func threadIDs() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []).compactMap { Int32($0) }
    }
}
