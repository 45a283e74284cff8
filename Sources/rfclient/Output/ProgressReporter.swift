import InferenceJobs
import InferenceSDK
import RFClientCommon

/// A directory job's progress on stderr (``ProgressDisplay``): images finished of the folder, img/s, ETA.
final class ProgressReporter: Sendable {
    private let display: ProgressDisplay

    init(interactive: Bool = Terminal.stderrIsTTY, interval: Double? = nil) {
        display = ProgressDisplay(interactive: interactive, interval: interval)
    }

    func update(_ p: DirectoryJob.Progress) {
        display.update(Self.snapshot(p), force: p.remaining == 0)
    }

    func finish() { display.finish() }

    static func snapshot(_ p: DirectoryJob.Progress) -> ProgressSnapshot {
        ProgressSnapshot(
            finished: p.done + p.skipped + p.failed, total: p.total, remaining: p.remaining, failed: p.failed,
            rate: p.imagesPerSecond, elapsed: p.elapsed, countSuffix: "", unit: "img/s",
            fields: "done=\(p.done) skipped=\(p.skipped) failed=\(p.failed)")
    }
}
