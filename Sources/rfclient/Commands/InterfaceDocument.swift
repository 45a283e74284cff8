import InferenceSDK
import WorkflowCodegen

/// The interface file `rfclient describe --save-interface` writes and `rfclient codegen` reads: the server's
/// `describe_interface` answer plus `output_nesting` (list levels of nested outputs), keys sorted, indented.
enum InterfaceDocument {
    /// Asks the server: `describe_interface`, and for an inline definition the block catalogue, whose
    /// dimensionality offsets give the nesting of each output (the server's answer does not say).
    static func fetch(_ client: InferenceHTTPClient, target: WorkflowTarget) async throws -> JSONValue {
        let interface = try await client.describeInterface(of: target)
        guard case .object(var document) = interface.raw else { return interface.raw }
        // The server lists kinds in the order of a Python set, which changes with each server process: sorted here.
        for key in ["inputs", "outputs"] {
            if case .object(let entries) = document[key] { document[key] = .object(entries.mapValues(sortedKinds)) }
        }
        if case .inline(let specification) = target {
            let catalogue = try await client.describeBlocks()
            let blocks = OutputNesting.blocks(fromCatalogue: CodegenJSON(catalogue.raw))
            do {
                let nesting = try OutputNesting.compute(definition: CodegenJSON(.object(specification.json)), blocks: blocks)
                var entries = JSONObject()
                for name in nesting.keys.sorted() { entries[name] = nesting[name].map { .int($0) } }
                document[WorkflowInterfaceFile.nestingKey] = .object(entries)
            } catch {
                throw InferenceError(.invalidInput, "cannot tell which outputs are nested: \(error.message)", input: "specification")
            }
        }
        return sorted(.object(document))
    }

    /// The file's bytes: indented JSON, keys sorted, a final newline.
    static func bytes(_ document: JSONValue) -> [UInt8] { sorted(document).serialized(pretty: true) + [0x0A] }

    /// A list of kind names sorted; an object (an output selecting every property of a step) with each list sorted.
    private static func sortedKinds(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") })
        case .object(let object): return .object(object.mapValues(sortedKinds))
        default: return value
        }
    }

    private static func sorted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var out = JSONObject()
            for key in object.keys.sorted() { out[key] = object[key].map(sorted) }
            return .object(out)
        case .array(let items): return .array(items.map(sorted))
        default: return value
        }
    }
}

extension CodegenJSON {
    /// The generator's JSON for an SDK value.
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(Double(number))
        case .double(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(CodegenJSON.init))
        case .object(let object): self = .object(Dictionary(uniqueKeysWithValues: object.map { ($0.key, CodegenJSON($0.value)) }))
        }
    }
}
