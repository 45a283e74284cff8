import ImageCodecs
import Foundation

/// How strictly image bytes are checked before sending.
public enum ImageValidation: String, Sendable, Codable {
    /// Magic bytes plus a structural check without decoding: JPEG marker walk and end-of-image, PNG chunk
    /// CRCs. Catches truncated and corrupt files before they cost a request. The default.
    case structure
    /// Magic bytes only (cheapest).
    case magicBytes
}

/// Settings for image URLs.
public struct URLImageOptions: Sendable, Equatable {
    /// Download by the client (default) or send by reference.
    public var mode: URLImageMode
    /// Time allowed for one download. Default 30 s.
    public var timeout: Duration
    /// Largest download accepted. Default 32 MiB.
    public var maxBytes: Int

    /// Creates options; every argument has the documented default.
    public init(mode: URLImageMode = .download, timeout: Duration = .seconds(30), maxBytes: Int = 32 << 20) {
        self.mode = mode
        self.timeout = timeout
        self.maxBytes = maxBytes
    }
}

/// Turns every ``WorkflowImage`` source into wire-ready bytes, refusing bad input with an error that names
/// the input (`image`, `image[2]`, `image[0][1]`) and the cause — before any workflow request is sent.
struct ImageResolver: Sendable {
    var validation: ImageValidation
    var urlOptions: URLImageOptions
    var maxImageBytes: Int
    /// Image downloads go through the client's transport with redirects followed (no API key travels with them).
    var downloads: MiddlewareChain
    var userAgent: String

    func resolve(_ images: [String: ImageInput]) async throws(InferenceError) -> [(name: String, input: ResolvedInput)] {
        var resolved: [(name: String, input: ResolvedInput)] = []
        resolved.reserveCapacity(images.count)
        for name in images.keys.sorted() {
            guard let input = images[name] else { continue }
            resolved.append((name, try await resolve(input, path: name)))
        }
        return resolved
    }

