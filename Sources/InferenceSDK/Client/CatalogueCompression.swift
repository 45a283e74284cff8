import Foundation

/// Whether the large catalogue documents (`describeBlocks()`: ~12 MB of JSON, ~1.1 MB gzip-compressed;
/// `workflowDefinitionSchema()`) are asked for gzip-compressed.
public enum CatalogueCompression: String, Sendable, Codable, CaseIterable {
    /// gzip, unless the server is on this machine (a loopback address or `localhost`), where compressing costs
    /// the server more than the transfer saves (measured here: 85 ms uncompressed, 260 ms gzip-compressed).
    /// The default.
    case automatic
    /// Always gzip.
    case always
    /// Never: `Accept-Encoding: identity`.
    case never

    /// Whether to ask `baseURL` for gzip.
    func wantsGzip(baseURL: String) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .automatic: return !Self.isLoopback(baseURL)
        }
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8, `0.0.0.0` (this host) and `::1`.
    static func isLoopback(_ baseURL: String) -> Bool {
        guard var host = URL(string: baseURL)?.host?.lowercased() else { return false }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host.hasSuffix(".localhost") || host == "0.0.0.0" || host == "::1"
            || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
