import Foundation

extension Duration {
    /// The whole duration in nanoseconds (what NIO and AsyncHTTPClient take).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The duration in seconds. `package`: the jobs, video and CLI modules write measured times as seconds (JSON,
    /// CSV, progress lines) with this one conversion.
    package var seconds: Double { Double(nanoseconds) / 1e9 }

    /// `30 s`, `0.25 s`: a timeout as messages name it.
    var formattedSeconds: String {
        let s = seconds
        return s == s.rounded() ? "\(Int(s)) s" : String(format: "%.2f s", s)
    }
}
