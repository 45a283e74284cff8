import InferenceSDK
import Testing

/// Which requests take which proxy: the variables as curl reads them, `NO_PROXY`'s forms, masking.
struct ProxySettingsTests {
    @Test func environmentAsCurlReadsIt() {
        let both = ProxySettings.fromEnvironment(["https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2", "HTTP_PROXY": "http://plain:3"])
        #expect(both.httpsProxy == "http://lower:1")  // lowercase first
        #expect(both.httpProxy == "http://plain:3")
        let all = ProxySettings.fromEnvironment(["ALL_PROXY": "socks5://s:1080", "http_proxy": "http://h:8080", "NO_PROXY": "internal"])
        #expect(all.httpsProxy == "socks5://s:1080" && all.httpProxy == "http://h:8080" && all.noProxy == "internal")
        #expect(ProxySettings.fromEnvironment(["HTTPS_PROXY": " "]).isEmpty)
        #expect(ProxySettings.fromEnvironment([:]) == .none)
        let configuration = InferenceClientConfiguration.fromEnvironment(["HTTPS_PROXY": "http://p:3128"])
        #expect(configuration.proxy.httpsProxy == "http://p:3128")
        #expect(InferenceClientConfiguration(apiURL: "https://h").proxy == .none, "the plain initialiser reads no environment")
    }

    @Test(arguments: [
        ("https://api.example.com/x", "example.com", true),
        ("https://example.com/x", ".example.com", true),
        ("https://notexample.com/x", "example.com", false),
        ("http://10.1.2.3:9001/x", "10.0.0.0/8", true),
        ("http://11.1.2.3:9001/x", "10.0.0.0/8", false),
        ("http://127.0.0.1:9001/x", "127.0.0.1", true),
        ("http://127.0.0.1:9001/x", "127.0.0.1:9002", false),
        ("http://127.0.0.1:9001/x", "127.0.0.1:9001", true),
        ("http://[::1]:9001/x", "::1", true),
        ("https://anything.test/x", "*", true),
        ("https://HOST.Example.COM/x", "example.com", true),
        ("https://serverless.roboflow.com/x", "", false),
    ])
    func noProxy(_ url: String, _ list: String, _ bypassed: Bool) {
        let settings = ProxySettings.all("http://proxy:3128", noProxy: list)
        #expect((settings.proxy(for: url) == nil) == bypassed, "\(url) with NO_PROXY=\(list)")
    }

    @Test func schemesTakeTheirProxy() {
        let settings = ProxySettings(httpProxy: "http://h:1", httpsProxy: "http://s:2")
        #expect(settings.proxy(for: "http://a/x") == "http://h:1")
        #expect(settings.proxy(for: "https://a/x") == "http://s:2")
        #expect(ProxySettings(httpsProxy: "http://s:2").proxy(for: "http://a/x") == nil)
    }

    @Test func passwordsAreMasked() {
        #expect(ProxySettings.masked("http://me:pa%40ss@proxy:3128") == "http://me:***@proxy:3128")
        #expect(ProxySettings.masked("http://proxy:3128") == "http://proxy:3128")
        #expect(!"\(ProxySettings.all("http://me:hunter2@proxy:3128"))".contains("hunter2"))
    }

    @Test func unusableProxyURLsFailWhenTheClientIsMade() {
        for (proxy, expected) in [("ftp://p:21", "scheme 'ftp'"), ("http://", "is not a URL"), ("socks5://u:p@s:1080", "SOCKS5 with a user name")] {
            var configuration = InferenceClientConfiguration(apiURL: "https://127.0.0.1:9")
            configuration.proxy = .all(proxy)
            #expect {
                _ = try InferenceHTTPClient(configuration: configuration)
            } throws: { error in
                guard let error = error as? InferenceError else { return false }
                return error.kind == .invalidConfiguration && error.description.contains(expected)
            }
        }
    }
}
