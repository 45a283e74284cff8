/// Server information.
extension InferenceHTTPClient {
    /// `GET /info`: the server's name and version.
    public func serverInfo() async throws(InferenceError) -> ServerInfo {
        let (json, response) = try await getJSON("/info")
        guard let name = json["name"]?.stringValue, let version = json["version"]?.stringValue else {
            throw InferenceError(.invalidResponse, "GET /info did not return {name, version}", status: response.status)
        }
        return ServerInfo(name: name, version: version, uuid: json["uuid"]?.stringValue, raw: json)
    }
}

/// What `GET /info` returns.
public struct ServerInfo: Sendable, Equatable {
    /// The server's name, e.g. "Roboflow Inference Server".
    public var name: String
    /// The server's version, e.g. "1.8.3".
    public var version: String
    /// The server instance's id.
    public var uuid: String?
    /// The body as sent.
    public var raw: JSONValue
}
