import CVideoKernels
import Foundation

/// Linux's `SCHED_IDLE` policy for threads, which Swift's Glibc module does not import.
package enum SchedulingPolicy {
    /// Moves thread `tid` (0: the calling one) to `SCHED_IDLE`; 0, or the `errno` of the refusal.
    package static func moveToIdle(thread tid: Int32 = 0) -> Int32 { rf_sched_idle(tid) }

    /// Moves thread `tid` (0: the calling one) back to the default policy; 0, or the `errno` of the refusal (`EPERM`
    /// out of `SCHED_IDLE` without the privilege to raise a priority).
    package static func moveToNormal(thread tid: Int32 = 0) -> Int32 { rf_sched_normal(tid) }

    /// Whether thread `tid` (0: the calling one) runs under `SCHED_IDLE`.
    package static func isIdle(thread tid: Int32 = 0) -> Bool { rf_sched_is_idle(tid) == 1 }

    /// The calling thread's kernel ID.
    package static var currentThreadID: Int32 { rf_gettid() }

    /// This process's thread IDs (`/proc/self/task`).
    package static func threadIDs() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []).compactMap { Int32($0) }
    }

    /// Whether this process may leave `SCHED_IDLE` again (tried on a thread of its own, which ends afterwards).
    package static func canReturnToNormal() -> Bool {
        let result = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let probe = Thread {
            result.value = moveToIdle() == 0 && moveToNormal() == 0
            done.signal()
        }
        probe.start()
        done.wait()
        return result.value
    }

    private final class ResultBox: @unchecked Sendable {
        var value = false  // written by the probe before it signals, read after the wait
    }
}

/// Tells a process that yields CPU (`SCHED_IDLE`) from one that other work starves: once a second, how much CPU its
/// threads got (`run`) and how long they waited for a core while runnable (`wait`), both in seconds per second.
///
/// Yielding to a server on the same cores looks like run ≈ 0.5, wait ≈ 1.1–1.6 here (the client gets the gaps);
/// starved by busy processes, run stays below 0.1 × wait (measured: 0.00–0.26 of CPU against 1–3 of waiting). The
/// kernel adds a thread's wait when the thread next runs, so a starved second can show no wait at all and the next
/// one several seconds of it: the verdict is over the last `window` seconds together.
package struct StarvationDetector: Sendable {
    /// Seconds judged together.
    package let window: Int
    private var samples: [(run: Double, wait: Double)] = []

    /// A detector that judges the last `window` samples (at least 2).
    package init(window: Int = 4) { self.window = max(2, window) }

    /// Takes one sample; `true` when, over the last `window` samples, the threads waited more than a quarter of the
    /// time for a core and got less than a tenth of that as CPU.
    package mutating func observe(run: Double, wait: Double) -> Bool {
        samples.append((run, wait))
        if samples.count > window { samples.removeFirst(samples.count - window) }
        guard samples.count == window else { return false }
        let run = samples.reduce(0) { $0 + $1.run }, wait = samples.reduce(0) { $0 + $1.wait }
        return wait > 0.25 * Double(window) && run < 0.1 * wait
    }
}

/// Moves a whole process to `SCHED_IDLE`, guarded: a thread of its own, left at normal priority, watches the others
/// and moves them all back when other work starves them (see ``StarvationDetector``).
package enum BackgroundProcess {
    /// What ``enter(guarded:window:onReturn:)`` did.
    package enum Outcome: Equatable, Sendable {
        /// This many threads run under `SCHED_IDLE` now; `guarded`: the watchdog runs.
        case applied(threads: Int, guarded: Bool)
        /// The system refused (`errno`); the process runs at normal priority.
        case refused(errno: Int32)
    }

    /// Moves every thread of the process (but the watchdog) to `SCHED_IDLE`. With `guarded`, a watchdog thread
    /// samples the others' CPU once a second and, when they are starved over `window` seconds, moves them back to the
    /// default policy and calls `onReturn` once (from the watchdog's thread).
    package static func enter(guarded: Bool, window: Int = 4, onReturn: @escaping @Sendable () -> Void = {}) -> Outcome {
        let watchdog = guarded ? Watchdog.start(window: window, onReturn: onReturn) : nil
        let code = SchedulingPolicy.moveToIdle()
        guard code == 0 else {
            watchdog?.cancel()
            return .refused(errno: code)
        }
        let exempt = watchdog?.threadID
        // The threads that exist already (the runtime's and the HTTP client's), twice for one started meanwhile by a
        // thread not yet moved; later ones inherit the policy of the thread that starts them.
        var moved = Set<Int32>()
        for _ in 0..<2 {
            for tid in SchedulingPolicy.threadIDs() where tid != exempt && !moved.contains(tid) {
                if SchedulingPolicy.moveToIdle(thread: tid) == 0 { moved.insert(tid) }
            }
        }
        let idle = SchedulingPolicy.threadIDs().filter { SchedulingPolicy.isIdle(thread: $0) }.count
        return .applied(threads: idle, guarded: watchdog != nil)
    }

    /// The watchdog thread.
    private final class Watchdog: @unchecked Sendable {
        private let lock = NSCondition()
        private var tid: Int32?
        private var cancelled = false

        static func start(window: Int, onReturn: @escaping @Sendable () -> Void) -> Watchdog {
            let watchdog = Watchdog()
            let thread = Thread { watchdog.run(window: window, onReturn: onReturn) }
            thread.start()
            _ = watchdog.threadID  // wait until it knows its ID, so that it is left out of the move
            return watchdog
        }

        /// The watchdog's kernel thread ID (waits until the thread runs).
        var threadID: Int32 {
            lock.lock()
            defer { lock.unlock() }
            while true {
                if let tid { return tid }
                lock.wait()
            }
        }

        func cancel() {
            lock.lock()
            cancelled = true
            lock.unlock()
        }

        private var isCancelled: Bool {
            lock.lock()
            defer { lock.unlock() }
            return cancelled
        }

        private func run(window: Int, onReturn: @Sendable () -> Void) {
            rf_set_thread_name("cpu-watchdog")
            let me = SchedulingPolicy.currentThreadID
            lock.lock()
            tid = me
            lock.broadcast()
            lock.unlock()
            var detector = StarvationDetector(window: window)
            var previous = Self.sample(excluding: me)
            while !isCancelled {
                Thread.sleep(forTimeInterval: 1)
                let current = Self.sample(excluding: me)
                // Threads that ended drop out of the sums: a negative difference is no sample.
                let run = current.run - previous.run, wait = current.wait - previous.wait
                previous = current
                guard run >= 0, wait >= 0 else { continue }
                if detector.observe(run: run, wait: wait) {
                    for tid in SchedulingPolicy.threadIDs() where tid != me { _ = SchedulingPolicy.moveToNormal(thread: tid) }
                    onReturn()
                    return
                }
            }
        }

        /// CPU seconds and runqueue-wait seconds of the process's threads but `excluded` (/proc/self/task/T/schedstat).
        private static func sample(excluding excluded: Int32) -> (run: Double, wait: Double) {
            var run = 0.0, wait = 0.0
            for tid in SchedulingPolicy.threadIDs() where tid != excluded {
                guard let text = try? String(contentsOfFile: "/proc/self/task/\(tid)/schedstat", encoding: .utf8) else { continue }
                let fields = text.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                guard fields.count >= 2 else { continue }
                run += fields[0] / 1e9
                wait += fields[1] / 1e9
            }
            return (run, wait)
        }
    }
}
