import Foundation
import ImageCodecs
import InferenceSDK
import TestSupport
import Testing

/// Two real servers behind nginx (Debian `nginx-light`, one upstream with both): `rfclient process` through
/// nginx, one server SIGKILLed mid-run. nginx does not pass a POST already sent to the dead server on to the
/// other one (it answers 502), but it does for connections refused; the client retries the 502s. The run must
/// end with exit 0 and every image done exactly once.
@Suite(.serialized, .enabled(if: RealServer.available, "needs the real server's venv (INFERENCE_SERVER_URL set)"))
struct FleetTests {
    static let imageCount = 400

    static let nginx: String? = ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// nginx in the foreground (our child), proxying `127.0.0.1:port` to `upstreams`.
    struct Balancer {
        let process: ChildProcess
        let port: Int
        let folder: String
        var url: String { "http://127.0.0.1:\(port)" }
        var accessLog: String { folder + "/access.log" }

        static func start(_ nginx: String, upstreams: [Int], in folder: String) async throws -> Balancer {
            let port = ResettingServer.closedPort()
            let servers = upstreams.map { "    server 127.0.0.1:\($0) max_fails=1 fail_timeout=30s;" }.joined(separator: "\n")
            let configuration = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid \(folder)/nginx.pid;
                error_log \(folder)/error.log warn;
                events { worker_connections 512; }
                http {
                  access_log \(folder)/access.log;
                  client_body_temp_path \(folder)/body;
                  proxy_temp_path \(folder)/proxy;
                  fastcgi_temp_path \(folder)/fastcgi;
                  uwsgi_temp_path \(folder)/uwsgi;
                  scgi_temp_path \(folder)/scgi;
                  client_max_body_size 64m;
                  upstream inference {
                \(servers)
                    keepalive 16;
                  }
                  server {
                    listen 127.0.0.1:\(port);
                    location / {
                      proxy_pass http://inference;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_read_timeout 120s;
                    }
                  }
                }
                """
            let path = folder + "/nginx.conf"
            try Data(configuration.utf8).write(to: URL(fileURLWithPath: path))
            let process = try ChildProcess.spawn(nginx, ["-p", folder, "-c", path], environment: ProcessInfo.processInfo.environment)
            let balancer = Balancer(process: process, port: port, folder: folder)
            // Ready when it answers (the servers' GET /info through it).
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(20)
            while clock.now < deadline {
                if let info = try? await ChildProcess.run("/usr/bin/curl", ["-sf", "-o", "/dev/null", balancer.url + "/info"],
                                                          environment: ProcessInfo.processInfo.environment, bound: .seconds(5)),
                   info.status == 0 { return balancer }
                try await Task.sleep(for: .milliseconds(100))
            }
            process.send(SIGKILL)
            _ = await process.wait(bound: .seconds(5))
            let log = (try? String(contentsOfFile: folder + "/error.log", encoding: .utf8)) ?? ""
            throw ChildProcessError(message: "nginx did not come up on \(balancer.url): \(log.suffix(1000))")
        }

        func stop() async {
            process.send(SIGTERM)
            _ = await process.wait(bound: .seconds(10))
        }
    }

    @Test(.timeLimit(.minutes(15)))
    func oneOfTwoServersKilledMidRunLosesNothing() async throws {
        let nginx = try #require(Self.nginx, "nginx is missing: scripts/bootstrap.sh installs nginx-light")
        let work = try TemporaryDirectory("fleet")
        defer { work.remove() }
        let input = try TemporaryDirectory.sub(work, "in")
        let names = try Images.rowVariants(seed: 3, width: 160, height: 120, count: Self.imageCount, in: input) {
            String(format: "img-%03d.png", $0)
        }
        let first = OwnServer(state: try TemporaryDirectory.sub(work, "server-1").path)
        let second = OwnServer(state: try TemporaryDirectory.sub(work, "server-2").path)
        var balancer: Balancer?
        do {
            // One after the other: two cold starts at once on two cores take longer than twice one.
            try await first.start()
            try await second.start()
            balancer = try await Balancer.start(nginx, upstreams: [first.port, second.port], in: try TemporaryDirectory.sub(work, "nginx").path)
            let url = try #require(balancer?.url)
            let output = work.file("out")
            let arguments = ["process", input.path, "-o", output, "--spec", Fixture.path("blur.json"), "--api-url", url,
                             "--param", "blur_type=bilateral", "--param", "kernel_size=9", "--concurrency", "4", "--aggregate", "jsonl"]
            let child = try CLI.spawn(arguments)
            let progress = ProcessOutput(directory: output)
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(300)
            while progress.donePaths.count < 56 && clock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            let pidText = try String(contentsOfFile: first.state + "/pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let pid = try #require(pid_t(pidText), "server 1 recorded no pid")
            #expect(kill(pid, SIGKILL) == 0)
            let doneAtKill = progress.donePaths.count
            let result = await child.wait(bound: .seconds(600))
            let run = CLIRun(arguments: arguments, status: result.status, stdout: result.stdout, stderr: result.stderr)
            #expect(result.status == 0, "\(run)")
            #expect(doneAtKill >= 56 && doneAtKill < Self.imageCount, "killed at \(doneAtKill) of \(Self.imageCount)")
            let done = progress.donePaths
            #expect(done.count == Self.imageCount, "every image done exactly once: \(done.count) lines")
            #expect(done.sorted() == names)
            #expect(progress.failures.isEmpty)
            #expect(run.stderrText.contains("done \(Self.imageCount), skipped 0, failed 0 of \(Self.imageCount) images"), "\(run)")
            // Both servers served the run; what the kill cost shows in nginx's log (502s the client retried).
            let log = (try? String(contentsOfFile: balancer?.accessLog ?? "", encoding: .utf8)) ?? ""
            let posts = log.split(separator: "\n").filter { $0.contains("\"POST /workflows/run") }
            let badGateway = posts.filter { $0.contains("\" 502 ") }.count
            print("FleetTests: server 1 killed at \(doneAtKill) of \(Self.imageCount) images done; nginx answered \(badGateway) × 502, the client retried them")
            #expect(posts.count == Self.imageCount + badGateway, "each 502 was sent again, nothing else: \(posts.count) POSTs, \(badGateway) × 502")
        } catch {
            await balancer?.stop()
            await first.stop()
            await second.stop()
            throw error
        }
        await balancer?.stop()
        await first.stop()
        await second.stop()
    }
}
