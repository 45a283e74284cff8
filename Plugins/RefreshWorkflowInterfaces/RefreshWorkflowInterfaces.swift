import Foundation
import PackagePlugin

/// A command plugin: refreshes every `X.interface.json` of the package's targets (or of `--target NAME`) from a server,
/// through `rfclient describe --save-interface`, for `X.json` (the definition) or `X.saved-workflow.json` next to it.
/// Other arguments go to rfclient, e.g. `--api-url URL`; the key is `ROBOFLOW_API_KEY` as for rfclient.
///
///     swift package --allow-writing-to-package-directory --allow-network-connections all \
///         refresh-workflow-interfaces --target TypedWorkflow --api-url http://127.0.0.1:9001
@main
struct RefreshWorkflowInterfaces: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let names = extractor.extractOption(named: "target")
        let passThrough = extractor.remainingArguments
        let targets = names.isEmpty ? context.package.targets : try context.package.targets(named: names)
        let rfclient = try context.tool(named: "rfclient").url
        var refreshed = 0
        for target in targets {
            guard let module = target.sourceModule else { continue }
            let files = Set(module.sourceFiles.map(\.url))
            for file in module.sourceFiles(withSuffix: ".interface.json") {
                let stem = String(file.url.lastPathComponent.dropLast(".interface.json".count))
                let directory = file.url.deletingLastPathComponent()
                let spec = directory.appendingPathComponent("\(stem).json")
                let saved = directory.appendingPathComponent("\(stem).saved-workflow.json")
                var workflow: [String]
                if files.contains(spec) {
                    workflow = ["--spec", spec.path]
                } else if files.contains(saved), let reference = try Self.savedReference(saved) {
                    workflow = ["--workspace", reference.workspace, "--workflow", reference.workflow]
                } else {
                    Diagnostics.warning("\(file.url.path): no \(stem).json or \(stem).saved-workflow.json next to it; skipped")
                    continue
                }
                workflow += ["--save-interface", file.url.path]
                try Self.run(rfclient, ["describe"] + workflow + passThrough)
                print("refreshed \(file.url.path)")
                refreshed += 1
            }
        }
        if refreshed == 0 { Diagnostics.warning("no *.interface.json with a definition next to it in the targets chosen") }
    }

    private static func savedReference(_ url: URL) throws -> (workspace: String, workflow: String)? {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        guard let workspace = object?["workspace"] as? String, let workflow = object?["workflow"] as? String else { return nil }
        return (workspace, workflow)
    }

    private static func run(_ executable: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PluginError("rfclient \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}

/// A failure the plugin reports.
struct PluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
