import Testing
@testable import InferenceSDK

/// Which servers count as "on this machine": ``InferenceClientConfiguration/serverIsLocal``, the one rule behind
/// ``CatalogueCompression/automatic`` and the 4 local / 8 remote requests in flight.
@Suite struct CatalogueCompressionRuleTests {
    @Test(arguments: [
        ("http://127.0.0.1:9001", true), ("http://127.8.9.10", true), ("http://localhost:9001", true),
        ("http://LOCALHOST", true), ("http://api.localhost:8080", true), ("http://[::1]:9001", true), ("http://0.0.0.0:9001", true),
        ("http://10.0.0.5:9001", false), ("https://serverless.roboflow.com", false), ("http://127.0.0.1.example.com", false),
        ("http://128.0.0.1", false), ("http://localhost.example.com", false), ("not a url", false),
    ])
    func loopbackHosts(url: String, loopback: Bool) {
        let configuration = InferenceClientConfiguration(apiURL: url)
        #expect(configuration.serverIsLocal == loopback, "\(url)")
        #expect(configuration.defaultRequestsInFlight == (loopback ? 4 : 8), "\(url)")
        #expect(CatalogueCompression.automatic.wantsGzip(baseURL: url) == !loopback)
        #expect(CatalogueCompression.always.wantsGzip(baseURL: url))
        #expect(!CatalogueCompression.never.wantsGzip(baseURL: url))
    }
}
