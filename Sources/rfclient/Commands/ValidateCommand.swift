import ArgumentParser
import InferenceSDK
import RFClientCommon

/// `rfclient validate`: check a definition on the server.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a workflow definition on the server (exit 0 valid, 3 invalid).",
        discussion: "Example: rfclient validate --spec my-workflow.json"
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Workflow definition JSON file, or - for stdin.", valueName: "file"))
    var spec: String

    func run() async throws {
        let specification = try WorkflowSelection(spec: spec).target()
        guard case .inline(let definition) = specification else { return }
        try await connection.withClient { try await $0.validateWorkflow(definition) }
        print("valid: \(spec)")
    }
}

extension WorkflowSelection {
    init(spec: String) {
        self.init()
        self.clear()
        self.spec = spec
    }
}