    /// Resolves one input; the elements of a batch are named `path[offset + i]` (a chunk of a longer batch
    /// keeps the element numbers of the whole batch). URL downloads of a batch run concurrently.
    func resolve(_ input: ImageInput, path: String, offset: Int = 0) async throws(InferenceError) -> ResolvedInput {
        switch input {
        case .image(let image):
            let resolved = try await resolve(image, path: path)
            if let metadata = image.videoMetadata, case .encoded(let bytes) = resolved { return .image(.frame(bytes, metadata)) }
            return .image(resolved)
        case .batch(let items):
            guard !items.isEmpty else {
                throw InferenceError(.invalidInput, "empty batch: give at least one image", input: path)
            }
            if items.lazy.filter(\.isDownload).prefix(2).count == 2 {
                return .batch(try await resolveConcurrently(items, path: path, offset: offset))
            }
            var out: [ResolvedInput] = []
            out.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                out.append(try await resolve(item, path: "\(path)[\(offset + index)]"))
            }
            return .batch(out)
        }
    }

    func resolve(_ image: WorkflowImage, path: String) async throws(InferenceError) -> ResolvedImage {
        func refuse(_ reason: String) -> InferenceError {
            InferenceError(.invalidInput, "\(image.label) \(reason)", input: path)
        }
        switch image.source {
        case .file(let file):
            let bytes: [UInt8]
            do {
                bytes = try FileReader.read(file, maxBytes: maxImageBytes)
            } catch {
                throw refuse(error.reason)
            }
            try check(bytes, refuse)
            return .encoded(bytes)
        case .encoded(let bytes):
            guard !bytes.isEmpty else { throw refuse("is empty") }
            try check(bytes, refuse)
            return .encoded(bytes)
        case .base64(let text):
            let bytes = try decodeBase64(text, refuse)
            try check(bytes, refuse)
            return .encoded(bytes)
        case .pixels(let buffer, let encoding):
            do {
                switch encoding {
                case .jpeg(let quality): return .encoded(try JPEGCodec.encode(buffer, quality: quality))
                case .png: return .encoded(try PNGCodec.encode(buffer))
                }
            } catch {
                throw refuse("could not be encoded: \(error.message)")
            }
        case .url(let url, let mode):
            _ = try parseURL(url, refuse)
            switch mode ?? urlOptions.mode {
            case .reference:
                return .reference(url)
            case .download:
                let bytes = try await download(url, refuse)
                try check(bytes, refuse)
                return .encoded(bytes)
            }
        }
    }

    /// The most pixels an image may declare: OpenCV's decoding limits (`CV_IO_MAX_IMAGE_PIXELS` 2^30 and
    /// `CV_IO_MAX_IMAGE_WIDTH`/`HEIGHT` 2^20), which the server's decoder applies. Larger images would be
    /// uploaded only to be refused (the server answers 400 "NumPy image type is not supported").
    static let maxDeclaredPixels = PixelBuffer.maxDecodedPixels
    static let maxDeclaredSide = 1 << 20

    private func check(_ bytes: [UInt8], _ refuse: (String) -> InferenceError) throws(InferenceError) {
        let info: ImageInfo?
        switch validation {
        case .magicBytes:
            guard ImageFormat.sniff(bytes) != nil else {
                throw refuse("is not an image (no JPEG/PNG/GIF/BMP/WebP/TIFF signature)")
            }
            info = ImageInfo.read(bytes)
        case .structure:
            do {
                info = try ImageIntegrity.check(bytes)
            } catch {
                throw refuse("is not a valid image: \(error.message)")
            }
        }
        if let info, info.width > Self.maxDeclaredSide || info.height > Self.maxDeclaredSide
            || info.width * info.height > Self.maxDeclaredPixels {
            throw refuse(
                "declares \(info.width)×\(info.height) pixels, more than the server's decoder accepts "
                    + "(\(Self.maxDeclaredPixels) pixels, \(Self.maxDeclaredSide) per side)")
        }
    }

    /// The URL, when it is an absolute http(s) URL.
    func parseURL(_ url: String, _ refuse: (String) -> InferenceError) throws(InferenceError) -> URL {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https", parsed.host != nil
        else {
            throw refuse("is not an absolute http(s) URL")
        }
        return parsed
    }

    func decodeBase64(_ text: String, _ refuse: (String) -> InferenceError) throws(InferenceError) -> [UInt8] {
        var body = Substring(text)
        if body.hasPrefix("data:") {
            guard let comma = body.firstIndex(of: ",") else { throw refuse("has a data: prefix without a comma") }
            let header = body[body.startIndex..<comma]
            guard header.hasSuffix(";base64") else { throw refuse("is a data: URI that is not base64-encoded") }
            body = body[body.index(after: comma)...]
        }
        guard !body.isEmpty else { throw refuse("is empty") }
        let bytes: [UInt8]
        do {
            bytes = try Base64.decode(body)
        } catch {
            throw refuse("is not valid base64: \(error.reason)")
        }
        guard !bytes.isEmpty else { throw refuse("decodes to no bytes") }
        return bytes
    }

    private func download(_ url: String, _ refuse: (String) -> InferenceError) async throws(InferenceError) -> [UInt8] {
        let request = TransportRequest(
            method: "GET", url: url, headers: [("User-Agent", userAgent), ("Accept", "image/*")],
            timeout: urlOptions.timeout, maxResponseBytes: urlOptions.maxBytes
        )
        let response: TransportResponse
        do {
            response = try await downloads.send(request)
        } catch {
            let error = InferenceError.fromTransport(error)
            switch error.kind {
            case .invalidResponse: throw refuse("is larger than the \(urlOptions.maxBytes)-byte download limit")
            case .timeout: throw refuse("could not be downloaded within \(urlOptions.timeout.formattedSeconds)")
            case .cancelled: throw error
            default: throw refuse("could not be downloaded: \(error.message)")
            }
        }
        guard (200..<300).contains(response.status) else {
            throw refuse("could not be downloaded: HTTP \(response.status)")
        }
        guard !response.body.isEmpty else { throw refuse("returned an empty body") }
        return response.body
    }
}
