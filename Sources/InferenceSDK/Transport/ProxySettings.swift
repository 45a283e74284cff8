import Foundation

/// Which proxy, if any, each request goes through: one for `http://` URLs, one for `https://` URLs, and hosts that
/// are reached directly (`NO_PROXY`). Every request of the client follows them: workflow runs, catalogue reads and
/// the images it downloads from URLs.
///
/// ``fromEnvironment(_:)`` reads the variables curl reads: `https_proxy`/`HTTPS_PROXY` for `https://` URLs,
/// `http_proxy`/`HTTP_PROXY` for `http://` ones, `all_proxy`/`ALL_PROXY` for both when the scheme's own is unset,
/// `no_proxy`/`NO_PROXY` for the exceptions (lowercase first; empty values count as unset).
///
/// A proxy URL is `http://[user:password@]host[:port]` (port 1080 when omitted, as curl) or `socks5://host[:port]`;
/// HTTPS requests are tunnelled with `CONNECT`, so the proxy never sees their content (nor the API key). So is plain
/// HTTP (AsyncHTTPClient tunnels every request). The credentials are sent to the proxy only, and printed masked.
///
/// `noProxy` is a comma-separated list: `*` (no proxy at all), host names (`example.com` also covers
/// `api.example.com`; a leading dot is ignored), IP addresses and IPv4 CIDR ranges (`10.0.0.0/8`), each optionally
/// with `:port`.
public struct ProxySettings: Sendable, Equatable, CustomStringConvertible {
    /// The proxy URL for `http://` requests, or `nil` for none.
    public var httpProxy: String?
    /// The proxy URL for `https://` requests, or `nil` for none.
    public var httpsProxy: String?
    /// Hosts reached directly, as `NO_PROXY` lists them; `nil` for none.
    public var noProxy: String?

    /// Settings with the proxies given; every argument defaults to none.
    public init(httpProxy: String? = nil, httpsProxy: String? = nil, noProxy: String? = nil) {
        self.httpProxy = Self.nonEmpty(httpProxy)
        self.httpsProxy = Self.nonEmpty(httpsProxy)
        self.noProxy = Self.nonEmpty(noProxy)
    }

    /// No proxy: every request goes directly to its host. The default.
    public static let none = ProxySettings()

    /// One proxy for every request (curl's `--proxy`), except the hosts `noProxy` lists.
    public static func all(_ proxyURL: String, noProxy: String? = nil) -> ProxySettings {
        ProxySettings(httpProxy: proxyURL, httpsProxy: proxyURL, noProxy: noProxy)
    }

    /// The variables ``fromEnvironment(_:)`` reads, lowercase form first.
    public static let environmentVariables = [
        "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY",
    ]

    /// Settings from the proxy variables, as curl reads them (see the type's documentation).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ProxySettings {
        func value(_ name: String) -> String? {
            nonEmpty(environment[name.lowercased()]) ?? nonEmpty(environment[name.uppercased()])
        }
        let all = value("all_proxy")
        return ProxySettings(
            httpProxy: value("http_proxy") ?? all, httpsProxy: value("https_proxy") ?? all, noProxy: value("no_proxy"))
    }

    /// Whether no request goes through a proxy.
    public var isEmpty: Bool { httpProxy == nil && httpsProxy == nil }

    /// The proxy URL a request to `url` goes through, or `nil` when it goes directly (no proxy for its scheme, or
    /// its host is in ``noProxy``).
    public func proxy(for url: String) -> String? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else { return nil }
        let candidate: String?
        switch scheme {
        case "https": candidate = httpsProxy
        case "http": candidate = httpProxy
        default: candidate = nil
        }
        guard let candidate else { return nil }
        let port = parsed.port ?? (scheme == "https" ? 443 : 80)
        return NoProxyList(noProxy).covers(host: host, port: port) ? nil : candidate
    }

    /// The settings with any proxy password masked (`http://user:***@proxy:3128`).
    public var description: String {
        "ProxySettings(http: \(httpProxy.map(Self.masked) ?? "none"), https: \(httpsProxy.map(Self.masked) ?? "none"), "
            + "noProxy: \(noProxy ?? "none"))"
    }

    /// `url` with the password of its credentials replaced by `***` (the user name kept, to tell proxies apart).
    public static func masked(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].lastIndex(of: "@") else { return url }
        let credentials = url[schemeEnd.upperBound..<at]
        let user = credentials.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return url[..<schemeEnd.upperBound] + user + ":***" + url[at...]
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}

