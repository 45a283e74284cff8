import Foundation
import InferenceSDK
import TestSupport
import Testing

/// `rfclient` and `rfclient-video` on the same real networks: curl's option names, the proxy variables, exit 7.
@Suite(.enabled(if: networkSuitesRun, "needs the real server, nginx, tinyproxy and openssl"))
struct NetworkCLITests {
    static let blur = ["--spec", Fixture.path("blur.json"), "--param", "kernel_size=5"]

    /// The first "done when": HTTPS_PROXY + `--cacert` through tinyproxy, one CONNECT; NO_PROXY, none.
    @Test func runThroughTheProxyWithTheCABundle() async throws {
        try await withNetwork { network in
            let target = NetworkFixture.hostPort(network.tlsURL)
            let arguments = ["run", "--api-url", network.tlsURL, "--cacert", network.ca, "--image", "image=" + Fixture.swatch] + Self.blur
            let run = try await CLI.run(arguments, environment: ["HTTPS_PROXY": network.proxyURL], server: nil)
            #expect(run.status == 0, "\(run)")
            #expect(run.stdoutText.contains("\"blurred\""), "\(run)")
            #expect(network.connects() == [target], "\(network.connects())")
            let direct = try await CLI.run(arguments, environment: ["HTTPS_PROXY": network.proxyURL, "NO_PROXY": "127.0.0.1"], server: nil)
            #expect(direct.status == 0, "\(direct)")
            #expect(network.connects() == [target], "NO_PROXY bypasses the proxy: \(network.connects())")
            // --proxy '' turns the variables off; --proxy names one; --noproxy overrides NO_PROXY.
            let off = try await CLI.run(arguments + ["--proxy", ""], environment: ["HTTPS_PROXY": network.proxyURL], server: nil)
            #expect(off.status == 0 && network.connects().count == 1, "\(off)")
            let named = try await CLI.run(arguments + ["--proxy", network.proxyURL], server: nil)
            #expect(named.status == 0 && network.connects().count == 2, "\(named)")
            let noproxy = try await CLI.run(arguments + ["--proxy", network.proxyURL, "--noproxy", "*"], server: nil)
            #expect(noproxy.status == 0 && network.connects().count == 2, "\(noproxy)")
        }
    }

    /// The second "done when": a wrong CA is exit 7 and one line naming the certificate problem; nginx read
    /// no request, so no body (and no key) left the client.
    @Test func wrongCAIsExitSevenAndOneLine() async throws {
        try await withNetwork { network in
            let key = "cli-tls-key-93ab"
            let run = try await CLI.run(
                ["run", "--api-url", network.tlsURL, "--cacert", network.wrongCA, "--image", "image=" + Fixture.swatch] + Self.blur,
                environment: ["ROBOFLOW_API_KEY": key], server: nil)
            #expect(run.status == 7, "\(run)")
            let lines = run.stderrText.split(separator: "\n")
            #expect(lines.count == 1, "\(run)")
            #expect(run.stderrText.contains(NetworkFixture.hostPort(network.tlsURL)) && run.stderrText.contains("CERTIFICATE_VERIFY_FAILED"), "\(run)")
            #expect(!run.stderrText.contains(key) && !run.stdoutText.contains(key))
            #expect(network.accessLog().isEmpty, "\(network.accessLog())")
            #expect(network.errorLog().contains("SSL"), "nginx saw the handshake fail")
        }
    }

