import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// The three shared model-free workflows against the real inference 1.8.3 server.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL (scripts/test.sh starts the real server)"))
struct WorkflowRunTests {
    @Test func blurSingleFile() async throws {
        let result = try await RealServer.withClient { client in
            try await client.runWorkflow(specification: try Fixture.spec("blur.json"), images: ["image": .file(Fixture.swatch)])
        }
        #expect(result.outputs.count == 1)
        #expect(result.requestID?.isEmpty == false)
        let image = try #require(try result.outputs[0].image("blurred"))
        #expect(image.format == .jpeg)
        #expect(image.width == 200)
        #expect(image.height == 100)
        #expect(image.videoMetadata?.videoIdentifier != nil)
        let pixels = try image.decodePixels(to: .rgb8)
        #expect(pixels.width == 200 && pixels.height == 100)
        // The swatch is mostly red: the blurred centre stays red.
        let centre = (50 * pixels.rowStride) + 100 * 3
        #expect(pixels.bytes[centre] > 200 && pixels.bytes[centre + 1] < 60)
    }

    @Test func blurBatchOfThreeKeepsOrder() async throws {
        let sizes = [(40, 30), (64, 48), (20, 90)]
        var batch: [ImageInput] = []
        for (w, h) in sizes { batch.append(.pixels(try Fixture.gradient(width: w, height: h), encoding: .png)) }
        let result = try await RealServer.withClient { client in
            try await client.runWorkflow(
                specification: try Fixture.spec("blur.json"), images: ["image": .batch(batch)],
                parameters: ["kernel_size": 5, "blur_type": "median"]
            )
        }
        #expect(result.outputs.count == 3)
        for (output, (w, h)) in zip(result.outputs, sizes) {
            let image = try #require(try output.image("blurred"))
            #expect(image.width == w && image.height == h)
        }
    }

    @Test func templateMatchingGivesTypedDetectionsAndCrops() async throws {
        let result = try await RealServer.withClient { client in
            try await client.runWorkflow(
                specification: try Fixture.spec("template-matching-crops.json"),
                images: ["image": .file(Fixture.scene), "template": .file(Fixture.template)]
            )
        }
        let output = try #require(result.outputs.first)
        let detections = try #require(try output.detections("predictions"))
        #expect(detections.image == ImageSize(width: 480, height: 360))
        #expect(detections.predictions.count == 5)
        let centres = Set(detections.predictions.map { "\(Int($0.x)),\(Int($0.y))" })
        #expect(centres == ["400,50", "50,60", "220,80", "120,270", "350,300"])
        for p in detections.predictions {
            #expect(p.width == 40 && p.height == 40)
            #expect(p.className == "template_match")
            #expect(p.classID == 0)
            #expect(p.confidence == 1.0)
            #expect(p.detectionID?.count == 36)
            #expect(p.parentID == "image")
        }
        #expect(output.int("number_of_matches") == 5)
        #expect(output["class_names"] == .array(Array(repeating: "template_match", count: 5)))
        let annotated = try #require(try output.image("annotated"))
        #expect(annotated.format == .jpeg && annotated.width == 480 && annotated.height == 360)
        let crops = try output.images("crops").compactMap { $0 }
        #expect(crops.count == 5)
        for crop in crops {
            #expect(crop.width == 40 && crop.height == 40)
            #expect(crop.rootParentID == "image")
            #expect(crop.parentOrigin?.width == 480)
            #expect(crop.parentID.map { id in detections.predictions.contains { $0.detectionID == id } } == true)
        }
        let origins = Set(crops.compactMap { $0.rootParentOrigin.map { "\($0.offsetX),\($0.offsetY)" } })
        #expect(origins == ["380,30", "30,40", "200,60", "100,250", "330,280"])
    }

    @Test func scalarsAndParameters() async throws {
        let result = try await RealServer.withClient { client in
            try await client.runWorkflow(
                specification: try Fixture.spec("scalars-and-parameters.json"),
                images: ["image": .file(Fixture.swatch)], parameters: ["min_width": 50, "label": "swatch"]
            )
        }
        let output = try #require(result.outputs.first)
        #expect(output["dominant_color"] == [255, 0, 0])
        #expect(output.int("matching_pixels") == 12000)
        #expect(output.int("width") == 200)
        #expect(output.int("height") == 100)
        #expect(output.double("aspect_ratio") == 2.0)
        #expect(output.string("caption") == "SWATCH is 200x100")
        #expect(output.string("size_class") == "wide")
        #expect(output.int("echo_min_width") == 50)
        #expect(output.int("echo_tolerance") == 10)
    }

    @Test func scalarsBatchOfThreeWithBroadcastParameters() async throws {
        let images: [ImageInput] = [
            .file(Fixture.swatch), .pixels(try Fixture.gradient(width: 30, height: 60)), .file(Fixture.scene),
        ]
        let result = try await RealServer.withClient { client in
            try await client.runWorkflow(
                specification: try Fixture.spec("scalars-and-parameters.json"),
                images: ["image": .batch(images)], parameters: ["min_width": 100, "label": "b"]
            )
        }
        #expect(result.outputs.map { $0.int("width") } == [200, 30, 480])
        #expect(result.outputs.map { $0.string("caption") } == ["B is 200x100", "B is 30x60", "B is 480x360"])
    }

    @Test func excludedFieldsAreDropped() async throws {
        let result = try await RealServer.withClient { client in
            try await client.runWorkflow(
                specification: try Fixture.spec("scalars-and-parameters.json"), images: ["image": .file(Fixture.swatch)],
                parameters: ["min_width": 50, "label": "x"], options: .init(excludedFields: ["caption", "dominant_color"])
            )
        }
        let names = Set(result.outputs[0].names)
        #expect(!names.contains("caption") && !names.contains("dominant_color"))
        #expect(names.contains("width"))
    }

    @Test func profilingReturnsATrace() async throws {
        let result = try await RealServer.withClient { client in
            try await client.runWorkflow(
                specification: try Fixture.spec("blur.json"), images: ["image": .file(Fixture.swatch)],
                options: .init(enableProfiling: true)
            )
        }
        #expect(!result.profilerTrace.isEmpty)
        #expect(result.profilerTrace.allSatisfy { $0["name"]?.stringValue != nil && $0["ph"]?.stringValue != nil })
    }
}
