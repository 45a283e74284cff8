import ArgumentParser
import Foundation
import RFClientCommon

/// `rfclient process-video`: runs `rfclient-video` from rfclient's own folder with the same arguments.
///
/// Video decoding links FFmpeg (135 shared libraries, ~30 ms of start-up); keeping it in its own executable
/// keeps `rfclient --version` and one-shot `rfclient run` as fast as before.
struct ProcessVideoLauncher: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process-video",
        abstract: "Decode a video here (file, stream, camera) and run every frame through a workflow; resumable.",
        discussion: "See 'rfclient process-video --help' for the options (this command runs rfclient-video)."
    )

    @Argument(parsing: .captureForPassthrough, help: "Arguments of rfclient-video.")
    var arguments: [String] = []

    func run() throws {
        Self.exec(arguments)
    }

    /// Replaces this process with `rfclient-video arguments…`; prints a one-line error and exits 2 if it cannot.
    static func exec(_ arguments: [String]) -> Never {
        let path = executableDirectory() + "/rfclient-video"
        let argv = (["rfclient process-video"] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        let cause = String(cString: strerror(errno))
        Terminal.error("process-video needs rfclient-video beside rfclient (\(path)): \(cause)")
        Foundation.exit(ExitCode.badInput)
    }

    private static func executableDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 {
            let path = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return (path as NSString).deletingLastPathComponent
        }
        let first = CommandLine.arguments.first ?? "rfclient"
        return ((first as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
    }
}