    @Test func mutualTLSAndInsecureFromTheShell() async throws {
        try await withNetwork { network in
            let image = ["--image", "image=" + Fixture.swatch]
            let mutual = try await CLI.run(
                ["run", "--api-url", network.mutualTLSURL, "--cacert", network.ca, "--cert", network.clientCertificate, "--key", network.clientKey]
                    + image + Self.blur, server: nil)
            #expect(mutual.status == 0, "\(mutual)")
            let without = try await CLI.run(["run", "--api-url", network.mutualTLSURL, "--cacert", network.ca] + image + Self.blur, server: nil)
            #expect(without.status == 3 && without.stderrText.contains("No required SSL certificate was sent"), "\(without)")
            let insecure = try await CLI.run(["run", "--api-url", network.tlsURL, "--insecure"] + image + Self.blur, server: nil)
            #expect(insecure.status == 0, "\(insecure)")
            #expect(insecure.stderrText.contains("warning: --insecure"), "\(insecure)")
            let keyAlone = try await CLI.run(["run", "--api-url", network.tlsURL, "--key", network.clientKey] + image + Self.blur, server: nil)
            #expect(keyAlone.status == 2 && keyAlone.stderrText.contains("--key needs --cert"), "\(keyAlone)")
        }
    }

    /// A folder job through the proxy with credentials: every image done, the password in no output, `--verbose`
    /// included.
    @Test func processThroughAProxyWithCredentials() async throws {
        try await withNetwork { network in
            let work = try TemporaryDirectory("proxy-process")
            defer { work.remove() }
            let input = work.file("in")
            try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
            for index in 0..<3 { try FileManager.default.copyItem(atPath: Fixture.swatch, toPath: input + "/img-\(index).png") }
            let run = try await CLI.run(
                ["process", input, "-o", work.file("out"), "--api-url", network.tlsURL, "--cacert", network.ca, "--verbose"] + Self.blur,
                environment: ["HTTPS_PROXY": network.authProxyURL], server: nil)
            #expect(run.status == 0, "\(run)")
            #expect(run.stderrText.contains("done 3, skipped 0, failed 0 of 3 images"), "\(run)")
            #expect(!network.connects(auth: true).isEmpty)
            #expect(!run.stderrText.contains(NetworkFixture.proxyPassword) && !run.stdoutText.contains(NetworkFixture.proxyPassword))
        }
    }

    /// `rfclient process-video` (rfclient-video) honours the same variables: every frame through the proxy.
    @Test func processVideoThroughTheProxy() async throws {
        let ffmpeg = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard Requirement.expect(ffmpeg != nil, "ffmpeg (scripts/bootstrap.sh installs it)"), let ffmpeg else { return }
        try await withNetwork { network in
            let work = try TemporaryDirectory("proxy-video")
            defer { work.remove() }
            let clip = work.file("clip.mp4")
            let made = try await ChildProcess.run(
                ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=10", "-frames:v", "6", "-c:v", "mpeg4", clip],
                environment: ProcessInfo.processInfo.environment, bound: .seconds(60))
            try #require(made.status == 0, "\(String(decoding: made.stderr, as: UTF8.self))")
            let run = try await CLI.run(
                ["process-video", clip, "-o", work.file("out"), "--api-url", network.tlsURL, "--cacert", network.ca] + Self.blur,
                environment: ["HTTPS_PROXY": network.proxyURL], server: nil)
            #expect(run.status == 0, "\(run)")
            #expect(network.connects().contains(NetworkFixture.hostPort(network.tlsURL)), "\(network.connects())")
            let posts = network.accessLog().filter { $0.contains("POST /workflows/run") && $0.contains("\" 200 ") }
            #expect(posts.count == 6, "every frame ran once: \(posts.count)")
        }
    }

    /// `rfclient infer` follows the same variables (to the model fixtures' server, plain HTTP through the proxy).
    @Test func inferThroughTheProxy() async throws {
        let models = try #require(
            ProcessInfo.processInfo.environment["INFERENCE_MODELS_SERVER_URL"].flatMap { $0.isEmpty ? nil : $0 },
            "missing requirement: the model fixtures' server (INFERENCE_MODELS_SERVER_URL; scripts/test.sh starts it)")
        try await withNetwork { network in
            let run = try await CLI.run(
                ["infer", "--model", "sdk-cls/1", "--task", "classification", "--image", Fixture.path("scene-1.jpg"), "--api-url", models],
                environment: ["HTTP_PROXY": network.proxyURL], server: nil)
            #expect(run.status == 0, "\(run)")
            #expect(network.connects() == [NetworkFixture.hostPort(models)], "\(network.connects())")
        }
    }
}
