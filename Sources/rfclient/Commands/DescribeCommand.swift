import ArgumentParser
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
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var workflow: WorkflowSelection

    @Flag(help: "Print the server's JSON answer.")
    var json = false

    func run() async throws {
        let target = try workflow.target()
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
