import InferenceSDKVideo
import RFClientCommon

/// A video job's progress on stderr (``ProgressDisplay``): frames of total, frames/s, ETA.
final class VideoProgressReporter: Sendable {
    private let display: ProgressDisplay

    init(interactive: Bool = Terminal.stderrIsTTY, interval: Double? = nil) {
        display = ProgressDisplay(interactive: interactive, interval: interval)
    }

    func update(_ p: VideoJob.Progress) {
        display.update(ProgressSnapshot(
            finished: p.done + p.failed, total: p.total, remaining: p.total.map { $0 - p.done - p.failed }, failed: p.failed,
            rate: p.framesPerSecond, elapsed: p.elapsed, countSuffix: " frames", unit: "frames/s",
            fields: "done=\(p.done) failed=\(p.failed)"))
    }

    func finish() { display.finish() }
}
