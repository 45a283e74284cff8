/// A workflow's interface as the generator needs it: the server's `describe_interface` answer (`inputs`, `outputs`
/// with their kinds), plus `output_nesting`, which `rfclient describe --save-interface` adds: how many list levels
/// each nested output has (crops, slices), computed from the definition and the blocks' dimensionality offsets,
/// because the server's answer does not say. Kinds are kept sorted: the server lists an input's kinds in the order of
/// a Python set, which changes from one server process to the next.
public struct WorkflowInterfaceFile: Sendable, Equatable {
    /// Input name → kinds.
    public var inputs: [String: [String]]
    /// Output name → kinds; `nil` kinds for an output that selects every property of a step (`$steps.x.*`),
    /// which the server describes as an object of property → kinds.
    public var outputs: [String: [String]?]
    /// Output name → list levels (0 or absent: not nested).
    public var outputNesting: [String: Int]

    /// The key `rfclient describe --save-interface` adds to the server's answer.
    public static let nestingKey = "output_nesting"

    /// Creates an interface.
    public init(inputs: [String: [String]], outputs: [String: [String]?], outputNesting: [String: Int] = [:]) {
        self.inputs = inputs.mapValues { $0.sorted() }
        self.outputs = outputs.mapValues { $0?.sorted() }
        self.outputNesting = outputNesting
    }

    /// Reads a saved answer; throws when `inputs` or `outputs` is missing.
    public init(json: CodegenJSON, source: String) throws(CodegenError) {
        guard let inputs = json["inputs"]?.objectValue, let outputs = json["outputs"]?.objectValue else {
            throw CodegenError("\(source) is not a describe_interface answer: it has no \"inputs\" and \"outputs\" objects")
        }
        func kinds(_ value: CodegenJSON) -> [String]? { value.arrayValue.map { $0.compactMap(\.stringValue).sorted() } }
        self.inputs = inputs.mapValues { kinds($0) ?? [] }
        self.outputs = outputs.mapValues { kinds($0) }
        self.outputNesting = (json[Self.nestingKey]?.objectValue ?? [:]).compactMapValues(\.intValue)
    }
}
