import Foundation
import NIOConcurrencyHelpers

/// One moment of a job's progress, in the terms the display prints.
package struct ProgressSnapshot: Sendable {
    /// Items finished in any way (done, skipped, failed).
    package var finished: Int
    /// Items expected, `nil` when unknown (a live video).
    package var total: Int?
    /// Items still to do, `nil` when unknown (no ETA then).
    package var remaining: Int?
    /// Items that failed.
    package var failed: Int
    /// Items per second.
    package var rate: Double
    /// Seconds since the job started.
    package var elapsed: Double
    /// What is counted, after the count (`""` for images, `" frames"` for a video).
    package var countSuffix: String
    /// The rate's unit (`img/s`, `frames/s`).
    package var unit: String
    /// The counters of the plain line (`done=3 skipped=0 failed=1`).
    package var fields: String

    /// A snapshot.
    package init(
        finished: Int, total: Int?, remaining: Int?, failed: Int, rate: Double, elapsed: Double, countSuffix: String,
        unit: String, fields: String
    ) {
        self.finished = finished
        self.total = total
        self.remaining = remaining
        self.failed = failed
        self.rate = rate
        self.elapsed = elapsed
        self.countSuffix = countSuffix
        self.unit = unit
        self.fields = fields
    }
}

/// Shows a job's progress on stderr: a bar redrawn in place with rate and ETA on a terminal, a plain `progress:`
/// line every few seconds otherwise (logs, CI). Shared by `process` and `process-video`.
package final class ProgressDisplay: Sendable {
    private let interactive: Bool
    private let interval: Double
    private let lastPrinted = NIOLockedValueBox<Double>(-1)

    /// A display; `interval` defaults to 0.1 s on a terminal and 5 s otherwise.
    package init(interactive: Bool = Terminal.stderrIsTTY, interval: Double? = nil) {
        self.interactive = interactive
        self.interval = interval ?? (interactive ? 0.1 : 5)
    }

    /// Shows `snapshot` when the interval has passed since the last one shown (or always with `force`).
    package func update(_ snapshot: ProgressSnapshot, force: Bool = false) {
        let due = lastPrinted.withLockedValue { last -> Bool in
            guard snapshot.elapsed - last >= interval || force else { return false }
            last = snapshot.elapsed
            return true
        }
        guard due else { return }
        if interactive {
            Terminal.writeError("\r\u{1B}[K" + Self.bar(snapshot))
        } else {
            Terminal.writeError(Self.line(snapshot) + "\n")
        }
    }

    /// Ends the redrawn line.
    package func finish() {
        if interactive { Terminal.writeError("\n") }
    }

    /// `██████░░░░ 3/10 12.5 img/s ETA 1s (failed 0)`.
    package static func bar(_ s: ProgressSnapshot) -> String {
        let rate = String(format: "%.1f", s.rate)
        guard let total = s.total else { return "\(s.finished)\(s.countSuffix) \(rate) \(s.unit) (failed \(s.failed))" }
        let width = 30
        let fraction = total > 0 ? Double(s.finished) / Double(total) : 1
        let filled = max(0, min(width, Int(fraction * Double(width))))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "\(bar) \(s.finished)/\(total)\(s.countSuffix) \(rate) \(s.unit) ETA \(eta(s)) (failed \(s.failed))"
    }

    /// `progress: 3/10 done=3 skipped=0 failed=0 12.5 img/s eta=1s`.
    package static func line(_ s: ProgressSnapshot) -> String {
        "progress: \(s.finished)/\(s.total.map(String.init) ?? "?")\(s.countSuffix) \(s.fields) "
            + String(format: "%.1f", s.rate) + " \(s.unit) eta=\(eta(s))"
    }

    /// `1h2m`, `3m4s`, `5s`, or `--` without a rate or a known remainder.
    package static func eta(_ s: ProgressSnapshot) -> String {
        guard let remaining = s.remaining, s.rate > 0 else { return "--" }
        let seconds = Int(Double(max(0, remaining)) / s.rate)
        return seconds >= 3600 ? "\(seconds / 3600)h\(seconds % 3600 / 60)m" : seconds >= 60 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds)s"
    }
}
