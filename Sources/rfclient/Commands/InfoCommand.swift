import ArgumentParser
import InferenceSDK
import RFClientCommon

/// `rfclient info`: the server's name and version.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print the server's name and version.",
        discussion: "Example: rfclient info --api-url http://127.0.0.1:9001"
    )

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print JSON ({name, version, uuid}).")
    var json = false

    func run() async throws {
        let info = try await connection.withClient { try await $0.serverInfo() }
        if json {
            OutputFormat.json.print(info.raw)
        } else {
            print("\(info.name) \(info.version) at \(connection.resolvedURL)")
        }
    }
}
