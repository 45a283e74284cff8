import Foundation
import NIOConcurrencyHelpers
import InferenceSDK
import TestSupport
import Testing

/// `rfclient process`'s final line says how many 429s the run met; `--fixed-concurrency` turns adaptation off.
@Suite struct RateLimitCLITests {
    /// A server that answers its first `rejections` requests 429 (`Retry-After: 0`), then runs every request.
    static func server(rejecting rejections: Int) async throws -> TestHTTPServer {
        let seen = NIOLockedValueBox(0)
        return try await TestHTTPServer.start { _ in
            let index = seen.withLockedValue { count -> Int in
                count += 1
                return count
            }
            return index <= rejections ? .respond(status: 429, headers: [("Retry-After", "0")], body: []) : TokenBucketServer.success
        }
    }

    @Test(arguments: [[], ["--fixed-concurrency"]])
    func theFinalLineCountsThe429s(extra: [String]) async throws {
        let server = try await Self.server(rejecting: 3)
        let work = try TemporaryDirectory("cli-429")
        defer { work.remove() }
        try Images.folder(TemporaryDirectory.sub(work, "in"), count: 5)
        let arguments = [
            "process", work.file("in"), "-o", work.file("out"), "--spec", Fixture.path("blur.json"), "--api-url", server.baseURL,
            "--concurrency", "2", "--retries", "5",
        ] + extra
        let run = try await CLI.run(arguments)
        #expect(run.status == 0, "\(run)")
        #expect(run.stderrText.contains("done 5, skipped 0, failed 0 of 5 images in "), "\(run)")
        #expect(run.stderrText.contains("; 3 × 429 (rate limited)"), "\(run)")
        #expect(server.requests.count == 8)
        await server.shutdown()
    }

    @Test func withNo429TheLineSaysNothingOfThem() async throws {
        let server = try await Self.server(rejecting: 0)
        let work = try TemporaryDirectory("cli-no-429")
        defer { work.remove() }
        try Images.folder(TemporaryDirectory.sub(work, "in"), count: 2)
        let run = try await CLI.run([
            "process", work.file("in"), "-o", work.file("out"), "--spec", Fixture.path("blur.json"), "--api-url", server.baseURL,
        ])
        #expect(run.status == 0, "\(run)")
        #expect(run.stderrText.contains("done 2, skipped 0, failed 0 of 2 images in "), "\(run)")
        #expect(!run.stderrText.contains("429"), "\(run)")
        await server.shutdown()
    }
}
