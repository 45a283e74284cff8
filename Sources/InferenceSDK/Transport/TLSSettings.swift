import Foundation
import NIOSSL

/// How the client verifies HTTPS servers and identifies itself to them: trust roots (the system's, a CA bundle
/// added to them or used alone), a client certificate for mutual TLS, and — only when asked — no verification.
///
/// Applies to the transport the client creates for itself (``AsyncHTTPClientTransport``); a transport passed to
/// ``InferenceHTTPClient/init(configuration:transport:)`` is configured by whoever made it.
///
/// ```swift
/// var configuration = InferenceClientConfiguration(apiURL: "https://inference.internal:8443")
/// configuration.tls.trustRoots = .file("/etc/pki/internal-ca.pem")             // the private CA alone
/// configuration.tls.clientCertificate = .init(certificateFile: "client.pem", keyFile: "client.key")  // mutual TLS
/// ```
///
/// The files are read when the client is created: a missing or unreadable one is an `.invalidConfiguration` error
/// naming it, before any request. A server whose certificate fails verification is a `.tlsFailure` error naming the
/// host and the reason, never retried; the TLS handshake ends before the first byte of a request (API key
/// included) is sent.
public struct TLSSettings: Sendable, Equatable {
    /// The certificate authorities a server's certificate must chain to.
    public enum TrustRoots: Sendable, Equatable {
        /// The system's trust store (`/etc/ssl/certs` on Linux, the keychain on macOS). The default.
        case system
        /// Only the CA certificates in this PEM file (curl's `--cacert`, OpenSSL's `SSL_CERT_FILE`).
        case file(String)
        /// The system's trust store and the CA certificates in this PEM file.
        case systemAndFile(String)
    }

    /// A client certificate (mutual TLS): a PEM certificate chain and its PEM private key (unencrypted).
    public struct ClientCertificate: Sendable, Equatable {
        /// A PEM file holding the client certificate, optionally followed by its intermediates (curl's `--cert`).
        public var certificateFile: String
        /// A PEM file holding the certificate's private key (curl's `--key`); the certificate file when `nil`.
        public var keyFile: String?

        /// A client certificate from PEM files; with no `keyFile` the key is read from `certificateFile`.
        public init(certificateFile: String, keyFile: String? = nil) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    /// The CAs a server's certificate must chain to. Default ``TrustRoots/system``.
    public var trustRoots: TrustRoots
    /// A certificate to present when the server asks for one (mutual TLS). Default none.
    public var clientCertificate: ClientCertificate?
    /// Whether servers' certificates are verified (chain and host name). Default `true`. `false` (curl's
    /// `--insecure`) accepts any certificate, so anyone on the path can read the API key: for a throwaway test
    /// server only.
    public var verifiesServer: Bool

    /// Settings with the documented defaults: the system's trust store, no client certificate, verification on.
    public init(trustRoots: TrustRoots = .system, clientCertificate: ClientCertificate? = nil, verifiesServer: Bool = true) {
        self.trustRoots = trustRoots
        self.clientCertificate = clientCertificate
        self.verifiesServer = verifiesServer
    }

    /// The environment variable that names a CA bundle to use instead of the system's, as OpenSSL and curl read it.
    public static let certificateFileVariable = "SSL_CERT_FILE"

    /// Settings from the environment: `SSL_CERT_FILE`, when set and not empty, is the only trust root (as OpenSSL
    /// and curl use it); otherwise the defaults.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> TLSSettings {
        var settings = TLSSettings()
        if let file = environment[certificateFileVariable], !file.isEmpty { settings.trustRoots = .file(file) }
        return settings
    }

    /// The NIOSSL client configuration, with every file read and checked now.
    func makeConfiguration() throws(InferenceError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch trustRoots {
        case .system:
            break
        case .file(let path):
            configuration.trustRoots = .certificates(try Self.certificates(path, what: "CA bundle"))
        case .systemAndFile(let path):
            configuration.additionalTrustRoots = [.certificates(try Self.certificates(path, what: "CA bundle"))]
        }
        if let client = clientCertificate {
            let chain = try Self.certificates(client.certificateFile, what: "client certificate")
            configuration.certificateChain = chain.map { .certificate($0) }
            let keyPath = client.keyFile ?? client.certificateFile
            let bytes = try Self.read(keyPath, what: "client key")
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: bytes, format: .pem))
            } catch {
                throw InferenceError(
                    .invalidConfiguration, "the client key file '\(keyPath)' holds no unencrypted PEM private key (\(error))",
                    input: keyPath, underlying: SendableDescription("\(error)"))
            }
        }
        if !verifiesServer { configuration.certificateVerification = .none }
        return configuration
    }

    private static func read(_ path: String, what: String) throws(InferenceError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw InferenceError(.invalidConfiguration, "the \(what) file '\(path)' \(reason)", input: path)
        }
        return [UInt8](data)
    }

    private static func certificates(_ path: String, what: String) throws(InferenceError) -> [NIOSSLCertificate] {
        let bytes = try read(path, what: what)
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(bytes)
        } catch {
            throw InferenceError(
                .invalidConfiguration, "the \(what) file '\(path)' is not PEM (\(error))",
                input: path, underlying: SendableDescription("\(error)"))
        }
        guard !certificates.isEmpty else {
            throw InferenceError(.invalidConfiguration, "the \(what) file '\(path)' holds no PEM certificate", input: path)
        }
        return certificates
    }
}
