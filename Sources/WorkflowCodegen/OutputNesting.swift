/// How many list levels each output of a definition has (crops, slices): the server's `describe_interface` answer
/// does not say, so it is computed here from the definition and the blocks' dimensionality offsets
/// (`GET /workflows/blocks/describe`: `output_dimensionality_offset`, `input_dimensionality_offsets`).
///
/// A batch input has dimensionality 1 (its `dimensionality` when declared), a parameter 0. A step has the largest
/// dimensionality of the batch-oriented values it references (each less the block's offset for that property), plus
/// the block's output offset. An output has one list level per dimensionality above 1.
public enum OutputNesting {
    /// A block's dimensionality offsets.
    public struct Block: Sendable, Equatable {
        /// `output_dimensionality_offset`: +1 for blocks that make crops or slices, -1 for blocks that collapse them.
        public var outputOffset: Int
        /// `input_dimensionality_offsets`: property → how much deeper that input is than the others.
        public var inputOffsets: [String: Int]

        /// Creates offsets.
        public init(outputOffset: Int, inputOffsets: [String: Int] = [:]) {
            self.outputOffset = outputOffset
            self.inputOffsets = inputOffsets
        }
    }

    /// Reads the offsets of every block in a `GET /workflows/blocks/describe` answer, by identifier and alias.
    public static func blocks(fromCatalogue catalogue: CodegenJSON) -> [String: Block] {
        var blocks: [String: Block] = [:]
        for entry in catalogue["blocks"]?.arrayValue ?? [] {
            let block = Block(
                outputOffset: entry["output_dimensionality_offset"]?.intValue ?? 0,
                inputOffsets: (entry["input_dimensionality_offsets"]?.objectValue ?? [:]).compactMapValues(\.intValue))
            let names = [entry["manifest_type_identifier"]?.stringValue].compactMap { $0 }
                + (entry["manifest_type_identifier_aliases"]?.arrayValue ?? []).compactMap(\.stringValue)
            for name in names { blocks[name] = block }
        }
        return blocks
    }

    /// The offsets of the custom Python blocks a definition declares (`dynamic_blocks_definitions`), by block type.
    public static func dynamicBlocks(in definition: CodegenJSON) -> [String: Block] {
        var blocks: [String: Block] = [:]
        for entry in definition["dynamic_blocks_definitions"]?.arrayValue ?? [] {
            guard let manifest = entry["manifest"], let type = manifest["block_type"]?.stringValue else { continue }
            let inputs = manifest["inputs"]?.objectValue ?? [:]
            blocks[type] = Block(
                outputOffset: manifest["output_dimensionality_offset"]?.intValue ?? 0,
                inputOffsets: inputs.compactMapValues { $0["dimensionality_offset"]?.intValue }.filter { $0.value != 0 })
        }
        return blocks
    }

    /// Output name → list levels, for the outputs that are nested. Throws when a step's type is neither in `blocks`
    /// nor a custom block the definition declares.
    public static func compute(definition: CodegenJSON, blocks catalogue: [String: Block]) throws(CodegenError) -> [String: Int] {
        let blocks = catalogue.merging(dynamicBlocks(in: definition)) { _, declared in declared }
        var inputDepth: [String: Int] = [:]
        for input in definition["inputs"]?.arrayValue ?? [] {
            guard let name = input["name"]?.stringValue else { continue }
            let type = input["type"]?.stringValue ?? ""
            let isParameter = type == "WorkflowParameter" || type == "InferenceParameter"
            inputDepth[name] = isParameter ? 0 : (input["dimensionality"]?.intValue ?? 1)
        }
        var steps: [String: CodegenJSON] = [:]
        for step in definition["steps"]?.arrayValue ?? [] {
            if let name = step["name"]?.stringValue { steps[name] = step }
        }
        var resolver = Resolver(inputDepth: inputDepth, steps: steps, blocks: blocks)
        var nesting: [String: Int] = [:]
        for output in definition["outputs"]?.arrayValue ?? [] {
            guard let name = output["name"]?.stringValue, let selector = output["selector"]?.stringValue else { continue }
            let depth = try resolver.depth(ofSelector: selector)
            if depth > 1 { nesting[name] = depth - 1 }
        }
        return nesting
    }

    private struct Resolver {
        let inputDepth: [String: Int]
        let steps: [String: CodegenJSON]
        let blocks: [String: Block]
        var memo: [String: Int] = [:]
        var visiting: Set<String> = []

        mutating func depth(ofSelector selector: String) throws(CodegenError) -> Int {
            let parts = selector.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 2 else { return 0 }
            switch parts[0] {
            case "$inputs": return inputDepth[String(parts[1])] ?? 0
            case "$steps": return try depth(ofStep: String(parts[1]))
            default: return 0
            }
        }

        mutating func depth(ofStep name: String) throws(CodegenError) -> Int {
            if let known = memo[name] { return known }
            guard let step = steps[name]?.objectValue else { throw CodegenError("a selector names step '\(name)', which the definition does not have") }
            guard !visiting.contains(name) else { throw CodegenError("steps reference each other in a cycle through '\(name)'") }
            let type = step["type"]?.stringValue ?? ""
            guard let block = blocks[type] else { throw CodegenError("step '\(name)' has type '\(type)', which the server's block catalogue does not list") }
            visiting.insert(name)
            var deepest = 0
            for property in step.keys.sorted() where property != "type" && property != "name" {
                guard let value = step[property] else { continue }
                for selector in Self.selectors(in: value) {
                    let depth = try self.depth(ofSelector: selector)
                    if depth > 0 { deepest = max(deepest, depth - (block.inputOffsets[property] ?? 0)) }
                }
            }
            visiting.remove(name)
            let result = deepest > 0 ? max(0, deepest + block.outputOffset) : 0
            memo[name] = result
            return result
        }

        static func selectors(in value: CodegenJSON) -> [String] {
            switch value {
            case .string(let text) where text.hasPrefix("$inputs.") || text.hasPrefix("$steps."): return [text]
            case .array(let items): return items.flatMap(selectors(in:))
            case .object(let object): return object.keys.sorted().flatMap { object[$0].map(selectors(in:)) ?? [] }
            default: return []
            }
        }
    }
}
