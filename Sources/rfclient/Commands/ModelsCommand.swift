import ArgumentParser
import InferenceSDK
import RFClientCommon

/// `rfclient models`: the server's loaded models.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, load and unload the models a self-hosted server keeps in memory.",
        discussion: """
            Examples:
              rfclient models list
              rfclient models load some-project/3      # the server downloads it with ROBOFLOW_API_KEY
              rfclient models unload some-project/3
              rfclient models clear
            """,
        subcommands: [ModelsListCommand.self, ModelsLoadCommand.self, ModelsUnloadCommand.self, ModelsClearCommand.self]
    )
}

/// Prints a registry: one model per line (`id<TAB>task<TAB>WxH`), or the server's JSON.
private func printRegistry(_ registry: RegisteredModels, json: Bool) {
    if json {
        OutputFormat.json.print(registry.raw)
        return
    }
    for model in registry.models {
        var line = model.modelID + "\t" + (model.taskType ?? "")
        if let width = model.inputWidth, let height = model.inputHeight { line += "\t\(width)x\(height)" }
        print(line)
    }
}

/// `rfclient models list`.
struct ModelsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the loaded models.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the server's JSON.")
    var json = false

    func run() async throws {
        printRegistry(try await connection.withClient { try await $0.listModels() }, json: json)
    }
}

/// `rfclient models load ID`.
struct ModelsLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Load a model (the server downloads it from Roboflow).")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The model id, e.g. some-project/3.")
    var modelID: String

    @Option(name: .customLong("model-type"), help: ArgumentHelp("The model's task type, when the server cannot tell.", valueName: "type"))
    var modelType: String?

    @Flag(help: "Print the server's JSON.")
    var json = false

    func run() async throws {
        printRegistry(try await connection.withClient { try await $0.loadModel(modelID, modelType: modelType) }, json: json)
    }
}

/// `rfclient models unload ID`.
struct ModelsUnloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unload", abstract: "Unload a model.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The model id.")
    var modelID: String

    @Flag(help: "Print the server's JSON.")
    var json = false

    func run() async throws {
        printRegistry(try await connection.withClient { try await $0.unloadModel(modelID) }, json: json)
    }
}

/// `rfclient models clear`.
struct ModelsClearCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "Unload every model.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Print the server's JSON.")
    var json = false

    func run() async throws {
        printRegistry(try await connection.withClient { try await $0.unloadAllModels() }, json: json)
    }
}
