import InferenceSDK
import Foundation

/// Streams the image files under a folder in a stable order (names sorted within each folder, files before
/// subfolders), one folder's listing in memory at a time — never the whole tree.
///
/// Symbolic links are skipped unless ``followSymlinks`` is set; then a link is followed only when its target lies
/// inside the folder's real path (a link to `/` or to another tree is skipped), a folder reached again (`loop -> .`)
/// is not walked twice, and each real file is listed once, whatever the paths that lead to it.
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
    /// Follow symbolic links that stay inside the folder. Default `false`: links are skipped.
    public var followSymlinks: Bool

    /// Creates a walker.
    public init(
        root: String, recursive: Bool = false, glob: String? = nil, excluded: Set<String> = [], shard: DirectoryShard? = nil,
        followSymlinks: Bool = false
    ) {
        self.root = root
        self.recursive = recursive
        self.glob = glob
        self.excluded = excluded
        self.shard = shard
        self.followSymlinks = followSymlinks
    }

    /// Iterates relative paths.
    public struct Iterator: IteratorProtocol {
        let walker: ImageFileWalker
        var pendingFolders: [String] = [""]
        var currentFiles: [String] = []
        var index = 0
        /// With ``ImageFileWalker/followSymlinks``: the real paths of the folders walked and files listed.
        var seen = SeenPaths()

        /// The next image file's path relative to the root.
        public mutating func next() -> String? {
            while true {
                if index < currentFiles.count {
                    defer { index += 1 }
                    return currentFiles[index]
                }
                guard !pendingFolders.isEmpty else { return nil }
                let folder = pendingFolders.removeFirst()
                let (files, folders) = walker.list(folder, seen: &seen)
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

    /// What one iteration keeps: the excluded folders' real paths (resolved once), and the real paths already walked
    /// or listed (only while following links).
    struct SeenPaths {
        var excluded: Set<String>?
        var root: String?
        var folders = Set<String>()
        var files = Set<String>()
    }

    /// The real path (every link resolved), or `nil` when it cannot be resolved.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    func list(_ relativeFolder: String, seen: inout SeenPaths) -> (files: [String], folders: [String]) {
        let absolute = relativeFolder.isEmpty ? root : root + "/" + relativeFolder
        if followSymlinks {
            // A folder reached twice (a link loop, two links to one folder) is walked once.
            guard let real = Self.realPath(absolute), seen.folders.insert(real).inserted else { return ([], []) }
            if seen.root == nil { seen.root = real }
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { return ([], []) }
        if seen.excluded == nil { seen.excluded = Set(excluded.map { Self.realPath($0) ?? $0 }) }
        let excludedReal = seen.excluded ?? []
        var files: [String] = []
        var folders: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let relative = relativeFolder.isEmpty ? name : relativeFolder + "/" + name
            let full = absolute + "/" + name
            var st = stat()
            guard lstat(full, &st) == 0 else { continue }
            var type = st.st_mode & mode_t(S_IFMT)
            var real: String?
            if type == mode_t(S_IFLNK) {
                // Followed only when asked, and only to a target inside the folder's real path.
                guard followSymlinks, let target = Self.realPath(full), let root = seen.root,
                      target == root || target.hasPrefix(root + "/"), stat(target, &st) == 0
                else { continue }
                real = target
                type = st.st_mode & mode_t(S_IFMT)
            }
            if type == mode_t(S_IFDIR) {
                let resolved = real ?? Self.realPath(full) ?? URL(fileURLWithPath: full).standardizedFileURL.path
                if !excludedReal.contains(resolved) { folders.append(relative) }
                continue
            }
            guard type == mode_t(S_IFREG) else { continue }
            let ext = (name as NSString).pathExtension.lowercased()
            guard Self.imageExtensions.contains(ext) else { continue }
            if let glob, fnmatch(glob, relative, 0) != 0, fnmatch(glob, name, 0) != 0 { continue }
            if let shard, !shard.contains(relativePath: relative) { continue }
            if followSymlinks {
                // Each real file once, whichever path reached it first.
                guard let file = real ?? Self.realPath(full), seen.files.insert(file).inserted else { continue }
            }
            files.append(relative)
        }
        return (files, folders)
    }
}
