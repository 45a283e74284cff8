import InferenceSDK
import Foundation

/// Streams the image files under a folder in a stable order (names sorted within each folder, files before
/// subfolders), one folder's listing in memory at a time — never the whole tree.
public struct ImageFileWalker: Sequence, Sendable {
    /// File extensions taken as images (lower case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "gif"]

    /// The folder walked.
    public var root: String
    /// Descend into subfolders.
    public var recursive: Bool
    /// Only paths (relative to `root`) matching this `fnmatch` pattern; matched against the relative path and the file name.
    public var glob: String?
    /// Absolute paths of folders to skip (e.g. the output folder when it lies inside the input).
    public var excluded: Set<String>
    /// Only the images of this share of the folder (by relative path); `nil` for all.
    public var shard: DirectoryShard?

    /// Creates a walker.
    public init(root: String, recursive: Bool = false, glob: String? = nil, excluded: Set<String> = []) {
        self.root = root
        self.recursive = recursive
        self.glob = glob
        self.excluded = excluded
    }

    /// Iterates relative paths.
    public struct Iterator: IteratorProtocol {
        let walker: ImageFileWalker
        var pendingFolders: [String] = [""]
        var currentFiles: [String] = []
        var index = 0

        /// The next image file's path relative to the root.
        public mutating func next() -> String? {
            while true {
                if index < currentFiles.count {
                    defer { index += 1 }
                    return currentFiles[index]
                }
                guard !pendingFolders.isEmpty else { return nil }
                let folder = pendingFolders.removeFirst()
                let (files, folders) = walker.list(folder)
                currentFiles = files
                index = 0
                if walker.recursive { pendingFolders.insert(contentsOf: folders, at: 0) }
            }
        }
    }

    /// Starts iterating.
    public func makeIterator() -> Iterator { Iterator(walker: self) }

    /// Counts the images without keeping their names.
    public func count() -> Int {
        var n = 0
        var iterator = makeIterator()
        while iterator.next() != nil { n += 1 }
        return n
    }

    func list(_ relativeFolder: String) -> (files: [String], folders: [String]) {
        let absolute = relativeFolder.isEmpty ? root : root + "/" + relativeFolder
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { return ([], []) }
        var files: [String] = []
        var folders: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let relative = relativeFolder.isEmpty ? name : relativeFolder + "/" + name
            let full = absolute + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let resolved = URL(fileURLWithPath: full).standardizedFileURL.path
                if !excluded.contains(resolved) { folders.append(relative) }
                continue
            }
            let ext = (name as NSString).pathExtension.lowercased()
            guard Self.imageExtensions.contains(ext) else { continue }
            if let glob, fnmatch(glob, relative, 0) != 0, fnmatch(glob, name, 0) != 0 { continue }
            if let shard, !shard.contains(relativePath: relative) { continue }
            files.append(relative)
        }
        return (files, folders)
    }
}
