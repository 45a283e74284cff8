import CVideoKernels
import Foundation

/// The producer's threads (opening, decoding, JPEG encoding): named, so that `top -H` and `perf` tell them apart, and
/// under Linux's `SCHED_IDLE` when ``VideoProcessingOptions/backgroundDecoding`` asks for it.
enum ProducerThread {
    /// Starts `body` on a new thread called `name` (at most 15 bytes are kept).
    static func start(_ name: String, background: Bool, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            rf_set_thread_name(name)
            if background { _ = SchedulingPolicy.moveToIdle() }  // refused: the thread keeps its priority
            body()
        }
        thread.start()
    }
}

/// Linux's `SCHED_IDLE` policy, which Swift's Glibc module does not import.
package enum SchedulingPolicy {
    /// Moves thread `tid` (0: the calling one) to `SCHED_IDLE`; 0, or the `errno` of the refusal.
    package static func moveToIdle(thread tid: Int32 = 0) -> Int32 { rf_sched_idle(tid) }

    /// Whether thread `tid` (0: the calling one) runs under `SCHED_IDLE`.
    package static func isIdle(thread tid: Int32 = 0) -> Bool { rf_sched_is_idle(tid) == 1 }
}
