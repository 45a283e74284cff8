import ImageCodecs
import Foundation

/// One image given to a workflow, in whatever form the caller has it.
///
/// Every form is normalised to the server's `{"type":"base64","value":...}` wire format before sending
/// (except a URL sent by reference). Files and encoded bytes are sent as they are, never re-encoded.
public struct WorkflowImage: Sendable {
    /// Where the image comes from.
    public enum Source: Sendable {
        /// A file path; its bytes are sent unchanged.
        case file(String)
        /// The bytes of an encoded image (JPEG, PNG, …); sent unchanged.
        case encoded([UInt8])
        /// Base64 text of an encoded image; a `data:image/...;base64,` prefix is accepted.
        case base64(String)
        /// An `http`/`https` URL.
        case url(String, URLImageMode?)
        /// Raw pixels, encoded by the client.
        case pixels(PixelBuffer, PixelEncoding)
    }

    /// Where the image comes from.
    public let source: Source

    /// The frame's place in a video, sent beside the pixels as `video_metadata` (blocks such as trackers and
    /// `ExtractFrameMetadata` read it). `nil` for a still image.
    public var videoMetadata: VideoMetadata?

    /// Creates an image from a source.
    public init(_ source: Source) { self.source = source }

    /// Creates a video frame: an image from a source, sent with its `video_metadata`.
    public init(_ source: Source, videoMetadata: VideoMetadata?) {
        self.source = source
        self.videoMetadata = videoMetadata
    }

    /// An image file; bytes are sent as they are.
    public static func file(_ path: String) -> WorkflowImage { .init(.file(path)) }
    /// An image file URL (`file://`); bytes are sent as they are.
    public static func file(_ url: URL) -> WorkflowImage { .init(.file(url.path)) }
    /// Encoded image bytes (JPEG, PNG, …).
    public static func data(_ data: Data) -> WorkflowImage { .init(.encoded([UInt8](data))) }
    /// Encoded image bytes (JPEG, PNG, …).
    public static func bytes(_ bytes: [UInt8]) -> WorkflowImage { .init(.encoded(bytes)) }
    /// Base64 text of an encoded image, with or without a `data:` prefix.
    public static func base64(_ text: String) -> WorkflowImage { .init(.base64(text)) }
    /// An image URL. `mode` nil uses the client's configured default (download by the client).
    public static func url(_ url: String, mode: URLImageMode? = nil) -> WorkflowImage { .init(.url(url, mode)) }
    /// An image URL. `mode` nil uses the client's configured default (download by the client).
    public static func url(_ url: URL, mode: URLImageMode? = nil) -> WorkflowImage { .init(.url(url.absoluteString, mode)) }
    /// Raw pixels, encoded as JPEG (default quality 95) or PNG.
    public static func pixels(_ buffer: PixelBuffer, encoding: PixelEncoding = .jpeg()) -> WorkflowImage {
        .init(.pixels(buffer, encoding))
    }

    /// A short label for error messages (never the content itself).
    var label: String {
        switch source {
        case .file(let path): return "file \(path)"
        case .encoded(let bytes): return "\(bytes.count) bytes of image data"
        case .base64(let text): return "base64 text of \(text.utf8.count) characters"
        case .url(let url, _): return "URL \(Redactor.maskQueryKey(url))"
        case .pixels(let buffer, _): return "\(buffer.width)×\(buffer.height) \(buffer.format.rawValue) pixels"
        }
    }
}

/// How an image URL reaches the server.
public enum URLImageMode: String, Sendable, Codable {
    /// The client downloads it (with a timeout and a size cap) and sends base64, as the Python SDK does.
    /// Works with any server configuration.
    case download
    /// Sent as `{"type":"url"}` for the server to fetch. The default server configuration refuses
    /// `http://` and bare-IP URLs.
    case reference
}

/// How raw pixels are encoded before sending.
public enum PixelEncoding: Sendable, Equatable {
    /// JPEG through libturbojpeg; `quality` 1...100.
    case jpeg(quality: Int = 95)
    /// Lossless PNG through libpng; keeps alpha.
    case png
}

/// A workflow image input: one image, or a batch (a list, which may nest).
///
/// Array literals make batches: `["image": [.file("a.jpg"), .file("b.jpg")]]`.
public indirect enum ImageInput: Sendable, ExpressibleByArrayLiteral {
    /// One image.
    case image(WorkflowImage)
    /// A batch: the server returns one output per element.
    case batch([ImageInput])

    /// A batch from an array literal.
    public init(arrayLiteral elements: ImageInput...) { self = .batch(elements) }

    /// An image file.
    public static func file(_ path: String) -> ImageInput { .image(.file(path)) }
    /// One image file, from a file URL.
    public static func file(_ url: URL) -> ImageInput { .image(.file(url)) }
    /// Encoded image bytes.
    public static func data(_ data: Data) -> ImageInput { .image(.data(data)) }
    /// Encoded image bytes.
    public static func bytes(_ bytes: [UInt8]) -> ImageInput { .image(.bytes(bytes)) }
    /// Base64 text of an encoded image.
    public static func base64(_ text: String) -> ImageInput { .image(.base64(text)) }
    /// An image URL.
    public static func url(_ url: String, mode: URLImageMode? = nil) -> ImageInput { .image(.url(url, mode: mode)) }
    /// One image to fetch, from a `URL`.
    public static func url(_ url: URL, mode: URLImageMode? = nil) -> ImageInput { .image(.url(url, mode: mode)) }
    /// Raw pixels.
    public static func pixels(_ buffer: PixelBuffer, encoding: PixelEncoding = .jpeg()) -> ImageInput {
        .image(.pixels(buffer, encoding: encoding))
    }
    /// A batch of image files, in order.
    public static func files(_ paths: [String]) -> ImageInput { .batch(paths.map { .file($0) }) }

    /// The number of top-level elements: 1 for a single image.
    var batchCount: Int {
        if case .batch(let items) = self { return items.count }
        return 1
    }
}
