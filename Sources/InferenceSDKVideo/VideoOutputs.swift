import Foundation
import InferenceJobs
import InferenceSDK

/// `--save-video`: one MP4 per top-level image output (`OUT/<output>.mp4`), every processed frame in order at the
/// processed frame rate. Outputs that are lists of images (crops) are not videos: noted once, not saved.
/// With `keepExisting` (a resumed run) a video that is already there is never written over: this run's frames go to
/// the first free name of `<output>.mp4`, `<output>.2.mp4`, `<output>.3.mp4`, …
struct VideoOutputs {
    let directory: String
    let fps: Double
    let keepExisting: Bool
    private(set) var notes: [String] = []
    private var writers: [String: VideoFileWriter] = [:]
    private var files: [String: String] = [:]
    private var order: [String] = []
    private var notVideos = Set<String>()

    init(directory: String, fps: Double, keepExisting: Bool = false) {
        self.directory = directory
        self.fps = fps
        self.keepExisting = keepExisting
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
            if writers[name] == nil {
                let file = keepExisting ? Self.freeFileName(name, in: directory) : Self.fileName(name)
                writers[name] = try VideoFileWriter(path: directory + "/" + file, width: pixels.width, height: pixels.height, fps: fps)
                files[name] = file
                order.append(name)
            }
            try writers[name]?.append(pixels)
            paths[name] = files[name]
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

    /// `<output>.mp4`, or `<output>.N.mp4` with the smallest N ≥ 2 that names no file yet.
    static func freeFileName(_ output: String, in directory: String) -> String {
        let base = fileName(output)
        if access(directory + "/" + base, F_OK) != 0 { return base }
        let stem = String(base.dropLast(4))
        var n = 2
        while access(directory + "/\(stem).\(n).mp4", F_OK) == 0 { n += 1 }
        return "\(stem).\(n).mp4"
    }

    static func fileName(_ output: String) -> String {
        var out = ""
        for ch in output { out.append(ch == "/" || ch == "\\" || ch == "\0" || ch == ":" ? "_" : ch) }
        if out.isEmpty || out.hasPrefix(".") { out = "_" + out }
        return out + ".mp4"
    }
}
