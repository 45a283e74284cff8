import Foundation
import PackagePlugin

/// A build-tool plugin: for every `X.interface.json` in a target (written by `rfclient describe --save-interface`),
/// generates the `TypedWorkflow` type `X` (UpperCamelCase) at build time, with no server, from `X.json` (the
/// definition) or `X.saved-workflow.json` (`{"workspace": "…", "workflow": "…"}`) next to it.
@main
struct TypedWorkflowGenerator: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let module = target.sourceModule else { return [] }
        let tool = try context.tool(named: "workflow-codegen")
        let files = Set(module.sourceFiles.map(\.url))
        var commands: [Command] = []
        for file in module.sourceFiles(withSuffix: ".interface.json").sorted(by: { $0.url.path < $1.url.path }) {
            let interface = file.url
            let stem = String(interface.lastPathComponent.dropLast(".interface.json".count))
            let directory = interface.deletingLastPathComponent()
            let spec = directory.appendingPathComponent("\(stem).json")
            let saved = directory.appendingPathComponent("\(stem).saved-workflow.json")
            let workflow: (flag: String, url: URL)
            if files.contains(spec) {
                workflow = ("--spec", spec)
            } else if files.contains(saved) {
                workflow = ("--saved", saved)
            } else {
                Diagnostics.error("\(interface.lastPathComponent): no \(stem).json (the definition) or \(stem).saved-workflow.json next to it")
                continue
            }
            let typeName = Self.typeName(stem)
            let output = context.pluginWorkDirectoryURL.appendingPathComponent("\(typeName).swift")
            commands.append(.buildCommand(
                displayName: "Generating \(typeName).swift from \(interface.lastPathComponent)",
                executable: tool.url,
                arguments: ["--interface", interface.path, workflow.flag, workflow.url.path, "--name", typeName, "-o", output.path],
                inputFiles: [interface, workflow.url],
                outputFiles: [output]))
        }
        return commands
    }

    /// `template-matching` → `TemplateMatching` (a plugin cannot import the generator's own rule, which agrees on
    /// such names).
    static func typeName(_ stem: String) -> String {
        let words = stem.split { !($0.isLetter || $0.isNumber) || !$0.isASCII }
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        guard let first = name.first, first.isLetter else { return "Workflow" + name }
        return name
    }
}
