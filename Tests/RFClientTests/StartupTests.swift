import Foundation
import TestSupport
import Testing

/// Process start-up is most of a one-shot `rfclient run` (BENCHMARKS.md, P1): FoundationNetworking alone brings
/// libcurl and ~40 shared libraries (~6 ms per start). It lives in the separate `InferenceSDKURLSession` module,
/// so the CLI must not link it.
@Suite(.enabled(if: Requirement.runs(FileManager.default.isExecutableFile(atPath: "/usr/bin/ldd") && CLI.executable != nil),
                "needs ldd and a built rfclient"))
struct StartupTests {
    @Test func rfclientDoesNotLinkFoundationNetworkingOrLibcurl() async throws {
        Requirement.expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/ldd"), "/usr/bin/ldd (Debian's libc-bin)")
        let executable = try #require(CLI.executable, "missing requirement: the built rfclient (swift build --build-tests)")
        let child = try ChildProcess.spawn("/usr/bin/ldd", [executable], environment: [:], stdin: nil)
        let result = await child.wait(bound: .seconds(30))
        let libraries = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.status == 0, "ldd: \(String(decoding: result.stderr, as: UTF8.self))")
        #expect(libraries.contains("libc.so"), "ldd printed: \(libraries)")
        #expect(!libraries.contains("FoundationNetworking"), "\(libraries)")
        #expect(!libraries.contains("libcurl"), "\(libraries)")
    }
}
