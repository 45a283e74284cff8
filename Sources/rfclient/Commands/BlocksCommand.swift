import ArgumentParser
import InferenceSDK
import RFClientCommon

/// `rfclient blocks`: the server's block types.
struct BlocksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blocks",
        abstract: "List the block types the server offers.",
        discussion: """
            Examples:
              rfclient blocks | grep crop
              rfclient blocks --json | jq '.[] | select(.identifier | test("blur"))'
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print a JSON list of {identifier, name, aliases, outputs}.")
    var json = false

    func run() async throws {
        let catalogue = try await connection.withClient { try await $0.describeBlocks() }
        let blocks = catalogue.blocks.sorted { $0.identifier < $1.identifier }
        if json {
            OutputFormat.json.print(list: blocks.map { block in
                [
                    "identifier": .string(block.identifier), "name": block.name.map { .string($0) } ?? .null,
                    "aliases": .array(block.aliases.map { .string($0) }),
                    "outputs": .array(block.outputs.map { ["name": .string($0.name), "kinds": .array($0.kinds.map { .string($0) })] }),
                ]
            })
        } else {
            for block in blocks { print("\(block.identifier)\t\(block.name ?? "")") }
        }
    }
}
