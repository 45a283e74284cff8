import ArgumentParser
import Foundation
import InferenceJobs
import InferenceSDK
import RFClientCommon

/// `rfclient run`: one request, outputs to stdout as JSON.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow once and print its outputs as JSON.",
        discussion: """
            Prints the server's "outputs" list (one object per batch element), as the server returned it.

            Examples:
              rfclient run --spec blur.json --image image=photo.jpg | jq '.[0].blurred.type'
              rfclient run --workspace acme --workflow count-cars --image image=https://example.com/a.jpg --param confidence=0.4
              cat photo.jpg | rfclient run --spec blur.json --image image=- --save-images out/ --format pretty
              rfclient run --spec crops.json --image image=a.jpg --image image=b.jpg --format ndjson
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var workflow: WorkflowSelection
    @OptionGroup var inputs: InputOptions
    @OptionGroup var parameterOptions: ParameterOptions
    @OptionGroup var routes: RouteOptions

    @Option(help: "Output format.")
    var format: OutputFormat = .json

    @Option(name: .customLong("save-images"), help: ArgumentHelp(
        "Write every image output to DIR in its real format and print {\"type\":\"image\",\"path\",\"format\",\"width\",\"height\"} instead.",
        valueName: "dir"))
    var saveImages: String?

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Output to leave out (repeat).", valueName: "field"))
    var excluded: [String] = []

    @Option(help: ArgumentHelp("Ask for a profiler trace and write it to FILE (Chrome trace JSON).", valueName: "file"))
    var profile: String?

    @Flag(help: "Send \"debug\": true and print what custom Python blocks printed and traced (stderr).")
    var debug = false

    func validate() throws {
        let imagesFromStdin = inputs.images.filter { $0.hasSuffix("=-") }.count
        if workflow.spec == "-" && imagesFromStdin > 0 {
            throw ValidationError("--spec - and --image NAME=- both read stdin: give one of them a file")
        }
    }

    func run() async throws {
        let parameters = try parameterOptions.parameters()
        let images = try inputs.imageInputs()
        let target = try workflow.target()
        var options = WorkflowRunOptions(
            excludedFields: excluded, enableProfiling: profile != nil, workflowVersionID: workflow.workflowVersion
        )
        options.debug = debug
        let result: WorkflowRunResult
        do {
            result = try await connection.withClient(routes.apply) { client in
                try await client.run(target, images: images, parameters: parameters, options: options)
            }
        } catch let error as InferenceError {
            if connection.verbose, let metadata = error.serverMetadata { ServerReport.printMetadata([metadata]) }
            if debug, error.status != nil { ServerReport.printPythonBlocks(error.serverError?.pythonBlocks) }
            throw error
        }
        if connection.verbose { ServerReport.printMetadata(result.serverMetadata) }
        if debug { ServerReport.printPythonBlocks(result.pythonBlocks) }
        var outputs = result.outputs.map(\.raw)
        if let saveImages {
            let multiple = result.outputs.count > 1
            outputs = []
            for (index, output) in result.outputs.enumerated() {
                let directory = multiple ? "\(saveImages)/\(index)" : saveImages
                let saver = OutputImageSaver(directory: directory, pathPrefix: directory + "/")
                outputs.append(.object(try saver.save(output)))
            }
        }
        if let profile {
            do {
                try Data(JSONValue.array(result.profilerTrace).serialized()).write(to: URL(fileURLWithPath: profile))
            } catch {
                throw InferenceError(.invalidInput, "cannot write \(profile): \(error.localizedDescription)", input: "--profile")
            }
        }
        format.print(list: outputs)
    }
}