/// A proxy URL taken apart: where to connect and with which credentials.
struct ProxyEndpoint: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case http, socks5 }
    let kind: Kind
    let host: String
    let port: Int
    let username: String?
    let password: String?
    /// The URL as given, with the password masked: what messages show.
    let display: String

    /// Parses `url` (`http://[user:password@]host[:port]`, `socks5://host[:port]`; no scheme means `http://`).
    /// `source` names where it came from, for the error.
    init(_ url: String, source: String) throws(InferenceError) {
        let text = url.contains("://") ? url : "http://" + url
        let display = ProxySettings.masked(text)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              var host = components.host, !host.isEmpty
        else {
            throw InferenceError(.invalidConfiguration, "the proxy \(source) '\(display)' is not a URL such as http://proxy:3128")
        }
        switch scheme {
        case "http": kind = .http
        case "socks5", "socks5h": kind = .socks5
        default:
            throw InferenceError(
                .invalidConfiguration,
                "the proxy \(source) '\(display)' has scheme '\(scheme)'; supported: http:// (CONNECT tunnels) and socks5://")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        self.port = components.port ?? 1080
        self.username = components.percentEncodedUser.map { $0.removingPercentEncoding ?? $0 }
        self.password = components.percentEncodedPassword.map { $0.removingPercentEncoding ?? $0 }
        if kind == .socks5 && username != nil {
            throw InferenceError(.invalidConfiguration, "the proxy \(source) '\(display)': SOCKS5 with a user name is not supported")
        }
        self.display = display
    }
}

/// A `NO_PROXY` list, as curl reads it.
struct NoProxyList: Sendable {
    private struct Entry: Sendable {
        let host: String
        let port: Int?
    }
    private let matchesAll: Bool
    private let entries: [Entry]

    init(_ text: String?) {
        var all = false
        var entries: [Entry] = []
        for raw in (text ?? "").split(separator: ",") {
            var item = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if item == "*" { all = true; continue }
            var port: Int?
            if item.hasPrefix("[") {  // [v6]:port
                if let close = item.firstIndex(of: "]") {
                    let rest = item[item.index(after: close)...]
                    if rest.hasPrefix(":") { port = Int(rest.dropFirst()) }
                    item = String(item[item.index(after: item.startIndex)..<close])
                }
            } else if item.filter({ $0 == ":" }).count == 1, let colon = item.lastIndex(of: ":"), let number = Int(item[item.index(after: colon)...]) {
                port = number
                item = String(item[..<colon])
            }
            while item.hasPrefix(".") { item.removeFirst() }
            if !item.isEmpty { entries.append(Entry(host: item, port: port)) }
        }
        self.matchesAll = all
        self.entries = entries
    }

    /// Whether a request to `host:port` bypasses the proxy.
    func covers(host rawHost: String, port: Int) -> Bool {
        if matchesAll { return true }
        var host = rawHost.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        while host.hasSuffix(".") { host.removeLast() }
        let address = IPv4(host)
        for entry in entries where entry.port == nil || entry.port == port {
            if entry.host == host { return true }
            if let address, let slash = entry.host.firstIndex(of: "/"), let network = IPv4(String(entry.host[..<slash])),
               let bits = Int(entry.host[entry.host.index(after: slash)...]), (0...32).contains(bits) {
                let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
                if address & mask == network & mask { return true }
                continue
            }
            if address == nil && !host.contains(":") && host.hasSuffix("." + entry.host) { return true }
        }
        return false
    }

    private func IPv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}
