import Foundation
import Testing

/// What a suite needs besides the real server (ffmpeg, the Python SDK through `INFERENCE_PYTHON`, the stream
/// server, root), handled the way ``RealServer/available`` handles the server: without `INFERENCE_REQUIRE_SERVER=1`
/// a missing one skips the tests that need it (reported as skipped); with it (scripts/test.sh, CI) those tests run
/// and fail, with a line naming what is missing, so that a green run never hides a suite that did not run.
public enum Requirement {
    /// A `.enabled(if:)` condition: whether tests needing something that is `present` (or not) run. True when it is
    /// present, and under `INFERENCE_REQUIRE_SERVER=1` also when it is not (they then fail: see ``expect(_:_:sourceLocation:)``).
    public static func runs(_ present: Bool) -> Bool { present || RealServer.required }

    /// Records a failure naming `what` when it is missing: "missing requirement: ffmpeg (…)". Call it first in a test
    /// that ``runs(_:)`` enabled; returns whether it is present, for an early `return` that is no longer silent.
    @discardableResult
    public static func expect(_ present: Bool, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        #expect(present, "missing requirement: \(what)", sourceLocation: sourceLocation)
        return present
    }

    /// Whether this process runs as root (tmpfs mounts for the full-disk tests need it).
    public static var isRoot: Bool { getuid() == 0 }
}

/// A file this process cannot open for reading, for the "permission denied" tests, as any user: they used to be
/// skipped under root (CI), which reads any file whatever its mode (CAP_DAC_OVERRIDE).
public enum UnreadableFile {
    /// A write-only sysctl (mode 0200): its permission check applies to root too (reading it is EACCES for root).
    public static let forRoot = "/proc/sys/vm/drop_caches"

    /// `path` made mode 000 for a normal user; ``forRoot`` for root. Fails the test when the file returned can in
    /// fact be opened for reading, or fails to open for another reason than permission.
    public static func make(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let unreadable: String
        if Requirement.isRoot {
            unreadable = forRoot
        } else {
            chmod(path, 0)
            unreadable = path
        }
        let fd = open(unreadable, O_RDONLY)
        let code = errno
        if fd >= 0 { close(fd) }
        try #require(fd < 0 && code == EACCES, "\(unreadable) is not unreadable here (open: \(fd), errno \(code))", sourceLocation: sourceLocation)
        return unreadable
    }
}
