import InferenceSDK

/// `--save-video`: one MP4 per top-level image output.
struct VideoOutputs {
    let directory: String
    let fps: Double
    private(set) var notes: [String] = []

    init(directory: String, fps: Double) {
        self.directory = directory
        self.fps = fps
    }

    /// Adds the frame's image outputs to their videos; returns output name → MP4 file name.
    mutating func append(_ output: WorkflowOutput) throws(InferenceError) -> [String: String] { [:] }

    /// Closes the videos; returns their paths.
    mutating func finish() throws(InferenceError) -> [String] { [] }
}
