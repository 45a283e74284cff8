import OrderedCollections

/// A detections output: `{"image": {"width", "height"}, "predictions": [...]}` as produced by object
/// detection, template matching, QR/barcode, segmentation and keypoint blocks.
public struct Detections: Codable, Sendable, Equatable {
    /// The size of the image the predictions refer to.
    public var image: ImageSize?
    /// The predictions, in the server's order.
    public var predictions: [Detection]
    /// Which model answered, when the object says (`/infer/*` answers: `inference_id`, `time`; empty for
    /// workflow outputs, whose model step reports its ids as outputs of their own).
    public var model: ModelMetadata

    /// Creates a value.
    public init(image: ImageSize? = nil, predictions: [Detection], model: ModelMetadata = ModelMetadata()) {
        self.image = image
        self.predictions = predictions
        self.model = model
    }

    enum CodingKeys: String, CodingKey {
        case image, predictions
    }

    /// Decodes `image`, `predictions` and the model's metadata beside them.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        image = try c.decodeIfPresent(ImageSize.self, forKey: .image)
        predictions = try c.decode([Detection].self, forKey: .predictions)
        model = try ModelMetadata(from: decoder)
    }

    /// Encodes `image`, `predictions` and the metadata that is set.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(image, forKey: .image)
        try c.encode(predictions, forKey: .predictions)
        try model.encode(to: encoder)
    }
}

/// Width and height in pixels.
public struct ImageSize: Codable, Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a value.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// A 2-D point.
public struct Point: Codable, Sendable, Equatable {
    /// x in pixels.
    public var x: Double
    /// y in pixels.
    public var y: Double
}

/// A keypoint of a keypoint-detection prediction.
public struct Keypoint: Codable, Sendable, Equatable {
    /// x in pixels.
    public var x: Double
    /// y in pixels.
    public var y: Double
    /// Visibility confidence.
    public var confidence: Double?
    /// The keypoint's class name.
    public var className: String?
    /// The keypoint's class id.
    public var classID: Int?

    enum CodingKeys: String, CodingKey {
        case x, y, confidence, className = "class", classID = "class_id"
    }
}

/// One prediction. `x`/`y` are the box centre. Fields the SDK does not model are kept in ``extra``.
public struct Detection: Codable, Sendable, Equatable {
    /// Box centre x.
    public var x: Double
    /// Box centre y.
    public var y: Double
    /// Box width.
    public var width: Double
    /// Box height.
    public var height: Double
    /// Confidence 0...1.
    public var confidence: Double?
    /// `class`: the class name.
    public var className: String?
    /// `class_id`.
    public var classID: Int?
    /// `detection_id`.
    public var detectionID: String?
    /// `parent_id`: the image the prediction was made on.
    public var parentID: String?
    /// Polygon points (segmentation).
    public var points: [Point]?
    /// Keypoints (keypoint detection).
    public var keypoints: [Keypoint]?
    /// `tracker_id` (after a tracker block).
    public var trackerID: Int?
    /// `data`: decoded text of a QR code or barcode.
    public var data: String?
    /// Every other field, as sent.
    public var extra: JSONObject

    /// The box's left edge.
    public var minX: Double { x - width / 2 }
    /// The box's top edge.
    public var minY: Double { y - height / 2 }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case x, y, width, height, confidence, className = "class", classID = "class_id", detectionID = "detection_id"
        case parentID = "parent_id", points, keypoints, trackerID = "tracker_id", data
    }

    /// Creates a prediction.
    public init(
        x: Double, y: Double, width: Double, height: Double, confidence: Double? = nil, className: String? = nil,
        classID: Int? = nil, detectionID: String? = nil, parentID: String? = nil, points: [Point]? = nil,
        keypoints: [Keypoint]? = nil, trackerID: Int? = nil, data: String? = nil, extra: JSONObject = [:]
    ) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.confidence = confidence
        self.className = className
        self.classID = classID
        self.detectionID = detectionID
        self.parentID = parentID
        self.points = points
        self.keypoints = keypoints
        self.trackerID = trackerID
        self.data = data
        self.extra = extra
    }

    /// Decodes the known fields and keeps the rest in ``extra``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        x = try c.decode(Double.self, forKey: .x)
        y = try c.decode(Double.self, forKey: .y)
        width = try c.decode(Double.self, forKey: .width)
        height = try c.decode(Double.self, forKey: .height)
        confidence = try c.decodeIfPresent(Double.self, forKey: .confidence)
        className = try c.decodeIfPresent(String.self, forKey: .className)
        classID = try c.decodeIfPresent(Int.self, forKey: .classID)
        detectionID = try c.decodeIfPresent(String.self, forKey: .detectionID)
        parentID = try c.decodeIfPresent(String.self, forKey: .parentID)
        points = try c.decodeIfPresent([Point].self, forKey: .points)
        keypoints = try c.decodeIfPresent([Keypoint].self, forKey: .keypoints)
        trackerID = try c.decodeIfPresent(Int.self, forKey: .trackerID)
        data = try? c.decodeIfPresent(String.self, forKey: .data)
        let all = try decoder.container(keyedBy: AnyCodingKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        var extra = JSONObject()
        for key in all.allKeys where !known.contains(key.stringValue) {
            extra[key.stringValue] = try all.decode(JSONValue.self, forKey: key)
        }
        if data == nil, let raw = try? all.decodeIfPresent(JSONValue.self, forKey: AnyCodingKey("data")), !raw.isNull {
            extra["data"] = raw
        }
        self.extra = extra
    }

    /// Encodes the known fields and ``extra``.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(x, forKey: .x)
        try c.encode(y, forKey: .y)
        try c.encode(width, forKey: .width)
        try c.encode(height, forKey: .height)
        try c.encodeIfPresent(confidence, forKey: .confidence)
        try c.encodeIfPresent(className, forKey: .className)
        try c.encodeIfPresent(classID, forKey: .classID)
        try c.encodeIfPresent(detectionID, forKey: .detectionID)
        try c.encodeIfPresent(parentID, forKey: .parentID)
        try c.encodeIfPresent(points, forKey: .points)
        try c.encodeIfPresent(keypoints, forKey: .keypoints)
        try c.encodeIfPresent(trackerID, forKey: .trackerID)
        try c.encodeIfPresent(data, forKey: .data)
        var rest = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, value) in extra { try rest.encode(value, forKey: AnyCodingKey(key)) }
    }
}
