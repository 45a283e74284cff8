/// The outputs of a workflow for one batch element: output name → value.
///
/// The raw JSON stays reachable (``raw``, ``fields``, subscript); typed accessors decode images,
/// detections and scalars on demand and throw ``InferenceError`` (kind `.invalidResponse`) when a value
/// is not of the asked type.
public struct WorkflowOutput: Sendable {
    /// The output values by name, in the server's order.
    public var fields: JSONObject

    /// Creates an output from its fields.
    public init(fields: JSONObject) { self.fields = fields }

    /// The output as a JSON object.
    public var raw: JSONValue { .object(fields) }

    /// The output names, in the server's order.
    public var names: [String] { Array(fields.keys) }

    /// The raw value of an output (`nil` when absent; `.null` when the step was skipped).
    public subscript(name: String) -> JSONValue? { fields[name] }

    /// An image output; `nil` when absent or `null`.
    public func image(_ name: String) throws(InferenceError) -> ImageOutput? {
        guard let value = fields[name], !value.isNull else { return nil }
        return try ImageOutput(value, name: name)
    }

    /// A list of images (crops, slices); `nil` elements stand for `null`. Throws if the value is not a list of images.
    public func images(_ name: String) throws(InferenceError) -> [ImageOutput?] {
        guard let value = fields[name], !value.isNull else { return [] }
        guard case .array(let items) = value else {
            throw InferenceError(.invalidResponse, "output '\(name)' is \(value.typeName), not a list of images")
        }
        var images: [ImageOutput?] = []
        images.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            images.append(item.isNull ? nil : try ImageOutput(item, name: "\(name)[\(i)]"))
        }
        return images
    }

    /// Detections (object detection, template matching, QR/barcode, segmentation with `points`, keypoints with
    /// `keypoints`); `nil` when absent or `null`.
    public func detections(_ name: String) throws(InferenceError) -> Detections? {
        guard let value = fields[name], !value.isNull else { return nil }
        return try decode(name, as: Detections.self)
    }

    /// A classification (single- or multi-label, ``Classification``); `nil` when absent or `null`.
    public func classification(_ name: String) throws(InferenceError) -> Classification? {
        guard let value = fields[name], !value.isNull else { return nil }
        return try decode(name, as: Classification.self)
    }

    /// A list of classifications, one per crop (a classifier after `dynamic_crop`); `nil` elements stand for `null`.
    public func classifications(_ name: String) throws(InferenceError) -> [Classification?] {
        guard let value = fields[name], !value.isNull else { return [] }
        guard case .array(let items) = value else {
            if case .object = value { return [try classification(name)] }
            throw InferenceError(.invalidResponse, "output '\(name)' is \(value.typeName), not a list of classifications")
        }
        var results: [Classification?] = []
        for (index, item) in items.enumerated() {
            if item.isNull { results.append(nil); continue }
            do {
                results.append(try item.decode(as: Classification.self))
            } catch {
                throw InferenceError(.invalidResponse, "output '\(name)[\(index)]' is not a Classification: \(error.message)", underlying: error.underlying)
            }
        }
        return results
    }

    /// Decodes an output into any `Decodable` type.
    public func decode<T: Decodable>(_ name: String, as type: T.Type = T.self) throws(InferenceError) -> T {
        guard let value = fields[name] else {
            throw InferenceError(.invalidResponse, "no output named '\(name)' (outputs: \(names.joined(separator: ", ")))")
        }
        do {
            return try value.decode(as: T.self)
        } catch {
            throw InferenceError(
                .invalidResponse, "output '\(name)' is not a \(T.self): \(error.underlying.map { "\($0)" } ?? error.message)",
                underlying: error.underlying)
        }
    }

    /// A string output.
    public func string(_ name: String) -> String? { fields[name]?.stringValue }
    /// An integer output.
    public func int(_ name: String) -> Int? { fields[name]?.intValue }
    /// A numeric output.
    public func double(_ name: String) -> Double? { fields[name]?.doubleValue }
    /// A boolean output.
    public func bool(_ name: String) -> Bool? { fields[name]?.boolValue }
}
