// A quick start: run the shared model-free workflows on a local inference server and print typed results.
//
//   swift run QuickStart [API_URL]        (default http://127.0.0.1:9001)
//
// scripts/demo.sh starts a local server and runs this end to end.
import Foundation
import InferenceSDK

let apiURL = CommandLine.arguments.dropFirst().first ?? "http://127.0.0.1:9001"
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Tests/Fixtures/workflows").standardizedFileURL.path

do {
    try await InferenceHTTPClient.withClient(.init(apiURL: apiURL)) { client in
        let info = try await client.serverInfo()
        print("server: \(info.name) \(info.version)")

        // 1. Template matching: typed detections and crops with their parent metadata.
        let matching = try await client.runWorkflow(
            specification: try WorkflowSpecification(contentsOfFile: "\(fixtures)/template-matching-crops.json"),
            images: ["image": .file("\(fixtures)/template_scene.png"), "template": .file("\(fixtures)/template.png")],
            parameters: ["threshold": 0.8]
        )
        let output = matching.outputs[0]
        for detection in try output.detections("predictions")?.predictions ?? [] {
            print("match at (\(detection.x), \(detection.y)) size \(detection.width)×\(detection.height) confidence \(detection.confidence ?? 0)")
        }
        for crop in try output.images("crops").compactMap({ $0 }) {
            print("crop \(crop.width ?? 0)×\(crop.height ?? 0) \(crop.format?.rawValue ?? "?") at \(crop.rootParentOrigin.map { "(\($0.offsetX), \($0.offsetY))" } ?? "?")")
        }

        // 2. Raw pixels in, a batch of two, blurred images out.
        var pixels: [UInt8] = []
        for y in 0..<120 { for x in 0..<160 { pixels += [UInt8(x % 256), UInt8(y * 2 % 256), 128] } }
        let buffer = try PixelBuffer(width: 160, height: 120, format: .rgb8, bytes: pixels)
        let blurred = try await client.runWorkflow(
            specification: try WorkflowSpecification(contentsOfFile: "\(fixtures)/blur.json"),
            images: ["image": [.pixels(buffer), .pixels(buffer, encoding: .png)]],
            parameters: ["kernel_size": 9]
        )
        for (i, result) in blurred.outputs.enumerated() {
            guard let image = try result.image("blurred") else { continue }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("blurred-\(i).\(image.fileExtension)").path
            try image.write(to: path)
            print("blurred[\(i)]: \(image.width ?? 0)×\(image.height ?? 0) \(image.format?.rawValue ?? "?") → \(path)")
        }

        // 3. Scalars.
        let scalars = try await client.runWorkflow(
            specification: try WorkflowSpecification(contentsOfFile: "\(fixtures)/scalars-and-parameters.json"),
            images: ["image": .file("\(fixtures)/swatch.png")], parameters: ["min_width": 50, "label": "swatch"]
        )
        print("caption: \(scalars.outputs[0].string("caption") ?? "-"), dominant colour: \(scalars.outputs[0]["dominant_color"] ?? .null)")
    }
} catch let error as InferenceError {
    FileHandle.standardError.write(Data("QuickStart: \(error)\n".utf8))
    exit(1)
}
