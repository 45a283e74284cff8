import ArgumentParser
import InferenceSDK

/// Which workflow to run: a saved one (`--workspace`/`--workflow`) or a definition (`--spec FILE|-`).
struct WorkflowSelection: ParsableArguments {
    @Option(help: ArgumentHelp("Workspace of a saved workflow.", valueName: "name"))
    var workspace: String?

    @Option(help: ArgumentHelp("Saved workflow id.", valueName: "id"))
    var workflow: String?

    @Option(name: .customLong("workflow-version"), help: ArgumentHelp("Saved workflow version.", valueName: "version"))
    var workflowVersion: String?

    @Option(help: ArgumentHelp("Workflow definition JSON file, or - for stdin.", valueName: "file"))
    var spec: String?

    func validate() throws {
        switch (workspace, workflow, spec) {
        case (.some, .some, nil), (nil, nil, .some): break
        case (_, _, .some): throw ValidationError("give either --spec or --workspace/--workflow, not both")
        case (.some, nil, _): throw ValidationError("--workspace needs --workflow")
        case (nil, .some, _): throw ValidationError("--workflow needs --workspace")
        default: throw ValidationError("choose the workflow: --workspace W --workflow ID, or --spec FILE")
        }
        if workflowVersion != nil && spec != nil { throw ValidationError("--workflow-version applies to saved workflows only") }
    }

    /// The workflow; reads the definition (stdin for `-`).
    func target(stdin: () -> [UInt8] = Terminal.readStandardInput) throws -> WorkflowTarget {
        if let spec {
            if spec == "-" { return .inline(try WorkflowSpecification(json: stdin())) }
            return .inline(try WorkflowSpecification(contentsOfFile: spec))
        }
        return .saved(workspace: workspace ?? "", id: workflow ?? "")
    }
}
