import ImageCodecs
import Foundation

/// An image returned by a workflow: its bytes, format and size (read from the header, no full decode),
/// and its metadata (video metadata, parent and root parent for crops and slices).
public struct ImageOutput: Sendable {
    /// The encoded image bytes (decoded from base64).
    public let bytes: [UInt8]
    /// The format, sniffed from magic bytes (blocks produce JPEG; echoed inputs keep their own format).
    public let format: ImageFormat?
    /// Width in pixels from the image header, when readable.
    public let width: Int?
    /// Height in pixels from the image header, when readable.
    public let height: Int?
    /// `video_metadata`, when present.
    public let videoMetadata: VideoMetadata?
    /// `parent_id` (crops and slices).
    public let parentID: String?
    /// `parent_origin`: where the image sits in its parent.
    public let parentOrigin: ImageOrigin?
    /// `root_parent_id`.
    public let rootParentID: String?
    /// `root_parent_origin`: where the image sits in the original input.
    public let rootParentOrigin: ImageOrigin?
    /// The value as the server sent it.
    public let raw: JSONValue

    /// Whether a JSON value has the shape of a serialized image (`{"type":"base64","value":"..."}`).
    public static func isImageValue(_ value: JSONValue) -> Bool {
        guard case .object(let object) = value, object["type"]?.stringValue == "base64",
              case .string = object["value"] else { return false }
        return true
    }

    /// Parses a serialized image value. `name` is used in error messages.
    public init(_ value: JSONValue, name: String = "image") throws(InferenceError) {
        guard Self.isImageValue(value), let text = value["value"]?.stringValue else {
            throw InferenceError(.invalidResponse, "output '\(name)' is \(value.typeName == "object" ? "an object that is not an image" : value.typeName), not an image")
        }
        do {
            bytes = try Base64.decode(text)
        } catch {
            throw InferenceError(.invalidResponse, "output '\(name)' has invalid base64: \(error.reason)")
        }
        let info = ImageInfo.read(bytes)
        format = info?.format ?? ImageFormat.sniff(bytes)
        width = info?.width
        height = info?.height
        raw = value
        videoMetadata = Self.optional(value["video_metadata"], as: VideoMetadata.self)
        parentID = value["parent_id"]?.stringValue
        parentOrigin = Self.optional(value["parent_origin"], as: ImageOrigin.self)
        rootParentID = value["root_parent_id"]?.stringValue
        rootParentOrigin = Self.optional(value["root_parent_origin"], as: ImageOrigin.self)
    }

    private static func optional<T: Decodable>(_ value: JSONValue?, as: T.Type) -> T? {
        guard let value, !value.isNull else { return nil }
        return try? value.decode(as: T.self)
    }

    /// Decodes the pixels (JPEG through libturbojpeg, PNG through libpng). `format` nil keeps the
    /// image's own channels (RGB, RGBA or gray).
    public func decodePixels(to pixelFormat: PixelFormat? = nil) throws(InferenceError) -> PixelBuffer {
        do {
            return try ImageDecoder.decode(bytes, to: pixelFormat)
        } catch {
            throw InferenceError(.invalidResponse, "image could not be decoded: \(error.message)")
        }
    }

    /// The file extension that matches the format (`jpg`, `png`, …; `bin` when unknown).
    public var fileExtension: String { format?.fileExtension ?? "bin" }

    /// Writes the encoded bytes to a file, unchanged, atomically (a temporary file renamed over the target); a
    /// failure is `.localIO` naming the path, with the OS's `errno` in a ``LocalIOError``.
    public func write(to path: String) throws(InferenceError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            let cause = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            let code = cause.flatMap { $0.domain == NSPOSIXErrorDomain ? Int32(truncatingIfNeeded: $0.code) : nil }
            throw InferenceError.localIO("write", path, code: code ?? EIO)
        }
    }
}

/// `video_metadata` of an image.
public struct VideoMetadata: Codable, Sendable, Equatable {
    /// `video_identifier`.
    public var videoIdentifier: String?
    /// `frame_number`.
    public var frameNumber: Int?
    /// `frame_timestamp`: naive ISO-8601 text as the server sends it.
    public var frameTimestamp: String?
    /// `fps`.
    public var fps: Double?
    /// `measured_fps`.
    public var measuredFPS: Double?
    /// `comes_from_video_file`.
    public var comesFromVideoFile: Bool?
    /// `total_frames`.
    public var totalFrames: Int?

    /// Creates metadata; every field is optional, as on the wire.
    public init(
        videoIdentifier: String? = nil, frameNumber: Int? = nil, frameTimestamp: String? = nil, fps: Double? = nil,
        measuredFPS: Double? = nil, comesFromVideoFile: Bool? = nil, totalFrames: Int? = nil
    ) {
        self.videoIdentifier = videoIdentifier
        self.frameNumber = frameNumber
        self.frameTimestamp = frameTimestamp
        self.fps = fps
        self.measuredFPS = measuredFPS
        self.comesFromVideoFile = comesFromVideoFile
        self.totalFrames = totalFrames
    }

    enum CodingKeys: String, CodingKey {
        case videoIdentifier = "video_identifier", frameNumber = "frame_number", frameTimestamp = "frame_timestamp"
        case fps, measuredFPS = "measured_fps", comesFromVideoFile = "comes_from_video_file", totalFrames = "total_frames"
    }
}

/// Where an image (a crop or a slice) sits inside its parent: `{offset_x, offset_y, width, height}`.
public struct ImageOrigin: Codable, Sendable, Equatable {
    /// `offset_x`.
    public var offsetX: Int
    /// `offset_y`.
    public var offsetY: Int
    /// `width` of the parent.
    public var width: Int
    /// `height` of the parent.
    public var height: Int

    /// Creates an origin.
    public init(offsetX: Int, offsetY: Int, width: Int, height: Int) {
        self.offsetX = offsetX
        self.offsetY = offsetY
        self.width = width
        self.height = height
    }

    enum CodingKeys: String, CodingKey {
        case offsetX = "offset_x", offsetY = "offset_y", width, height
    }
}
