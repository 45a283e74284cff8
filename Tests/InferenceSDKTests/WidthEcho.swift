import Foundation
import ImageCodecs
import TestSupport
@testable import InferenceSDK

/// The in-process HTTP server's side of the batch tests: every image has its own width, and answers echo widths,
/// so an output on the wrong element shows.
enum WidthEcho {
    /// The widths of the images of input `name` in a workflow request, top-level elements only (nil for a nested
    /// element or an unreadable one).
    static func widths(_ request: TestHTTPServer.Request, _ name: String = "image") -> [Int?] {
        guard let items = request.json?["inputs"].flatMap({ ($0 as? [String: Any])?[name] }) as? [Any] else { return [] }
        return items.map { item in
            guard let value = (item as? [String: Any])?["value"] as? String, let bytes = Data(base64Encoded: value) else { return nil }
            return ImageInfo.read([UInt8](bytes))?.width
        }
    }

    /// `{"outputs": [...]}` with one `{"width": w}` per entry.
    static func answer(_ widths: [Int?]) -> TestHTTPServer.Action {
        let outputs = widths.map { width in width.map { #"{"width":\#($0)}"# } ?? #"{"width":null}"# }
        return TestHTTPServer.json(200, #"{"outputs":[\#(outputs.joined(separator: ","))],"profiler_trace":[]}"#)
    }

    static func images(_ widths: Range<Int>) throws -> [ImageInput] {
        try widths.map { .bytes(try ChunkedBatchTests.png(width: $0)) }
    }

    static func client(_ server: TestHTTPServer, concurrency: Int = 4) throws -> InferenceHTTPClient {
        var configuration = InferenceClientConfiguration(apiURL: server.baseURL, apiKey: nil, retry: .none)
        configuration.maxConcurrentRequests = concurrency
        return try InferenceHTTPClient(configuration: configuration)
    }
}
