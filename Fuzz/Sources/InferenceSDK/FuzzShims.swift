@_exported import ImageCodecs

// Stand-ins for the few symbols the fuzzed sources use from files left out of the fuzz build
// (those files import AsyncHTTPClient/NIO, which would make every fuzz build rebuild BoringSSL).

/// A lower-level error kept only by its description (the real one lives in AsyncHTTPClientTransport.swift).
public struct SendableDescription: Error, Sendable, CustomStringConvertible {
    /// The original error's description.
    public let description: String
    init(_ description: String) { self.description = description }
}
