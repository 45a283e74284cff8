// Typed workflows: `TemplateMatching` is generated at build time by the TypedWorkflowGenerator plugin from
// template-matching.interface.json and template-matching.json (no server needed to build).
//
//   swift run TypedWorkflow [API_URL]        (default http://127.0.0.1:9001)
//
// Refresh the interface after editing the definition:
//   rfclient describe --spec Examples/TypedWorkflow/template-matching.json --save-interface Examples/TypedWorkflow/template-matching.interface.json
import Foundation
import InferenceSDK

let apiURL = CommandLine.arguments.dropFirst().first ?? "http://127.0.0.1:9001"
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Tests/Fixtures/workflows").standardizedFileURL.path

do {
    try await InferenceHTTPClient.withClient(.init(apiURL: apiURL)) { client in
        let workflow = TemplateMatching(
            image: .file("\(fixtures)/template_scene.png"), template: .file("\(fixtures)/template.png"), threshold: 0.8)
        for outputs in try await client.run(workflow) {
            print("\(outputs.numberOfMatches ?? 0) matches")                                // Int?
            for match in outputs.predictions?.predictions ?? [] {                             // Detections?
                print("  at (\(match.x), \(match.y)) confidence \(match.confidence ?? 0)")
            }
            for crop in (outputs.crops ?? []).compactMap({ $0 }) {                            // [ImageOutput?]?
                print("  crop \(crop.width ?? 0)×\(crop.height ?? 0) from \(crop.parentID ?? "?")")
            }
        }
    }
} catch {
    print("TypedWorkflow: \(error)")
    exit(1)
}
