import Foundation
import InferenceSDK
import NIOConcurrencyHelpers
import RFClientCommon

/// Shows a directory job's progress on stderr: a redrawn bar with ETA on a terminal, a plain line every
/// few seconds otherwise (logs, CI).
final class ProgressReporter: Sendable {
    private let interactive: Bool
    private let interval: Double
    private let lastPrinted = NIOLockedValueBox<Double>(-1)

    init(interactive: Bool = Terminal.stderrIsTTY, interval: Double? = nil) {
        self.interactive = interactive
        self.interval = interval ?? (interactive ? 0.1 : 5)
    }

    func update(_ p: DirectoryJob.Progress) {
        let due = lastPrinted.withLockedValue { last -> Bool in
            guard p.elapsed - last >= interval || p.remaining == 0 else { return false }
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

    static func bar(_ p: DirectoryJob.Progress) -> String {
        let finished = p.done + p.skipped + p.failed
        let fraction = p.total > 0 ? Double(finished) / Double(p.total) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "\(bar) \(finished)/\(p.total) \(format(p.imagesPerSecond)) img/s ETA \(eta(p)) (failed \(p.failed))"
    }

    static func line(_ p: DirectoryJob.Progress) -> String {
        "progress: \(p.done + p.skipped + p.failed)/\(p.total) done=\(p.done) skipped=\(p.skipped) failed=\(p.failed) "
            + "\(format(p.imagesPerSecond)) img/s eta=\(eta(p))"
    }

    static func eta(_ p: DirectoryJob.Progress) -> String {
        let rate = p.imagesPerSecond
        guard rate > 0 else { return "--" }
        let seconds = Int(Double(p.remaining) / rate)
        return seconds >= 3600 ? "\(seconds / 3600)h\(seconds % 3600 / 60)m" : seconds >= 60 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds)s"
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
