/// A classification result: single-label (one `top` class) or multi-label (every class above the model's threshold),
/// as the server's `classification_prediction` kind describes it — from a workflow's classification step or from
/// `/infer/classification`.
///
/// Both forms read the same way: ``predictions`` lists every class with its confidence (highest first),
/// ``predictedClasses`` the classes the model chose (single-label: the top one).
///
/// ```swift
/// let result = try output.classification("predictions")
/// print(result?.top ?? "-", result?.confidence ?? 0)        // single-label
/// print(result?.predictedClasses ?? [])                      // either form
/// ```
public struct Classification: Codable, Sendable, Equatable {
    /// One class and the confidence the model gave it.
    public struct ClassScore: Codable, Sendable, Equatable {
        /// The class name.
        public var className: String
        /// The class's index in the model's class list, when sent.
        public var classID: Int?
        /// The model's confidence, 0…1.
        public var confidence: Double

        /// A class score.
        public init(className: String, classID: Int? = nil, confidence: Double) {
            self.className = className
            self.classID = classID
            self.confidence = confidence
        }

        enum CodingKeys: String, CodingKey {
            case className = "class", classID = "class_id", confidence
        }
    }

    /// Whether the model is multi-label (the server sent `predicted_classes` and scores keyed by class).
    public var isMultiLabel: Bool
    /// Every class with its confidence, highest first (ties in class-id order).
    public var predictions: [ClassScore]
    /// The classes the model chose: for a multi-label model those above its threshold, in the server's order; for a
    /// single-label one the top class.
    public var predictedClasses: [String]
    /// Single-label: the top class (`nil` for multi-label results).
    public var top: String?
    /// Single-label: the top class's confidence (`nil` for multi-label results).
    public var confidence: Double?
    /// The size of the image classified, when sent.
    public var image: ImageSize?
    /// Which model answered, and how long it took.
    public var model: ModelMetadata
    /// Every other field, as sent.
    public var extra: JSONObject

    /// A single-label result, for tests and builders.
    public init(top: String, confidence: Double, predictions: [ClassScore], image: ImageSize? = nil, model: ModelMetadata = ModelMetadata()) {
        self.isMultiLabel = false
        self.predictions = predictions
        self.predictedClasses = [top]
        self.top = top
        self.confidence = confidence
        self.image = image
        self.model = model
        self.extra = [:]
    }

    /// A multi-label result, for tests and builders.
    public init(predictedClasses: [String], predictions: [ClassScore], image: ImageSize? = nil, model: ModelMetadata = ModelMetadata()) {
        self.isMultiLabel = true
        self.predictions = predictions
        self.predictedClasses = predictedClasses
        self.top = nil
        self.confidence = nil
        self.image = image
        self.model = model
        self.extra = [:]
    }

    /// The confidence of `className`, `nil` when the result does not list it.
    public func confidence(of className: String) -> Double? {
        predictions.first { $0.className == className }?.confidence
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case predictions, predictedClasses = "predicted_classes", top, confidence, image
    }

