import ArgumentParser
import InferenceSDK
import RFClientCommon

/// `rfclient schema`: the workflow definition JSON schema, or the execution engine versions.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON schema of workflow definitions (for editors and validators).",
        discussion: """
            Examples:
              rfclient schema > workflow.schema.json
              rfclient schema --engine-versions
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .customLong("engine-versions"), help: "Print the execution engine versions the server offers instead, one per line.")
    var engineVersions = false

    @Flag(help: "Indent the JSON.")
    var pretty = false

    func run() async throws {
        if engineVersions {
            let versions = try await connection.withClient { try await $0.executionEngineVersions() }
            versions.forEach { print($0) }
            return
        }
        let body = try await connection.withClient { try await $0.workflowDefinitionSchema() }
        (pretty ? OutputFormat.pretty : .json).print(body.definitionSchema ?? body)
    }
}
