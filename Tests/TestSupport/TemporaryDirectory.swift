import Foundation
import InferenceSDK

/// A fresh folder under the system temporary directory for one test, removed by ``remove()``. The one
/// temporary-folder helper of every test target.
public struct TemporaryDirectory: Sendable {
    /// The folder's absolute path.
    public let path: String

    /// Creates `<tmp>/<prefix>-<random>`.
    public init(_ prefix: String = "inference-sdk-tests") throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    /// An existing folder (e.g. a sub-folder of another one), removed by ``remove()`` like one made here.
    public init(existing path: String) { self.path = path }

    /// `path/relative`.
    public func file(_ relative: String) -> String { path + "/" + relative }

    /// Writes `bytes` at `relative`, creating folders; returns the full path.
    @discardableResult
    public func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = file(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    /// Writes a JSON value at `relative`; returns the full path.
    @discardableResult
    public func write(_ relative: String, json: JSONValue) throws -> String {
        try write(relative, json.serialized())
    }

    /// The bytes at `relative`.
    public func read(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: file(relative))))
    }

    /// Whether something exists at `relative`.
    public func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: file(relative)) }

    /// Removes the folder and everything in it.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
