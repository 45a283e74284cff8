/// Settings of a direct model call (`InferenceHTTPClient.infer(_:model:task:options:)`): the fields the Python
/// SDK's `InferenceConfiguration` sends for each task, under the server's names. `nil` leaves the server's default.
public struct ModelInferenceOptions: Sendable, Equatable {
    /// Minimum confidence of a prediction (`confidence`), 0…1.
    public var confidence: Double?
    /// IoU above which overlapping boxes are merged by NMS (`iou_threshold`), 0…1. Detection tasks.
    public var iouThreshold: Double?
    /// Only these classes (`class_filter`). Detection tasks.
    public var classFilter: [String]?
    /// NMS across classes (`class_agnostic_nms`). Detection tasks.
    public var classAgnosticNMS: Bool?
    /// At most this many predictions per image (`max_detections`). Detection tasks.
    public var maxDetections: Int?
    /// Candidates considered by NMS (`max_candidates`). Detection tasks.
    public var maxCandidates: Int?
    /// Minimum keypoint confidence (`keypoint_confidence`). Keypoint detection.
    public var keypointConfidence: Double?
    /// Mask decoding: `accurate`, `fast` or `tradeoff` (`mask_decode_mode`). Instance segmentation.
    public var maskDecodeMode: String?
    /// The balance for `tradeoff` decoding (`tradeoff_factor`), 0…1. Instance segmentation.
    public var tradeoffFactor: Double?
    /// Skip the model's own preprocessing steps (`disable_preproc_auto_orient`, `…_contrast`, `…_grayscale`,
    /// `…_static_crop`) when `true`.
    public var disablePreprocessing: Set<Preprocessing>
    /// Keep these images out of active learning (`disable_active_learning`).
    public var disableActiveLearning: Bool?
    /// Images per request: a longer list is split into requests of this many, sent concurrently (at most
    /// ``InferenceClientConfiguration/maxConcurrentRequests`` at once) and merged in order. Default `nil`: one
    /// request.
    public var maxBatchSize: Int?
    /// Any other field of the server's request, by its wire name (an explicit option above wins).
    public var extra: [String: JSONValue]

    /// A preprocessing step a model applies unless told not to.
    public enum Preprocessing: String, Sendable, CaseIterable, Hashable {
        /// EXIF orientation (`disable_preproc_auto_orient`).
        case autoOrient = "auto_orient"
        /// Contrast adjustment (`disable_preproc_contrast`).
        case contrast
        /// Greyscale conversion (`disable_preproc_grayscale`).
        case grayscale
        /// Static crop (`disable_preproc_static_crop`).
        case staticCrop = "static_crop"
    }

    /// Options; every argument defaults to the server's default.
    public init(
        confidence: Double? = nil, iouThreshold: Double? = nil, classFilter: [String]? = nil, classAgnosticNMS: Bool? = nil,
        maxDetections: Int? = nil, maxCandidates: Int? = nil, keypointConfidence: Double? = nil, maskDecodeMode: String? = nil,
        tradeoffFactor: Double? = nil, disablePreprocessing: Set<Preprocessing> = [], disableActiveLearning: Bool? = nil,
        maxBatchSize: Int? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.confidence = confidence
        self.iouThreshold = iouThreshold
        self.classFilter = classFilter
        self.classAgnosticNMS = classAgnosticNMS
        self.maxDetections = maxDetections
        self.maxCandidates = maxCandidates
        self.keypointConfidence = keypointConfidence
        self.maskDecodeMode = maskDecodeMode
        self.tradeoffFactor = tradeoffFactor
        self.disablePreprocessing = disablePreprocessing
        self.disableActiveLearning = disableActiveLearning
        self.maxBatchSize = maxBatchSize
        self.extra = extra
    }

    /// Checks the values before anything is sent: names the option and the cause.
    func validate() throws(InferenceError) {
        func unit(_ value: Double?, _ name: String) throws(InferenceError) {
            if let value, !(0...1).contains(value) {
                throw InferenceError(.invalidInput, "\(name) must be between 0 and 1, got \(value)", input: name)
            }
        }
        try unit(confidence, "confidence")
        try unit(iouThreshold, "iou_threshold")
        try unit(keypointConfidence, "keypoint_confidence")
        try unit(tradeoffFactor, "tradeoff_factor")
        for (value, name) in [(maxDetections, "max_detections"), (maxCandidates, "max_candidates"), (maxBatchSize, "max_batch_size")] {
            if let value, value < 1 { throw InferenceError(.invalidInput, "\(name) must be 1 or more, got \(value)", input: name) }
        }
        if let mode = maskDecodeMode, !["accurate", "fast", "tradeoff"].contains(mode) {
            throw InferenceError(.invalidInput, "mask_decode_mode must be accurate, fast or tradeoff, got '\(mode)'", input: "mask_decode_mode")
        }
    }

    /// The fields for `task`, in a stable order (those that do not apply to it are left out, as the Python SDK does).
    func fields(for task: ModelTask) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = []
        func add(_ name: String, _ value: JSONValue?) {
            if let value { fields.append((name, value)) }
        }
        for step in Preprocessing.allCases where disablePreprocessing.contains(step) {
            add("disable_preproc_" + step.rawValue, .bool(true))
        }
        add("confidence", confidence.map(JSONValue.double))
        if task.isDetection {
            add("class_agnostic_nms", classAgnosticNMS.map(JSONValue.bool))
            add("class_filter", classFilter.map { .array($0.map(JSONValue.string)) })
            add("iou_threshold", iouThreshold.map(JSONValue.double))
            add("max_detections", maxDetections.map(JSONValue.int))
            add("max_candidates", maxCandidates.map(JSONValue.int))
        }
        if task == .keypointsDetection { add("keypoint_confidence", keypointConfidence.map(JSONValue.double)) }
        if task == .instanceSegmentation {
            add("mask_decode_mode", maskDecodeMode.map(JSONValue.string))
            add("tradeoff_factor", tradeoffFactor.map(JSONValue.double))
        }
        add("disable_active_learning", disableActiveLearning.map(JSONValue.bool))
        let named = Set(fields.map(\.0))
        for name in extra.keys.sorted() where !named.contains(name) {
            if let value = extra[name] { fields.append((name, value)) }
        }
        return fields
    }
}
