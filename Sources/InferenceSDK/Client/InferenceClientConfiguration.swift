import Foundation
import Logging

/// Everything an ``InferenceHTTPClient`` needs to know, with defaults suited to a local server.
public struct InferenceClientConfiguration: Sendable {
    /// The server's base URL. Default `http://127.0.0.1:9001` (a local `inference` server).
    public var apiURL: String
    /// The Roboflow API key; default none. ``fromEnvironment(_:)`` reads it from `ROBOFLOW_API_KEY`. Never logged or
    /// printed.
    public var apiKey: String?
    /// Where the API key travels. Default `.header` (`Authorization: Bearer`).
    public var apiKeyPlacement: APIKeyPlacement
    /// Connect and request deadlines.
    public var timeout: Timeout
    /// When to retry.
    public var retry: RetryPolicy
    /// Split batches longer than this into several requests, sent concurrently and merged in order. Default `nil` (never split).
    public var maxBatchSize: Int?
    /// Requests in flight at once for one split batch, and keep-alive connections kept per host. Default 4.
    public var maxConcurrentRequests: Int
    /// Refuse, before sending, a request body larger than this (e.g. a hosted API's upload limit). Default `nil`.
    public var maxRequestBytes: Int?
    /// Largest response body accepted. Default 512 MiB.
    public var maxResponseBytes: Int
    /// Largest image file read. Default 256 MiB.
    public var maxImageFileBytes: Int
    /// How image URLs are handled.
    public var urlImages: URLImageOptions
    /// How strictly image bytes are checked before sending. Default `.structure`.
    public var imageValidation: ImageValidation
    /// Whether catalogue documents (block descriptions, ~12 MB) are asked for gzip. Default `.automatic`:
    /// gzip unless the server is on this machine.
    public var catalogueCompression: CatalogueCompression
    /// The `User-Agent` header.
    public var userAgent: String
    /// Send workflow runs to the legacy routes (`POST /infer/workflows/{workspace}/{id}`, `POST /infer/workflows`)
    /// instead of `/{workspace}/workflows/{id}` and `/workflows/run`, e.g. for a gateway that exposes only those.
    /// Default `false`.
    public var legacyEndpoints: Bool
    /// Where the SDK logs (requests at debug level, retries at info). The API key is never logged.
    public var logger: Logger?
    /// Your middleware, in order, between the client's retries and its redirects: each sees every attempt of every
    /// API request (see ``InferenceMiddleware``). Default none.
    public var middlewares: [any InferenceMiddleware]
    /// How HTTPS servers are verified and the client identifies itself (trust roots, client certificate). Default:
    /// the system's trust store; ``fromEnvironment(_:)`` reads `SSL_CERT_FILE`. Applies to the transport the client
    /// creates for itself.
    public var tls: TLSSettings
    /// Which proxy each request goes through. Default none; ``fromEnvironment(_:)`` reads `HTTPS_PROXY`,
    /// `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` as curl does. Applies to the transport the client creates for itself.
    public var proxy: ProxySettings
    /// How requests in flight adapt to a server's rate limit (HTTP 429): fewer after 429s, growing back while answers
    /// succeed, never more than before the first 429 (see ``AdaptiveConcurrency``). Default `.default` (on).
    public var adaptiveConcurrency: AdaptiveConcurrency

    /// Connect and request deadlines.
    public struct Timeout: Sendable, Equatable {
        /// Time allowed to open a connection. Default 10 s.
        public var connect: Duration
        /// Time allowed for one request and its whole response. Default 120 s (model loading can be slow).
        public var request: Duration

        /// Creates timeouts; every argument has the documented default.
        public init(connect: Duration = .seconds(10), request: Duration = .seconds(120)) {
            self.connect = connect
            self.request = request
        }
    }

    /// Where the API key travels.
    public enum APIKeyPlacement: String, Sendable, Codable, CaseIterable {
        /// `Authorization: Bearer <key>` (servers ≥ 1.5.0). The default.
        case header
        /// `"api_key"` in the JSON body (older servers).
        case body
        /// Both.
        case both
    }

    /// The SDK's version, sent in the `User-Agent`.
    public static let sdkVersion = "0.1.0"

    /// The hosted API's base URL.
    public static let hostedAPIURL = "https://serverless.roboflow.com"

    /// Creates a configuration; every argument has the documented default.
    public init(
        apiURL: String = "http://127.0.0.1:9001",
        apiKey: String? = nil,
        apiKeyPlacement: APIKeyPlacement = .header,
        timeout: Timeout = Timeout(),
        retry: RetryPolicy = .default,
        maxBatchSize: Int? = nil,
        maxConcurrentRequests: Int = 4,
        maxRequestBytes: Int? = nil,
        maxResponseBytes: Int = 512 << 20,
        maxImageFileBytes: Int = 256 << 20,
        urlImages: URLImageOptions = URLImageOptions(),
        imageValidation: ImageValidation = .structure,
        catalogueCompression: CatalogueCompression = .automatic,
        userAgent: String = "inference-sdk-swift/\(InferenceClientConfiguration.sdkVersion)",
        legacyEndpoints: Bool = false,
        logger: Logger? = nil,
        middlewares: [any InferenceMiddleware] = [],
        tls: TLSSettings = TLSSettings(),
        proxy: ProxySettings = .none,
        adaptiveConcurrency: AdaptiveConcurrency = .default
    ) {
        self.apiURL = apiURL
        self.apiKey = (apiKey?.isEmpty ?? true) ? nil : apiKey
        self.apiKeyPlacement = apiKeyPlacement
        self.timeout = timeout
        self.retry = retry
        self.maxBatchSize = maxBatchSize
        self.maxConcurrentRequests = maxConcurrentRequests
        self.maxRequestBytes = maxRequestBytes
        self.maxResponseBytes = maxResponseBytes
        self.maxImageFileBytes = maxImageFileBytes
        self.urlImages = urlImages
        self.imageValidation = imageValidation
        self.catalogueCompression = catalogueCompression
        self.userAgent = userAgent
        self.legacyEndpoints = legacyEndpoints
        self.logger = logger
        self.middlewares = middlewares
        self.tls = tls
        self.proxy = proxy
        self.adaptiveConcurrency = adaptiveConcurrency
    }

