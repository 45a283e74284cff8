/// How many outputs the server answers for a batch, read from an inline definition.
///
/// The 1.8.3 execution engine answers one output per top-level element of the input batch when at least one workflow
/// output derives from a batch-oriented input (images, `WorkflowBatchInput`, `WorkflowVideoMetadata`); when none does
/// (no outputs, only parameters, steps fed by parameters alone) it answers exactly one output, whatever the number of
/// images (`construct_workflow_output`: `return [non_batch_outputs]`). Which case a definition is in follows from its
/// selectors: an output is per element when its selector reaches a batch-oriented input through `$inputs.…` and
/// `$steps.…` references.
extension WorkflowSpecification {
    /// Input types whose values are not batches (every other declared type is taken as batch-oriented).
    static let nonBatchInputTypes: Set<String> = ["WorkflowParameter", "InferenceParameter"]

    /// Whether some output of the definition `json` is per batch element (false: the server answers one output for
    /// the whole request). Undecidable references (an unknown input type, a selector naming nothing declared) count as
    /// per element, so a doubtful definition is held to one output per element.
    static func perElementOutputs(in json: JSONObject) -> Bool {
        var batchInputs: Set<String> = []
        for input in json["inputs"]?.arrayValue ?? [] {
            guard let name = input["name"]?.stringValue else { continue }
            if !Self.nonBatchInputTypes.contains(input["type"]?.stringValue ?? "") { batchInputs.insert(name) }
        }
        var stepReferences: [String: (inputs: Set<String>, steps: Set<String>)] = [:]
        for step in json["steps"]?.arrayValue ?? [] {
            guard let name = step["name"]?.stringValue else { return true }
            var references: (inputs: Set<String>, steps: Set<String>) = ([], [])
            collectReferences(in: step, into: &references)
            stepReferences[name] = references
        }
        // Steps fed (directly or through other steps) by a batch-oriented input, to a fixed point.
        var perElementSteps: Set<String> = []
        var changed = true
        while changed {
            changed = false
            for (name, references) in stepReferences where !perElementSteps.contains(name) {
                let fed = !references.inputs.isDisjoint(with: batchInputs) || !references.steps.isDisjoint(with: perElementSteps)
                    || !references.steps.isSubset(of: Set(stepReferences.keys))
                if fed {
                    perElementSteps.insert(name)
                    changed = true
                }
            }
        }
        for output in json["outputs"]?.arrayValue ?? [] {
            var references: (inputs: Set<String>, steps: Set<String>) = ([], [])
            collectReferences(in: output["selector"] ?? .null, into: &references)
            if !references.inputs.isDisjoint(with: batchInputs) || !references.steps.isDisjoint(with: perElementSteps) { return true }
            let declaredInputs = Set((json["inputs"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
            if !references.inputs.isSubset(of: declaredInputs) || !references.steps.isSubset(of: Set(stepReferences.keys)) { return true }
        }
        return false
    }

    /// The input and step names that `$inputs.NAME…` and `$steps.NAME…` selectors anywhere in `value` refer to.
    static func collectReferences(in value: JSONValue, into references: inout (inputs: Set<String>, steps: Set<String>)) {
        switch value {
        case .string(let text):
            if let name = selectorName(text, prefix: "$inputs.") { references.inputs.insert(name) }
            if let name = selectorName(text, prefix: "$steps.") { references.steps.insert(name) }
        case .array(let items):
            for item in items { collectReferences(in: item, into: &references) }
        case .object(let object):
            for (_, item) in object { collectReferences(in: item, into: &references) }
        default:
            break
        }
    }

    /// `NAME` of a `PREFIXNAME` or `PREFIXNAME.rest` selector.
    static func selectorName(_ text: String, prefix: String) -> String? {
        guard text.hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        let name = rest.prefix { $0 != "." }
        return name.isEmpty ? nil : String(name)
    }
}
