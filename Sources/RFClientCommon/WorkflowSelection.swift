import ArgumentParser
import InferenceSDK

/// Which workflow to run: a saved one (`--workspace`/`--workflow`) or a definition (`--spec FILE|-`); for `process`,
/// a model instead (`--model ID [--task T]`).
package struct WorkflowSelection: ParsableArguments {
    /// Creates the options with their defaults (ArgumentParser fills them in).
    package init() {}

    @Option(help: ArgumentHelp("Workspace of a saved workflow.", valueName: "name"))
    package var workspace: String?

    @Option(help: ArgumentHelp("Saved workflow id.", valueName: "id"))
    package var workflow: String?

    @Option(name: .customLong("workflow-version"), help: ArgumentHelp("Saved workflow version.", valueName: "version"))
    package var workflowVersion: String?

    @Option(help: ArgumentHelp("Workflow definition JSON file, or - for stdin.", valueName: "file"))
    package var spec: String?

    @Option(help: ArgumentHelp("process: run this model on each image instead of a workflow (POST /infer/{task}); --param NAME=VALUE become its options (confidence, iou_threshold, class_filter, max_detections, …).", valueName: "id"))
    package var model: String?

    @Option(help: ArgumentHelp("process --model: object_detection, instance_segmentation, keypoints_detection or classification (default: from the server's registry).", valueName: "task"))
    package var task: String?

    /// Sets every option to unset, for a selection made in code rather than parsed (ArgumentParser stops a process
    /// that reads an option it neither parsed nor was given).
    package mutating func clear() {
        workspace = nil
        workflow = nil
        workflowVersion = nil
        spec = nil
        model = nil
        task = nil
    }

    package func validate() throws {
        if let task, ModelTask(taskType: task) == nil {
            throw ValidationError("--task must be one of \(ModelTask.allCases.map(\.rawValue).joined(separator: ", ")), got '\(task)'")
        }
        if model != nil {
            guard workspace == nil, workflow == nil, spec == nil, workflowVersion == nil else {
                throw ValidationError("give either --model or a workflow (--spec, --workspace/--workflow), not both")
            }
            return
        }
        if task != nil { throw ValidationError("--task applies to --model") }
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
    package func target(stdin: () -> [UInt8] = Terminal.readStandardInput) throws -> WorkflowTarget {
        if model != nil { throw ValidationError("--model runs with rfclient process and rfclient infer only") }
        if let spec {
            if spec == "-" { return .inline(try WorkflowSpecification(json: stdin())) }
            return .inline(try WorkflowSpecification(contentsOfFile: spec))
        }
        return .saved(workspace: workspace ?? "", id: workflow ?? "")
    }
}