    /// The environment variables ``fromEnvironment(_:)`` reads.
    public enum EnvironmentVariable {
        /// `ROBOFLOW_API_URL`: the server's base URL.
        public static let apiURL = "ROBOFLOW_API_URL"
        /// `ROBOFLOW_API_KEY`: the API key.
        public static let apiKey = "ROBOFLOW_API_KEY"
    }

    /// A configuration from the environment, read once, here and nowhere else: `ROBOFLOW_API_URL` (default
    /// `http://127.0.0.1:9001`), `ROBOFLOW_API_KEY` (default none), `SSL_CERT_FILE` (``TLSSettings/fromEnvironment(_:)``)
    /// and the proxy variables (``ProxySettings/fromEnvironment(_:)``); empty values count as unset. Every other
    /// setting has its documented default; change them on the result (a setting made in code wins over the
    /// environment).
    ///
    /// ```swift
    /// var configuration = InferenceClientConfiguration.fromEnvironment()
    /// configuration.maxBatchSize = 16
    /// ```
    /// - Parameter environment: the variables to read; default the process's environment.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        return Self(
            apiURL: value(EnvironmentVariable.apiURL) ?? "http://127.0.0.1:9001", apiKey: value(EnvironmentVariable.apiKey),
            tls: .fromEnvironment(environment), proxy: .fromEnvironment(environment))
    }

    /// Settings for the hosted API: its URL, a 20 MB request limit (its upload limit) and a 30 s request timeout
    /// (runs are limited to 20 s there). Pass the key explicitly, e.g.
    /// `.hosted(apiKey: InferenceClientConfiguration.fromEnvironment().apiKey)`.
    public static func hosted(apiKey: String?) -> Self {
        var configuration = Self(apiURL: hostedAPIURL, apiKey: apiKey)
        configuration.maxRequestBytes = 20_000_000
        configuration.timeout.request = .seconds(30)
        return configuration
    }

    /// Whether the server is on this machine: its host is `localhost`, `*.localhost`, in 127.0.0.0/8, `0.0.0.0` (this
    /// host) or `::1`. The one rule for every default that depends on it (requests in flight, catalogue
    /// compression, the CLI's video priority).
    public var serverIsLocal: Bool { Self.isLoopback(apiURL) }

    /// Requests in flight that folder jobs, video runs and `rfclient` use unless told otherwise: 4 for a server on
    /// this machine (it shares the cores with the client; more only queue), 8 for a remote one (more round trips to
    /// hide).
    public var defaultRequestsInFlight: Int { serverIsLocal ? 4 : 8 }

    static func isLoopback(_ baseURL: String) -> Bool {
        guard var host = URL(string: baseURL.trimming(" \t\n"))?.host?.lowercased() else { return false }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host.hasSuffix(".localhost") || host == "0.0.0.0" || host == "::1"
            || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The base URL without a trailing slash, checked.
    func normalizedBaseURL() throws(InferenceError) -> String {
        var base = apiURL.trimming(" \t\n")
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else {
            throw InferenceError(
                .invalidConfiguration,
                "the API URL '\(Redactor.maskQueryKey(apiURL))' is not an absolute http(s) URL (e.g. http://127.0.0.1:9001)"
            )
        }
        return base
    }
}

extension InferenceClientConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A summary with the API key masked (`print(configuration)` never shows the key).
    public var description: String {
        "InferenceClientConfiguration(apiURL: \(Redactor.maskQueryKey(apiURL)), apiKey: \(apiKey == nil ? "nil" : Redactor.mask), "
            + "apiKeyPlacement: \(apiKeyPlacement.rawValue), timeout: connect \(timeout.connect.formattedSeconds) / request \(timeout.request.formattedSeconds), "
            + "retry: \(retry.maxAttempts) attempts, maxBatchSize: \(maxBatchSize.map(String.init) ?? "nil"), "
            + "maxConcurrentRequests: \(maxConcurrentRequests), maxRequestBytes: \(maxRequestBytes.map(String.init) ?? "nil"), "
            + "urlImages: \(urlImages.mode.rawValue), imageValidation: \(imageValidation.rawValue), "
            + "catalogueCompression: \(catalogueCompression.rawValue), userAgent: \(userAgent), tls: \(tls), proxy: \(proxy))"
    }

    /// The same as ``description``: the key stays masked in debugger output too.
    public var debugDescription: String { description }

    /// A mirror without the key, so `dump(configuration)` and debuggers do not show it.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "apiURL": Redactor.maskQueryKey(apiURL), "apiKey": apiKey == nil ? "nil" : Redactor.mask,
            "apiKeyPlacement": apiKeyPlacement, "timeout": timeout, "retry": retry, "maxBatchSize": maxBatchSize as Any,
            "maxConcurrentRequests": maxConcurrentRequests, "maxRequestBytes": maxRequestBytes as Any,
            "maxResponseBytes": maxResponseBytes, "maxImageFileBytes": maxImageFileBytes, "urlImages": urlImages,
            "imageValidation": imageValidation, "catalogueCompression": catalogueCompression, "userAgent": userAgent,
            "tls": tls, "proxy": proxy.description,
        ])
    }
}
