import Foundation
import InferenceSDK
import TestSupport
import Testing

/// Requests through real forward proxies (Debian's tinyproxy) to the real server, plain and behind TLS: the proxy's
/// log shows the tunnels, `NO_PROXY` bypasses it, credentials work and never show, a dead proxy is a clear error.
@Suite(.enabled(if: networkSuitesRun, "needs the real server, nginx, tinyproxy and openssl"))
struct ProxyTests {
    @Test func httpsThroughTheProxyIsOneConnectTunnel() async throws {
        try await withNetwork { network in
            let target = NetworkFixture.hostPort(network.tlsURL)
            _ = try await runBlur(network.tlsURL) {
                $0.tls.trustRoots = .file(network.ca)
                $0.proxy = ProxySettings(httpsProxy: network.proxyURL)
            }.get()
            #expect(network.connects() == [target], "\(network.connects())")
            #expect(network.plainProxyRequests().isEmpty)
            // NO_PROXY covering the host: straight to it, the proxy sees nothing more.
            _ = try await runBlur(network.tlsURL) {
                $0.tls.trustRoots = .file(network.ca)
                $0.proxy = ProxySettings(httpsProxy: network.proxyURL, noProxy: "example.com, 127.0.0.0/8")
            }.get()
            #expect(network.connects() == [target])
            #expect(network.accessLog().filter { $0.contains("\" 200 ") }.count == 2)
        }
    }

    /// `http://` URLs take the `http://` proxy (tunnelled too), not the `https://` one.
    @Test func plainHTTPTakesItsOwnProxy() async throws {
        try await withNetwork { network in
            let server = try #require(RealServer.url)
            _ = try await runBlur(server) { $0.proxy = ProxySettings(httpsProxy: network.authProxyURL) }.get()
            #expect(network.connects(auth: true).isEmpty, "an http:// URL went through the https:// proxy")
            _ = try await runBlur(server) { $0.proxy = ProxySettings(httpProxy: network.proxyURL) }.get()
            #expect(network.connects() == [NetworkFixture.hostPort(server)], "\(network.connects())")
        }
    }

    /// Credentials from the proxy URL reach the proxy; wrong ones are refused, and the password never shows.
    @Test func proxyCredentials() async throws {
        try await withNetwork { network in
            _ = try await runBlur(network.tlsURL) {
                $0.tls.trustRoots = .file(network.ca)
                $0.proxy = .all(network.authProxyURL)
            }.get()
            #expect(network.connects(auth: true) == [NetworkFixture.hostPort(network.tlsURL)])
            let wrong = network.authProxyURL.replacingOccurrences(of: NetworkFixture.proxyPassword, with: "not-it")
            let error = try #require(try await runBlur(network.tlsURL) {
                $0.tls.trustRoots = .file(network.ca)
                $0.proxy = .all(wrong)
                $0.retry = .none
            }.failure())
            #expect(error.kind == .connectionFailed || error.kind == .invalidConfiguration, "\(error)")
            #expect(error.description.contains("proxyuser:***@"), "the proxy is named, its password masked: \(error)")
            #expect(!error.description.contains("not-it"))
            var configuration = InferenceClientConfiguration(apiURL: network.tlsURL)
            configuration.proxy = .all(network.authProxyURL)
            #expect(!"\(configuration)".contains(NetworkFixture.proxyPassword))
            #expect(!String(reflecting: configuration).contains(NetworkFixture.proxyPassword))
        }
    }

    @Test func deadProxyIsAConnectionErrorNamingIt() async throws {
        let port = try unusedLoopbackPort()
        let server = try #require(RealServer.url)
        let error = try #require(try await runBlur(server) {
            $0.proxy = .all("http://127.0.0.1:\(port)")
            $0.retry = .none
        }.failure())
        #expect(error.kind == .connectionFailed, "\(error)")
        #expect(error.description.contains("through the proxy http://127.0.0.1:\(port)"), "\(error)")
        #expect(error.description.contains("refused"), "\(error)")
    }

    /// Images the client downloads from URLs follow the same rules as API requests.
    @Test func urlImagesGoThroughTheProxy() async throws {
        try await withNetwork { network in
            let image = network.filesFolder + "/swatch.png"
            try FileManager.default.copyItem(atPath: Fixture.swatch, toPath: image)
            let server = try #require(RealServer.url)
            let client = try InferenceHTTPClient(configuration: RealServer.configuration(url: server) {
                // The API request goes directly (NO_PROXY), the download through the proxy.
                $0.proxy = ProxySettings(httpProxy: network.proxyURL, noProxy: NetworkFixture.hostPort(server))
            })
            let result: WorkflowRunResult
            do {
                result = try await client.runWorkflow(
                    specification: try Fixture.spec("blur.json"), images: ["image": .url(network.filesURL + "/swatch.png")])
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
            #expect(try result.outputs[0].image("blurred") != nil)
            #expect(network.connects() == [NetworkFixture.hostPort(network.filesURL)], "\(network.connects())")
        }
    }
}
