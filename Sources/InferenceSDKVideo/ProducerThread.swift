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
