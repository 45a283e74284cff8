/// Typed reads for generated ``TypedWorkflowOutputs``.
extension WorkflowOutput {
    /// The output `name` decoded by `decoder`: `nil` when the output is absent or `null` (a skipped step); a present
    /// value that does not fit is `.invalidResponse` naming the output, the expected kind and what arrived.
    ///
    /// ```swift
    /// predictions = try output.value("predictions", .detections)
    /// crops = try output.value("crops", .list(.image))
    /// ```
    public func value<Value>(_ name: String, _ decoder: OutputDecoder<Value>) throws(InferenceError) -> Value? {
        guard let value = fields[name], !value.isNull else { return nil }
        return try decoder.decode(value, name: name)
    }
}
