import Foundation
import TestSupport
import WorkflowCodegen

/// The workflow fixtures with generated types: each `Tests/Fixtures/workflows/X.json` has `X.interface.json` (written
/// by `rfclient describe --save-interface`) and `Generated/<TypeName>.swift` (written by `rfclient codegen`).
enum TypedFixtures {
    struct Entry: Sendable, CustomStringConvertible {
        /// The definition's file name in Tests/Fixtures/workflows; empty for a saved workflow (``saved``).
        var spec: String
        /// The interface file's name there.
        var interface: String
        /// The generated type.
        var typeName: String
        /// A saved workflow's workspace and id, when there is no definition.
        var saved: (workspace: String, id: String)? = nil

        var description: String { typeName }

        /// The generated file committed under Generated/.
        var generatedPath: String { TypedFixtures.generatedDirectory + "/\(typeName).swift" }

        /// What the generator makes of the committed spec and interface now.
        func generate() throws -> String {
            let interfaceJSON = try CodegenJSON.parse(try Fixture.bytes(interface), source: interface)
            let source: WorkflowCodeGenerator.Source
            let description: String
            if let saved {
                source = .saved(workspace: saved.workspace, id: saved.id)
                description = "\(saved.workspace)/\(saved.id)"
            } else {
                let specBytes = try Fixture.bytes(spec)
                source = .inline(text: String(decoding: specBytes, as: UTF8.self), definition: try CodegenJSON.parse(specBytes, source: spec))
                description = spec
            }
            let generator = try WorkflowCodeGenerator(
                typeName: typeName, interface: try WorkflowInterfaceFile(json: interfaceJSON, source: interface), source: source,
                sourceDescription: description)
            return try generator.generate()
        }
    }

    static let generatedDirectory: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Generated").path

    /// Every workflow definition in Tests/Fixtures/workflows (not the interface files).
    static func specFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Fixture.directory)
            .filter { $0.hasSuffix(".json") && !$0.contains(".interface.") }
            .sorted()
    }

    /// One entry per definition, with its own interface.
    static func fixtures() throws -> [Entry] {
        try specFiles().map { spec in
            let stem = String(spec.dropLast(".json".count))
            return Entry(spec: spec, interface: "\(stem).interface.json", typeName: WorkflowCodeGenerator.typeName(forFile: spec) ?? stem)
        }
    }

    /// The scalars workflow with an interface that claims `caption` is an `integer` (the server sends a string).
    static let mismatch = Entry(
        spec: "scalars-and-parameters.json", interface: "scalars-and-parameters.mismatch.interface.json", typeName: "ScalarsMismatch")

    /// A saved workflow's interface with names and kinds that test the generator's corners (keywords, digits, clashes,
    /// wildcard and mixed kinds, two nesting levels): its generated file must compile warning-free.
    static let edgeCases = Entry(
        spec: "", interface: "saved-edge-cases.interface.json", typeName: "EdgeCases", saved: (workspace: "acme", id: "edge-cases"))

    /// Everything under Generated/.
    static func all() throws -> [Entry] { try fixtures() + [mismatch, edgeCases] }
}