    /// Decodes either form; the model's metadata from the same object; the rest into ``extra``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try c.decode(JSONValue.self, forKey: .predictions)
        switch raw {
        case .array:
            isMultiLabel = false
            predictions = try c.decode([ClassScore].self, forKey: .predictions)
            top = try c.decodeIfPresent(String.self, forKey: .top) ?? predictions.max { $0.confidence < $1.confidence }?.className
            confidence = try c.decodeIfPresent(Double.self, forKey: .confidence)
            predictedClasses = try c.decodeIfPresent([String].self, forKey: .predictedClasses) ?? top.map { [$0] } ?? []
        case .object(let scores):
            isMultiLabel = true
            var list: [ClassScore] = []
            for (name, value) in scores {
                guard case .object(let fields) = value, let score = fields["confidence"]?.doubleValue else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .predictions, in: c, debugDescription: "class '\(name)' has no numeric confidence")
                }
                list.append(ClassScore(className: name, classID: fields["class_id"]?.intValue, confidence: score))
            }
            predictions = list
            predictedClasses = try c.decodeIfPresent([String].self, forKey: .predictedClasses) ?? []
            top = try c.decodeIfPresent(String.self, forKey: .top)
            confidence = try c.decodeIfPresent(Double.self, forKey: .confidence)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .predictions, in: c, debugDescription: "'predictions' is \(raw.typeName), not a list or an object of class scores")
        }
        predictions.sort { ($0.confidence, -($0.classID ?? 0)) > ($1.confidence, -($1.classID ?? 0)) }
        image = try c.decodeIfPresent(ImageSize.self, forKey: .image)
        model = try ModelMetadata(from: decoder)
        let all = try decoder.container(keyedBy: AnyCodingKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue)).union(ModelMetadata.CodingKeys.allCases.map(\.rawValue))
        var extra = JSONObject()
        for key in all.allKeys where !known.contains(key.stringValue) {
            extra[key.stringValue] = try all.decode(JSONValue.self, forKey: key)
        }
        self.extra = extra
    }

    /// Encodes the server's form back (a list for single-label, an object keyed by class for multi-label).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if isMultiLabel {
            var scores = JSONObject()
            for score in predictions {
                var fields: JSONObject = ["confidence": .double(score.confidence)]
                if let id = score.classID { fields["class_id"] = .int(id) }
                scores[score.className] = .object(fields)
            }
            try c.encode(JSONValue.object(scores), forKey: .predictions)
            try c.encode(predictedClasses, forKey: .predictedClasses)
        } else {
            try c.encode(predictions, forKey: .predictions)
        }
        try c.encodeIfPresent(top, forKey: .top)
        try c.encodeIfPresent(confidence, forKey: .confidence)
        try c.encodeIfPresent(image, forKey: .image)
        try model.encode(to: encoder)
        var rest = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, value) in extra { try rest.encode(value, forKey: AnyCodingKey(key)) }
    }
}

/// What a model's answer says about the model and the request: ids and timing. Fields the server did not send are
/// `nil`.
public struct ModelMetadata: Codable, Sendable, Equatable {
    /// The server's id for this inference (`inference_id`).
    public var inferenceID: String?
    /// The model id as requested (`model_id`).
    public var modelID: String?
    /// The model the server resolved the id to (`resolved_model`: `model_id`, package, backend, quantization).
    public var resolvedModel: JSONValue?
    /// Seconds the server spent (`time`).
    public var time: Double?
    /// The kind of prediction (`prediction_type`, e.g. `classification`).
    public var predictionType: String?
    /// The detection or image this result belongs to (`parent_id`; a crop's parent detection).
    public var parentID: String?
    /// The original image of a chain of crops (`root_parent_id`).
    public var rootParentID: String?

    /// Metadata with the given fields; every argument defaults to none.
    public init(
        inferenceID: String? = nil, modelID: String? = nil, resolvedModel: JSONValue? = nil, time: Double? = nil,
        predictionType: String? = nil, parentID: String? = nil, rootParentID: String? = nil
    ) {
        self.inferenceID = inferenceID
        self.modelID = modelID
        self.resolvedModel = resolvedModel
        self.time = time
        self.predictionType = predictionType
        self.parentID = parentID
        self.rootParentID = rootParentID
    }

    /// Whether no field was sent.
    public var isEmpty: Bool { self == ModelMetadata() }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case inferenceID = "inference_id", modelID = "model_id", resolvedModel = "resolved_model", time
        case predictionType = "prediction_type", parentID = "parent_id", rootParentID = "root_parent_id"
    }

    /// Reads the fields from a result object; a field of another type than documented is skipped, not an error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inferenceID = try? c.decodeIfPresent(String.self, forKey: .inferenceID)
        modelID = try? c.decodeIfPresent(String.self, forKey: .modelID)
        resolvedModel = try? c.decodeIfPresent(JSONValue.self, forKey: .resolvedModel)
        time = try? c.decodeIfPresent(Double.self, forKey: .time)
        predictionType = try? c.decodeIfPresent(String.self, forKey: .predictionType)
        parentID = try? c.decodeIfPresent(String.self, forKey: .parentID)
        rootParentID = try? c.decodeIfPresent(String.self, forKey: .rootParentID)
    }

    /// Writes the fields that are set.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(inferenceID, forKey: .inferenceID)
        try c.encodeIfPresent(modelID, forKey: .modelID)
        try c.encodeIfPresent(resolvedModel, forKey: .resolvedModel)
        try c.encodeIfPresent(time, forKey: .time)
        try c.encodeIfPresent(predictionType, forKey: .predictionType)
        try c.encodeIfPresent(parentID, forKey: .parentID)
        try c.encodeIfPresent(rootParentID, forKey: .rootParentID)
    }
}
