import Foundation
import TestSupport
import WorkflowCodegen

/// The workflow fixtures with generated types: each `Tests/Fixtures/workflows/X.json` has `X.interface.json` (written
/// by `rfclient describe --save-interface`) and `Generated/<TypeName>.swift` (written by `rfclient codegen`).
enum TypedFixtures {
    struct Entry: Sendable, CustomStringConvertible {
        /// The definition's file name in Tests/Fixtures/workflows.
        var spec: String
        /// The interface file's name there.
        var interface: String
        /// The generated type.
        var typeName: String

        var description: String { typeName }

        /// The generated file committed under Generated/.
        var generatedPath: String { TypedFixtures.generatedDirectory + "/\(typeName).swift" }

        /// What the generator makes of the committed spec and interface now.
        func generate() throws -> String {
            let specBytes = try Fixture.bytes(spec)
            let interfaceJSON = try CodegenJSON.parse(try Fixture.bytes(interface), source: interface)
            let generator = try WorkflowCodeGenerator(
                typeName: typeName, interface: try WorkflowInterfaceFile(json: interfaceJSON, source: interface),
                source: .inline(text: String(decoding: specBytes, as: UTF8.self), definition: try CodegenJSON.parse(specBytes, source: spec)),
                sourceDescription: spec)
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

    /// Everything under Generated/.
    static func all() throws -> [Entry] { try fixtures() + [mismatch] }
}
