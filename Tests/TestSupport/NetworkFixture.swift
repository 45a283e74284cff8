import Foundation
import Testing

/// The real networks of `scripts/network-fixtures.sh`, started for a test in its own folder: a private CA and
/// certificates made with openssl, nginx terminating TLS and mutual TLS in front of the real server, a static file
/// server, two tinyproxy forward proxies (one asking for credentials). Stop it with ``stop()``.
public struct NetworkFixture: Sendable {
    /// Every `NAME=value` the script printed.
    public let values: [String: String]
    /// The folder it runs in.
    public let folder: String

    /// Whether nginx, tinyproxy and openssl are installed (scripts/bootstrap.sh installs them).
    public static var toolsPresent: Bool {
        ["nginx", "tinyproxy", "openssl"].allSatisfy { tool in
            ["/usr/sbin/", "/usr/bin/", "/usr/local/sbin/", "/usr/local/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + tool) }
        }
    }

    static let script: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("scripts/network-fixtures.sh").path
    }()

    /// Starts the fixtures in front of `upstream` (default: the real server of this run).
    public static func start(upstream: String? = RealServer.url) async throws -> NetworkFixture {
        let upstream = try #require(upstream, "the network fixtures front the real server: set INFERENCE_SERVER_URL")
        let folder = try TemporaryDirectory("network").path
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin:" + (environment["PATH"] ?? "")
        let result = try await ChildProcess.run("/bin/bash", [script, "start", folder, upstream], environment: environment, bound: .seconds(60))
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        guard result.status == 0 else {
            _ = try? await ChildProcess.run("/bin/bash", [script, "stop", folder], environment: environment, bound: .seconds(20))
            throw ChildProcessError(message: "scripts/network-fixtures.sh start failed (\(result.status)): \(stderr.suffix(2000))")
        }
        var values: [String: String] = [:]
        for line in String(decoding: result.stdout, as: UTF8.self).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return NetworkFixture(values: values, folder: folder)
    }

    /// Stops nginx and the proxies and removes the folder.
    public func stop() async {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin:" + (environment["PATH"] ?? "")
        _ = try? await ChildProcess.run("/bin/bash", [Self.script, "stop", folder], environment: environment, bound: .seconds(20))
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A value the script printed (an empty string when missing, which fails the test that uses it).
    public subscript(_ name: String) -> String { values[name] ?? "" }

    /// `https://127.0.0.1:port`: the real server behind TLS, certificate signed by ``ca``.
    public var tlsURL: String { self["TLS_URL"] }
    /// The same behind TLS that asks for a client certificate signed by the client CA.
    public var mutualTLSURL: String { self["MTLS_URL"] }
    /// The same behind TLS whose certificate names another host (`other.example`), signed by ``ca``.
    public var otherHostURL: String { self["OTHER_HOST_URL"] }
    /// Plain HTTP static files from ``filesFolder``.
    public var filesURL: String { self["FILES_URL"] }
    /// The folder ``filesURL`` serves.
    public var filesFolder: String { self["FILES_DIR"] }
    /// The open forward proxy.
    public var proxyURL: String { self["PROXY_URL"] }
    /// The proxy that wants `proxyuser` and its password (in the URL).
    public var authProxyURL: String { self["AUTH_PROXY_URL"] }
    /// The password in ``authProxyURL``.
    public static let proxyPassword = "proxy-secret-8d2f"
    /// The CA that signed the servers' certificates.
    public var ca: String { self["CA"] }
    /// A CA that signed nothing here.
    public var wrongCA: String { self["WRONG_CA"] }
    /// The client certificate and its key, and both in one file.
    public var clientCertificate: String { self["CLIENT_CERT"] }
    /// The client certificate's key.
    public var clientKey: String { self["CLIENT_KEY"] }
    /// The client certificate followed by its key.
    public var clientCombined: String { self["CLIENT_COMBINED"] }

    /// The `CONNECT host:port` requests a proxy's log holds (`auth` for the proxy asking for credentials).
    public func connects(auth: Bool = false) -> [String] {
        let log = (try? Data(contentsOf: URL(fileURLWithPath: self[auth ? "AUTH_PROXY_LOG" : "PROXY_LOG"]))) ?? Data()
        return String(decoding: log, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "): CONNECT ") else { return nil }
            return line[range.upperBound...].split(separator: " ").first.map(String.init)
        }
    }

    /// Plain (non-CONNECT) requests a proxy's log holds.
    public func plainProxyRequests(auth: Bool = false) -> [String] {
        let log = (try? Data(contentsOf: URL(fileURLWithPath: self[auth ? "AUTH_PROXY_LOG" : "PROXY_LOG"]))) ?? Data()
        return String(decoding: log, as: UTF8.self).split(separator: "\n").filter {
            $0.contains("Request (file descriptor") && !$0.contains("): CONNECT ")
        }.map(String.init)
    }

    /// nginx's access log, one line per HTTP request it read (`"POST /workflows/run HTTP/1.1" 200 … client="CN=…"`).
    public func accessLog() -> [String] {
        let log = (try? String(contentsOfFile: self["NGINX_ACCESS_LOG"], encoding: .utf8)) ?? ""
        return log.split(separator: "\n").map(String.init)
    }

    /// nginx's error log (handshake failures show here at `info`).
    public func errorLog() -> String {
        (try? String(contentsOfFile: self["NGINX_ERROR_LOG"], encoding: .utf8)) ?? ""
    }

    /// `host:port` of `url`.
    public static func hostPort(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else { return url }
        return "\(host):\(port)"
    }
}
