import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process spawned with `posix_spawn` and an empty signal mask (Foundation `Process` children on
/// Linux inherit a blocked mask, so SIGINT/SIGTERM sent to them are ignored). stdin comes from bytes (or
/// `/dev/null`); stdout and stderr go to files, so a chatty child never blocks on a full pipe.
public final class ChildProcess: Sendable {
    /// How a child ended.
    public struct Result: Sendable {
        /// The exit status, or `128 + signal` when a signal ended it.
        public var status: Int32
        /// Everything written to stdout.
        public var stdout: [UInt8]
        /// Everything written to stderr.
        public var stderr: [UInt8]
        /// The child outlived the wait bound and was killed (SIGKILL).
        public var timedOut: Bool
    }

    /// The child's process id.
    public let pid: pid_t
    private let scratch: String
    private let reaped = NIOLockedValueBox<Int32?>(nil)

    private init(pid: pid_t, scratch: String) {
        self.pid = pid
        self.scratch = scratch
    }

    /// Starts `executable` with `arguments`; `environment` is the child's whole environment.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], stdin: [UInt8]? = nil
    ) throws -> ChildProcess {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let inputPath = scratch + "/stdin"
        try Data(stdin ?? []).write(to: URL(fileURLWithPath: inputPath))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, scratch + "/stdout", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, scratch + "/stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        // Signals the test process ignores (SIGPIPE) or handles go back to their defaults in the child.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGPIPE, SIGHUP] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw ChildProcessError(message: "posix_spawn \(executable): \(String(cString: strerror(rc)))")
        }
        return ChildProcess(pid: pid, scratch: scratch)
    }

    /// Sends `signal` to the child unless it was already reaped; returns whether it was sent.
    @discardableResult
    public func send(_ signal: Int32) -> Bool {
        reaped.withLockedValue { status in
            status == nil && kill(pid, signal) == 0
        }
    }

    /// What the child has written to stdout so far (it may still be running).
    public var stdoutSoFar: [UInt8] { [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: scratch + "/stdout"))) ?? Data()) }

    /// What the child has written to stderr so far.
    public var stderrSoFar: [UInt8] { [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: scratch + "/stderr"))) ?? Data()) }

    /// Whether the child is still running: not reaped, and not a zombie waiting to be (read from `/proc`).
    public var isRunning: Bool {
        guard reaped.withLockedValue({ $0 }) == nil else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return kill(pid, 0) == 0 }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }

    /// Waits for the child to exit (on a thread of its own, not the concurrency pool), killing it with
    /// SIGKILL if it runs longer than `bound`; returns its status and output.
    public func wait(bound: Duration = .seconds(120)) async -> Result {
        let pid = self.pid
        let reaped = self.reaped
        let watchdog = Task {
            try await Task.sleep(for: bound)
            return self.send(SIGKILL)
        }
        let status: Int32 = await withCheckedContinuation { continuation in
            let thread = Thread {
                var raw: Int32 = 0
                while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS / WTERMSIG by hand (the macros are not imported).
                let signal = raw & 0x7F
                let code = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
                reaped.withLockedValue { $0 = code }
                continuation.resume(returning: code)
            }
            thread.start()
        }
        watchdog.cancel()
        let timedOut = (try? await watchdog.value) ?? false
        let out = (try? Data(contentsOf: URL(fileURLWithPath: scratch + "/stdout"))) ?? Data()
        let err = (try? Data(contentsOf: URL(fileURLWithPath: scratch + "/stderr"))) ?? Data()
        try? FileManager.default.removeItem(atPath: scratch)
        return Result(status: status, stdout: [UInt8](out), stderr: [UInt8](err), timedOut: timedOut)
    }

    /// Spawns, waits, returns the result.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], stdin: [UInt8]? = nil,
        bound: Duration = .seconds(120)
    ) async throws -> Result {
        try await spawn(executable, arguments, environment: environment, stdin: stdin).wait(bound: bound)
    }
}

/// Makes the child close every descriptor above stderr. NIO's sockets (accepted ones at least) are not
/// close-on-exec, so without this each child keeps a copy of every connection the test process has open at
/// spawn time: a server's close or reset then reaches nobody until the child exits, and clients in other
/// tests wait for their timeout. glibc ≥ 2.34 has `posix_spawn_file_actions_addclosefrom_np` (not imported
/// into Swift, hence `dlsym`); elsewhere the open descriptors are marked close-on-exec instead.
private func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
    #if os(Linux)
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
        let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
        if addCloseFrom(&actions, 3) == 0 { return }
    }
    #endif
    let folder = FileManager.default.fileExists(atPath: "/proc/self/fd") ? "/proc/self/fd" : "/dev/fd"
    for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
        guard let fd = Int32(name), fd > 2 else { continue }
        let flags = fcntl(fd, F_GETFD)
        if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
    }
}

/// A child could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// Creates an error.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
