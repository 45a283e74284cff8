import InferenceSDK
import ImageCodecs
import Foundation

/// Where an image output was saved, as written into results in place of its base64.
public struct SavedImage: Sendable, Equatable {
    /// The file's path (relative to the results file when saved by a directory job).
    public var path: String
    /// The image's real format.
    public var format: ImageFormat?
    /// Width in pixels.
    public var width: Int?
    /// Height in pixels.
    public var height: Int?

    /// The placeholder JSON: `{"type":"image","path":…,"format":…,"width":…,"height":…}`.
    public var placeholder: JSONValue {
        [
            "type": "image", "path": .string(path), "format": format.map { .string($0.rawValue) } ?? .null,
            "width": width.map { .int($0) } ?? .null, "height": height.map { .int($0) } ?? .null,
        ]
    }
}

/// Saves every image inside workflow outputs (top-level images, lists of crops, images nested in objects)
/// to files in their real format, and replaces each by a placeholder.
///
/// File names follow the JSON path: output `blurred` → `blurred.jpg`; list `crops` → `crops/0.jpg`, `crops/1.jpg`;
/// nested object key `a` of output `x` → `x/a.png`.
public struct OutputImageSaver: Sendable {
    /// Folder the files go into.
    public var directory: String
    /// What is put before each file name in placeholders (e.g. "" for paths relative to `directory`,
    /// or `directory + "/"` for paths as written).
    public var pathPrefix: String
    /// The folder below which no symbolic link is followed when subfolders are created (a job's output folder): a
    /// link planted there is refused, so no file is written outside it. Default: ``directory``.
    public var root: String

    /// Creates a saver.
    public init(directory: String, pathPrefix: String, root: String? = nil) {
        self.directory = directory
        self.pathPrefix = pathPrefix
        self.root = root ?? directory
    }

    /// Saves the images of one output dictionary and returns it with placeholders.
    public func save(_ output: WorkflowOutput) throws(InferenceError) -> JSONObject {
        var fields = JSONObject()
        for (name, value) in output.fields {
            fields[name] = try save(value, relativePath: Self.sanitize(name))
        }
        return fields
    }

    /// Saves the images inside `value`, naming files after `relativePath`.
    public func save(_ value: JSONValue, relativePath: String) throws(InferenceError) -> JSONValue {
        switch value {
        case .object(let object):
            if ImageOutput.isImageValue(value) {
                let image = try ImageOutput(value, name: relativePath)
                let file = "\(relativePath).\(image.fileExtension)"
                let full = directory + "/" + file
                try Self.createParent(of: full, root: root)
                try writeAtomically(image.bytes, to: full)
                return SavedImage(path: pathPrefix + file, format: image.format, width: image.width, height: image.height).placeholder
            }
            var out = JSONObject()
            for (key, element) in object {
                out[key] = try save(element, relativePath: relativePath + "/" + Self.sanitize(key))
            }
            return .object(out)
        case .array(let items):
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for (index, element) in items.enumerated() {
                out.append(try save(element, relativePath: relativePath + "/\(index)"))
            }
            return .array(out)
        default:
            return value
        }
    }

    /// Whether `value` holds an image anywhere.
    public static func containsImage(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): return ImageOutput.isImageValue(value) || object.values.contains(where: containsImage)
        case .array(let items): return items.contains(where: containsImage)
        default: return false
        }
    }

    /// A file-name-safe version of an output name or key.
    static func sanitize(_ name: String) -> String {
        var out = ""
        for ch in name {
            if ch == "/" || ch == "\\" || ch == "\0" || ch == ":" { out.append("_") } else { out.append(ch) }
        }
        if out.isEmpty || out == "." || out == ".." { out = "_" + out }
        return out
    }

    static func createParent(of path: String, root: String) throws(InferenceError) {
        let parent = (path as NSString).deletingLastPathComponent
        try createFolder(parent, noLinksBelow: root)
    }
}
