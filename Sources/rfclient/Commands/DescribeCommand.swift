import ArgumentParser
import Foundation
import InferenceSDK
import RFClientCommon

/// `rfclient describe`: a workflow's inputs and outputs.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Print a workflow's inputs and outputs with their kinds.",
        discussion: """
            Examples:
              rfclient describe --spec crops.json
              rfclient describe --workspace acme --workflow count-cars --json | jq .outputs
              rfclient describe --spec crops.json --save-interface crops.interface.json

            --save-interface writes the answer for `rfclient codegen --interface` (no server needed then), keys
            sorted, with `output_nesting`: the list levels of nested outputs (crops, slices) of a definition, read from
            the block catalogue's dimensionality offsets.
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var workflow: WorkflowSelection

    @Flag(help: "Print the server's JSON answer.")
    var json = false

    @Option(name: .customLong("save-interface"), help: ArgumentHelp("Write the interface for `rfclient codegen --interface` to this file.", valueName: "file"))
    var saveInterface: String?

    func run() async throws {
        let target = try workflow.target()
        if let saveInterface {
            let document = try await connection.withClient { try await InterfaceDocument.fetch($0, target: target) }
            do {
                try Data(InterfaceDocument.bytes(document)).write(to: URL(fileURLWithPath: saveInterface), options: .atomic)
            } catch {
                throw InferenceError.localIO("write", saveInterface, code: EIO)
            }
            return
        }
        let interface = try await connection.withClient { try await $0.describeInterface(of: target) }
        if json {
            OutputFormat.json.print(interface.raw)
            return
        }
        print("inputs:")
        for name in interface.inputs.keys.sorted() { print("  \(name): \(interface.inputs[name]?.joined(separator: " | ") ?? "")") }
        print("outputs:")
        for name in interface.outputs.keys.sorted() { print("  \(name): \(interface.outputs[name]?.joined(separator: " | ") ?? "")") }
    }
}
