import ArgumentParser
import Foundation
import InferenceSDK
import RFClientCommon
import WorkflowCodegen

/// `rfclient codegen`: a Swift `TypedWorkflow` type for a workflow.
struct CodegenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codegen",
        abstract: "Generate a Swift TypedWorkflow type from a workflow's interface.",
        discussion: """
            The interface comes from the server (describe_interface and, for a definition, the block catalogue, which
            says which outputs are nested), or from a file `rfclient describe --save-interface` wrote (no server).

            Examples:
              rfclient codegen --spec blur.json --name Blur -o Blur.swift
              rfclient codegen --spec crops.json --interface crops.interface.json --name Crops -o Crops.swift
              rfclient codegen --workspace acme --workflow count-cars --name CountCars
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var workflow: WorkflowSelection

    @Option(help: ArgumentHelp("A saved describe_interface answer (rfclient describe --save-interface); no server is asked.", valueName: "file"))
    var interface: String?

    @Option(help: ArgumentHelp("The generated type's name.", valueName: "TypeName"))
    var name: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the Swift file here instead of standard output.", valueName: "file"))
    var output: String?

    func run() async throws {
        let source: WorkflowCodeGenerator.Source
        let description: String
        if let spec = workflow.spec {
            let bytes = spec == "-" ? Terminal.readStandardInput() : try Self.read(spec, what: "specification")
            let text = String(decoding: bytes, as: UTF8.self)
            source = .inline(text: text, definition: try Self.parse(bytes, source: spec == "-" ? "standard input" : spec))
            description = spec == "-" ? "standard input" : (spec as NSString).lastPathComponent
        } else {
            let workspace = workflow.workspace ?? "", id = workflow.workflow ?? ""
            source = .saved(workspace: workspace, id: id)
            description = "\(workspace)/\(id)"
        }
        let document: CodegenJSON
        if let interface {
            document = try Self.parse(try Self.read(interface, what: "interface"), source: interface)
        } else {
            let target = try workflow.target(stdin: { Array(Self.inlineText(source).utf8) })
            document = CodegenJSON(try await connection.withClient { try await InterfaceDocument.fetch($0, target: target) })
        }
        let code: String
        do {
            let file = try WorkflowInterfaceFile(json: document, source: interface ?? "the server's answer")
            code = try WorkflowCodeGenerator(typeName: name, interface: file, source: source, sourceDescription: description).generate()
        } catch {
            throw InferenceError(.invalidInput, error.message)
        }
        guard let output else { return print(code, terminator: "") }
        do {
            try Data(code.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw InferenceError.localIO("write", output, code: EIO)
        }
    }

    private static func inlineText(_ source: WorkflowCodeGenerator.Source) -> String {
        if case .inline(let text, _) = source { return text }
        return ""
    }

    static func read(_ path: String, what: String) throws(InferenceError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InferenceError(.invalidInput, "cannot read the \(what) file \(path)", input: what)
        }
        return [UInt8](data)
    }

    static func parse(_ bytes: [UInt8], source: String) throws(InferenceError) -> CodegenJSON {
        do {
            return try CodegenJSON.parse(bytes, source: source)
        } catch {
            throw InferenceError(.invalidInput, error.message)
        }
    }
}
