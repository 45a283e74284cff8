import Foundation
import Logging

/// A `LogHandler` that keeps every line (level, message, metadata) in memory, at `.trace` by default,
/// so tests can assert what the SDK logs.
struct CapturingLogHandler: LogHandler {
    /// The lines logged so far, shared by every copy of the handler.
    final class Storage: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []

        func append(_ line: String) {
            lock.lock()
            lines.append(line)
            lock.unlock()
        }

        var all: [String] {
            lock.lock()
            defer { lock.unlock() }
            return lines
        }

        var text: String { all.joined(separator: "\n") }
    }

    let storage: Storage
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(storage: Storage) { self.storage = storage }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        for (key, value) in event.metadata ?? [:] { all[key] = value }
        let suffix = all.isEmpty ? "" : " " + all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        storage.append("\(event.level) \(event.message)\(suffix)\(event.error.map { " error=\($0)" } ?? "")")
    }

    /// A trace-level logger writing into a new storage.
    static func logger() -> (Logger, Storage) {
        let storage = Storage()
        var logger = Logger(label: "reliability-tests") { _ in CapturingLogHandler(storage: storage) }
        logger.logLevel = .trace
        return (logger, storage)
    }
}
