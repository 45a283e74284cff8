import InferenceSDK

/// `--save-video`: one MP4 per top-level image output (`OUT/<output>.mp4`), every processed frame in order at the
/// processed frame rate. Outputs that are lists of images (crops) are not videos: noted once, not saved.
struct VideoOutputs {
    let directory: String
    let fps: Double
    private(set) var notes: [String] = []
    private var writers: [String: VideoFileWriter] = [:]
    private var order: [String] = []
    private var notVideos = Set<String>()

    init(directory: String, fps: Double) {
        self.directory = directory
        self.fps = fps
    }

    /// Adds the frame's image outputs to their videos; returns output name → MP4 file name.
    mutating func append(_ output: WorkflowOutput) throws(InferenceError) -> [String: String] {
        var paths: [String: String] = [:]
        for (name, value) in output.fields {
            guard ImageOutput.isImageValue(value) else {
                if OutputImageSaver.containsImage(value) && !notVideos.contains(name) {
                    notVideos.insert(name)
                    notes.append("output '\(name)' holds a list of images (crops), not one image per frame: not saved as video")
                }
                continue
            }
            let image = try ImageOutput(value, name: name)
            let pixels = try image.decodePixels(to: .rgb8)
            let file = Self.fileName(name)
            if writers[name] == nil {
                writers[name] = try VideoFileWriter(path: directory + "/" + file, width: pixels.width, height: pixels.height, fps: fps)
                order.append(name)
            }
            try writers[name]?.append(pixels)
            paths[name] = file
        }
        return paths
    }

    /// Closes the videos; returns their paths.
    mutating func finish() throws(InferenceError) -> [String] {
        var written: [String] = []
        for name in order {
            guard let writer = writers[name] else { continue }
            try writer.finish()
            written.append(writer.path)
        }
        writers = [:]
        return written
    }

    static func fileName(_ output: String) -> String {
        var out = ""
        for ch in output { out.append(ch == "/" || ch == "\\" || ch == "\0" || ch == ":" ? "_" : ch) }
        if out.isEmpty || out.hasPrefix(".") { out = "_" + out }
        return out + ".mp4"
    }
}
