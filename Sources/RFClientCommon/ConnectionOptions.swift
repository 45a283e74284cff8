import ArgumentParser
import Foundation
import InferenceSDK
import Logging

/// Options every command shares: where the server is and how to talk to it.
package struct ConnectionOptions: ParsableArguments {
    /// Creates the options with their defaults (ArgumentParser fills them in).
    package init() {}

    @Option(name: .long, help: ArgumentHelp("Server URL (env ROBOFLOW_API_URL; hosted: \(InferenceClientConfiguration.hostedAPIURL)).", valueName: "url"))
    package var apiURL: String?

    @Option(name: .long, help: ArgumentHelp("API key (env ROBOFLOW_API_KEY). Never printed.", valueName: "key"))
    package var apiKey: String?

    @Option(name: .long, help: ArgumentHelp("Request timeout in seconds (default 120).", valueName: "seconds"))
    package var timeout: Double?

    @Option(name: .long, help: ArgumentHelp("Retries for connection errors and 429/502/503/504 (default 3; 4xx are never retried).", valueName: "n"))
    package var retries: Int?

    @Flag(name: .long, help: "Log requests to stderr (the API key is masked).")
    package var verbose = false

    @Option(name: .long, help: ArgumentHelp("CA certificates (PEM) to verify HTTPS servers with, instead of the system's (env SSL_CERT_FILE).", valueName: "file"))
    package var cacert: String?

    @Option(name: .long, help: ArgumentHelp("Client certificate (PEM) for mutual TLS; may hold the key too.", valueName: "file"))
    package var cert: String?

    @Option(name: .long, help: ArgumentHelp("Private key (PEM, unencrypted) of --cert.", valueName: "file"))
    package var key: String?

    @Flag(name: .long, help: "Accept any server certificate (unsafe: the API key can be read on the way). Prints a warning.")
    package var insecure = false

    @Option(name: .long, help: ArgumentHelp("Proxy for every request: http://[user:password@]host[:port] or socks5://host[:port]; '' for none (env HTTPS_PROXY, HTTP_PROXY, ALL_PROXY).", valueName: "url"))
    package var proxy: String?

    @Option(name: .long, help: ArgumentHelp("Hosts reached without the proxy, comma-separated; '*' for all (env NO_PROXY).", valueName: "list"))
    package var noproxy: String?

    package func validate() throws {
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let retries, retries < 0 { throw ValidationError("--retries must be 0 or more") }
        if key != nil && cert == nil { throw ValidationError("--key needs --cert (the client certificate it belongs to)") }
        if insecure {
            Terminal.error("warning: --insecure: server certificates are not verified; anyone on the way can read the API key and the images")
        }
    }

    /// The TLS settings: `--cacert`, `--cert`/`--key` and `--insecure` over `SSL_CERT_FILE` over the system's defaults.
    package var tls: TLSSettings {
        var settings = TLSSettings.fromEnvironment()
        if let cacert { settings.trustRoots = .file(cacert) }
        if let cert { settings.clientCertificate = .init(certificateFile: cert, keyFile: key) }
        if insecure { settings.verifiesServer = false }
        return settings
    }

    /// The proxy settings: `--proxy` (`''` for none) and `--noproxy` over the proxy variables.
    package var proxySettings: ProxySettings {
        var settings = ProxySettings.fromEnvironment()
        if let proxy { settings = proxy.isEmpty ? .none : .all(proxy, noProxy: settings.noProxy) }
        if let noproxy { settings.noProxy = noproxy.isEmpty ? nil : noproxy }
        return settings
    }

    /// `--api-url`, else `ROBOFLOW_API_URL`, else the local default (``InferenceClientConfiguration/fromEnvironment(_:)``).
    package var resolvedURL: String { apiURL ?? InferenceClientConfiguration.fromEnvironment().apiURL }

    /// Whether the server is on this machine (``InferenceClientConfiguration/serverIsLocal``, the SDK's one rule).
    package var isLocal: Bool { InferenceClientConfiguration(apiURL: resolvedURL).serverIsLocal }

    /// Requests in flight unless `--concurrency` says otherwise (``InferenceClientConfiguration/defaultRequestsInFlight``).
    package var defaultRequestsInFlight: Int { InferenceClientConfiguration(apiURL: resolvedURL).defaultRequestsInFlight }

    package func configuration() -> InferenceClientConfiguration {
        let key = apiKey ?? InferenceClientConfiguration.fromEnvironment().apiKey
        var configuration = InferenceClientConfiguration(apiURL: resolvedURL, apiKey: key)
        if resolvedURL.hasPrefix(InferenceClientConfiguration.hostedAPIURL) {
            configuration = .hosted(apiKey: key)
        }
        configuration.tls = tls
        configuration.proxy = proxySettings
        if let timeout { configuration.timeout.request = .milliseconds(Int64(timeout * 1000)) }
        if let retries { configuration.retry.maxAttempts = retries + 1 }
        if verbose {
            var logger = Logger(label: "rfclient") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = .debug
            configuration.logger = logger
        }
        return configuration
    }

    /// Creates a client, runs `body`, shuts the client down.
    package func withClient<T: Sendable>(
        _ adjust: (inout InferenceClientConfiguration) -> Void = { _ in },
        _ body: (InferenceHTTPClient) async throws -> T
    ) async throws -> T {
        var configuration = configuration()
        adjust(&configuration)
        return try await InferenceHTTPClient.withClient(configuration, body)
    }
}
