import Foundation
import InferenceSDKVideo
import NIOConcurrencyHelpers
import RFClientCommon

/// Shows a video job's progress on stderr: a redrawn bar (frames of total, frames/s, ETA) on a terminal, a plain
/// line every few seconds otherwise.
final class VideoProgressReporter: Sendable {
    private let interactive: Bool
    private let interval: Double
    private let lastPrinted = NIOLockedValueBox<Double>(-1)

    init(interactive: Bool = Terminal.stderrIsTTY, interval: Double? = nil) {
        self.interactive = interactive
        self.interval = interval ?? (interactive ? 0.1 : 5)
    }

    func update(_ p: VideoJob.Progress) {
        let due = lastPrinted.withLockedValue { last -> Bool in
            guard p.elapsed - last >= interval else { return false }
            last = p.elapsed
            return true
        }
        guard due else { return }
        if interactive {
            Terminal.writeError("\r\u{1B}[K" + Self.bar(p))
        } else {
            Terminal.writeError(Self.line(p) + "\n")
        }
    }

    func finish() {
        if interactive { Terminal.writeError("\n") }
    }

    static func bar(_ p: VideoJob.Progress) -> String {
        let finished = p.done + p.failed
        let rate = String(format: "%.1f", p.framesPerSecond)
        guard let total = p.total, total > 0 else { return "\(finished) frames \(rate) frames/s (failed \(p.failed))" }
        let width = 30
        let filled = min(width, Int(Double(finished) / Double(total) * Double(width)))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "\(bar) \(finished)/\(total) frames \(rate) frames/s ETA \(eta(p)) (failed \(p.failed))"
    }

    static func line(_ p: VideoJob.Progress) -> String {
        "progress: \(p.done + p.failed)/\(p.total.map(String.init) ?? "?") frames done=\(p.done) failed=\(p.failed) "
            + String(format: "%.1f", p.framesPerSecond) + " frames/s eta=\(eta(p))"
    }

    static func eta(_ p: VideoJob.Progress) -> String {
        guard let total = p.total, p.framesPerSecond > 0 else { return "--" }
        let seconds = Int(Double(max(0, total - p.done - p.failed)) / p.framesPerSecond)
        return seconds >= 3600 ? "\(seconds / 3600)h\(seconds % 3600 / 60)m" : seconds >= 60 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds)s"
    }
}
