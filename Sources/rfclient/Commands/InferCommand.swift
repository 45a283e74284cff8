import ArgumentParser
import Foundation
import InferenceSDK
import RFClientCommon

/// `rfclient infer`: a model on images, without a workflow (`POST /infer/{task}`); answers as JSON.
struct InferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Run a model directly on images and print its predictions as JSON.",
        discussion: """
            Prints one answer per image, in order, as the server returned it (detections with boxes, `points` or
            `keypoints`; classifications). The task comes from the server's model registry unless --task says it.

            Examples:
              rfclient infer --model yolov8n-640 --image photo.jpg | jq '.[0].predictions | length'
              rfclient infer --model my-project/3 --task instance_segmentation --image a.jpg --image b.jpg --confidence 0.5
              cat photo.jpg | rfclient infer --model my-classifier/1 --image - --format pretty
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Model id (project/version) or alias (yolov8n-640).", valueName: "id"))
    var model: String

    @Option(name: .long, help: ArgumentHelp("Image: a path, an http(s) URL or - for stdin (repeat for a batch).", valueName: "path"))
    var image: [String] = []

    @Option(help: ArgumentHelp("object_detection, instance_segmentation, keypoints_detection or classification (default: from the registry).", valueName: "task"))
    var task: String?

    @Option(help: ArgumentHelp("Minimum confidence, 0–1.", valueName: "x"))
    var confidence: Double?

    @Option(name: .customLong("iou-threshold"), help: ArgumentHelp("NMS IoU threshold, 0–1.", valueName: "x"))
    var iouThreshold: Double?

    @Option(name: .customLong("class"), help: ArgumentHelp("Only this class (repeat).", valueName: "name"))
    var classFilter: [String] = []

    @Option(name: .customLong("max-detections"), help: ArgumentHelp("At most N predictions per image.", valueName: "n"))
    var maxDetections: Int?

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Images per request (default: all in one).", valueName: "n"))
    var batchSize: Int?

    @Option(help: "Output format.")
    var format: OutputFormat = .json

    func validate() throws {
        if image.isEmpty { throw ValidationError("give at least one --image") }
        if image.filter({ $0 == "-" }).count > 1 { throw ValidationError("only one --image can read stdin (-)") }
        if let task, ModelTask(taskType: task) == nil {
            throw ValidationError("--task must be one of \(ModelTask.allCases.map(\.rawValue).joined(separator: ", ")), got '\(task)'")
        }
    }

    func run() async throws {
        let images: [WorkflowImage] = image.map { source in
            if source == "-" { return .bytes(Terminal.readStandardInput()) }
            let lower = source.lowercased()
            return lower.hasPrefix("http://") || lower.hasPrefix("https://") ? .url(source) : .file(source)
        }
        let options = ModelInferenceOptions(
            confidence: confidence, iouThreshold: iouThreshold, classFilter: classFilter.isEmpty ? nil : classFilter,
            maxDetections: maxDetections, maxBatchSize: batchSize)
        let result = try await connection.withClient { client in
            try await client.infer(images, model: model, task: task.flatMap(ModelTask.init(taskType:)), options: options)
        }
        if connection.verbose { ServerReport.printMetadata(result.serverMetadata) }
        format.print(list: result.predictions.map(\.raw))
    }
}
