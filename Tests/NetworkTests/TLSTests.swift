import Foundation
import InferenceSDK
import TestSupport
import Testing

/// HTTPS against the real server behind nginx, with certificates made by the test (scripts/network-fixtures.sh):
/// a private CA, a host-name mismatch, mutual TLS, and the files the settings name.
@Suite(.enabled(if: networkSuitesRun, "needs the real server, nginx, tinyproxy and openssl"))
struct TLSTests {
    @Test func privateCABundleVerifiesTheServer() async throws {
        try await withNetwork { network in
            let result = try await runBlur(network.tlsURL) { $0.tls.trustRoots = .file(network.ca) }.get()
            let image = try #require(try result.outputs[0].image("blurred"))
            #expect((image.width ?? 0) > 0)
            // Added to the system's roots, the CA works too.
            _ = try await runBlur(network.tlsURL) { $0.tls.trustRoots = .systemAndFile(network.ca) }.get()
            let posts = network.accessLog().filter { $0.contains("POST /workflows/run") && $0.contains("\" 200 ") }
            #expect(posts.count == 2, "\(network.accessLog())")
        }
    }

    /// The system's roots do not know the private CA; a wrong CA neither: `.tlsFailure`, one attempt, the host and
    /// the reason named, and nginx read no request (the key never left the client).
    @Test(arguments: ["system", "wrong CA"])
    func unverifiedServerIsATLSFailureBeforeAnyRequest(_ roots: String) async throws {
        try await withNetwork { network in
            let key = "tls-secret-key-5c1e"
            let outcome = try await runBlur(network.tlsURL, apiKey: key) {
                if roots == "wrong CA" { $0.tls.trustRoots = .file(network.wrongCA) }
            }
            let error = try #require(outcome.failure())
            #expect(error.kind == .tlsFailure, "\(error)")
            #expect(error.attempts <= 1, "never retried: \(error)")
            #expect(error.description.contains(NetworkFixture.hostPort(network.tlsURL)), "\(error)")
            #expect(error.description.contains("CERTIFICATE_VERIFY_FAILED"), "\(error)")
            #expect(!error.description.contains(key))
            #expect(!error.description.contains("\n"))
            #expect(network.accessLog().isEmpty, "nginx read a request: \(network.accessLog())")
        }
    }

    @Test func certificateForAnotherHostIsATLSFailure() async throws {
        try await withNetwork { network in
            let error = try #require(try await runBlur(network.otherHostURL) { $0.tls.trustRoots = .file(network.ca) }.failure())
            #expect(error.kind == .tlsFailure, "\(error)")
            #expect(error.description.contains("not valid for the host name 127.0.0.1"), "\(error)")
            #expect(network.accessLog().isEmpty)
        }
    }

    @Test func httpsToAPlainServerSaysSo() async throws {
        try await withNetwork { network in
            let plain = network.filesURL.replacingOccurrences(of: "http://", with: "https://")
            let error = try #require(try await runBlur(plain).failure())
            #expect(error.kind == .tlsFailure, "\(error)")
            #expect(error.description.contains("did not answer in TLS"), "\(error)")
        }
    }

    @Test func mutualTLSWithAndWithoutTheClientCertificate() async throws {
        try await withNetwork { network in
            // Certificate and key in two files, then in one.
            _ = try await runBlur(network.mutualTLSURL) {
                $0.tls.trustRoots = .file(network.ca)
                $0.tls.clientCertificate = .init(certificateFile: network.clientCertificate, keyFile: network.clientKey)
            }.get()
            _ = try await runBlur(network.mutualTLSURL) {
                $0.tls.trustRoots = .file(network.ca)
                $0.tls.clientCertificate = .init(certificateFile: network.clientCombined)
            }.get()
            let identified = network.accessLog().filter { $0.contains("client=\"CN=inference-sdk test client\"") && $0.contains("\" 200 ") }
            #expect(identified.count == 2, "\(network.accessLog())")
            // Without it nginx refuses the request, and says why.
            let error = try #require(try await runBlur(network.mutualTLSURL) { $0.tls.trustRoots = .file(network.ca) }.failure())
            #expect(error.kind == .clientError && error.status == 400, "\(error)")
            #expect(error.description.contains("No required SSL certificate was sent"), "\(error)")
            #expect(error.attempts == 1, "a 400 is not retried: \(error)")
        }
    }

    @Test func insecureAcceptsTheUnknownCA() async throws {
        try await withNetwork { network in
            _ = try await runBlur(network.tlsURL) { $0.tls.verifiesServer = false }.get()
        }
    }

    /// Files that cannot be used are `.invalidConfiguration` errors naming them, when the client is made.
    @Test func unusableFilesFailWhenTheClientIsMade() throws {
        let folder = try TemporaryDirectory("tls-files")
        defer { folder.remove() }
        let notPEM = try folder.write("not.pem", Array("hello".utf8))
        let cases: [(TLSSettings, String)] = [
            (TLSSettings(trustRoots: .file(folder.file("missing.pem"))), "missing.pem' does not exist"),
            (TLSSettings(trustRoots: .systemAndFile(notPEM)), "not.pem' is not PEM"),
            (TLSSettings(clientCertificate: .init(certificateFile: folder.file("nope.pem"))), "client certificate file"),
        ]
        for (settings, expected) in cases {
            var configuration = InferenceClientConfiguration(apiURL: "https://127.0.0.1:9")
            configuration.tls = settings
            #expect {
                _ = try InferenceHTTPClient(configuration: configuration)
            } throws: { error in
                guard let error = error as? InferenceError else { return false }
                return error.kind == .invalidConfiguration && error.description.contains(expected)
            }
        }
    }

    /// `SSL_CERT_FILE` names the trust roots, as OpenSSL and curl read it.
    @Test func sslCertFileFromTheEnvironment() {
        #expect(TLSSettings.fromEnvironment(["SSL_CERT_FILE": "/etc/ca.pem"]).trustRoots == .file("/etc/ca.pem"))
        #expect(TLSSettings.fromEnvironment(["SSL_CERT_FILE": ""]).trustRoots == .system)
        #expect(InferenceClientConfiguration.fromEnvironment(["SSL_CERT_FILE": "/x.pem"]).tls.trustRoots == .file("/x.pem"))
        #expect(InferenceClientConfiguration(apiURL: "https://h").tls == TLSSettings())
    }
}
