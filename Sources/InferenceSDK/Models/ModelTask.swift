/// The model tasks the server's `/infer/{task}` routes serve, with the route each one takes.
public enum ModelTask: String, Sendable, CaseIterable, Codable {
    /// Boxes with classes: `POST /infer/object_detection`.
    case objectDetection = "object_detection"
    /// Boxes with polygon masks (`points`): `POST /infer/instance_segmentation`.
    case instanceSegmentation = "instance_segmentation"
    /// Boxes with `keypoints`: `POST /infer/keypoints_detection`.
    case keypointsDetection = "keypoints_detection"
    /// Single- or multi-label classes for the whole image: `POST /infer/classification`.
    case classification

    /// The route path.
    public var path: String { "/infer/" + rawValue }

    /// Whether answers are detections (``Detections``) rather than a ``Classification``.
    public var isDetection: Bool { self != .classification }

    /// The task for a model registry's `task_type` (`object-detection`, `instance-segmentation`,
    /// `keypoint-detection`, `classification`, `multi-label-classification`), or for this enum's own raw value;
    /// `nil` for a task `/infer/{task}` does not serve.
    public init?(taskType: String) {
        switch taskType.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "object_detection": self = .objectDetection
        case "instance_segmentation": self = .instanceSegmentation
        case "keypoint_detection", "keypoints_detection": self = .keypointsDetection
        case "classification", "multi_label_classification", "multilabel_classification": self = .classification
        default: return nil
        }
    }
}
