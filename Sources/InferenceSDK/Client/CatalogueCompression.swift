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
        case .automatic: return !InferenceClientConfiguration.isLoopback(baseURL)
        }
    }
}
