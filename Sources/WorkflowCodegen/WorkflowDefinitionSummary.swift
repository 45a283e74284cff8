/// What the generator reads from a workflow definition: its inputs (in order, with their types and whether they have a
/// default) and its output names in order.
public struct WorkflowDefinitionSummary: Sendable, Equatable {
    /// One declared input.
    public struct Input: Sendable, Equatable {
        /// The wire name.
        public var name: String
        /// The declared type: `WorkflowImage`, `WorkflowParameter`, `WorkflowBatchInput`, ….
        public var type: String
        /// Whether it declares a `default_value`.
        public var hasDefault: Bool
        /// `kind` as declared, when it is (`WorkflowBatchInput` declares it).
        public var kinds: [String]

        /// Whether the SDK sends it as an image: `WorkflowImage`/`InferenceImage`, or a batch input of kind `image`.
        public var isImage: Bool {
            type == "WorkflowImage" || type == "InferenceImage" || (type == "WorkflowBatchInput" && kinds.contains("image"))
        }
    }

    /// The inputs, in the definition's order.
    public var inputs: [Input]
    /// The output names, in the definition's order.
    public var outputNames: [String]

    /// Reads a definition; throws when it has no `inputs` or `outputs` array.
    public init(_ definition: CodegenJSON) throws(CodegenError) {
        guard let inputs = definition["inputs"]?.arrayValue, let outputs = definition["outputs"]?.arrayValue else {
            throw CodegenError("the workflow definition has no \"inputs\" and \"outputs\" arrays")
        }
        self.inputs = inputs.compactMap { input in
            guard let name = input["name"]?.stringValue else { return nil }
            let kinds = (input["kind"]?.arrayValue ?? []).compactMap { $0.stringValue ?? $0["name"]?.stringValue }
            return Input(
                name: name, type: input["type"]?.stringValue ?? "", hasDefault: input["default_value"] != nil, kinds: kinds)
        }
        self.outputNames = outputs.compactMap { $0["name"]?.stringValue }
    }
}
