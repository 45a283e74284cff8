import InferenceSDK
import TestSupport
import Testing
import WorkflowCodegen

/// The generated types of every workflow fixture, run against the real server: the typed values equal the untyped
/// `runWorkflow` results field by field.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL (scripts/test.sh starts the real server)"))
struct TypedRunTests {
    @Test func blurReturnsATypedImage() async throws {
        let (typed, untyped) = try await RealServer.withClient { client in
            let typed = try await client.run(Blur(image: .file(Fixture.scene), kernelSize: 5))
            let untyped = try await client.runWorkflow(
                specification: try Fixture.spec("blur.json"), images: ["image": .file(Fixture.scene)], parameters: ["kernel_size": 5])
            return (typed, untyped)
        }
        #expect(typed.count == 1 && untyped.outputs.count == 1)
        let blurred = try #require(typed.first?.blurred)
        #expect(blurred.format == .jpeg && blurred.width == 480 && blurred.height == 360)
        #expect(blurred.bytes == (try untyped.outputs[0].image("blurred"))?.bytes)
        // The rest of the value is the same but for `frame_timestamp`, the time of each run.
        #expect(blurred.videoMetadata?.videoIdentifier == (try untyped.outputs[0].image("blurred"))?.videoMetadata?.videoIdentifier)
        #expect(typed.first?.raw.names == untyped.outputs[0].names)
    }

    @Test func aBatchGivesOneOutputsPerElement() async throws {
        let typed = try await RealServer.withClient { client in
            try await client.run(Blur(image: [.file(Fixture.scene), .file(Fixture.swatch), .file(Fixture.template)], blurType: "median"))
        }
        #expect(typed.map { $0.blurred.map { [$0.width, $0.height] } } == [[480, 360], [200, 100], [40, 40]])
    }

    @Test func scalarsAndParametersAreTyped() async throws {
        let (typed, untyped) = try await RealServer.withClient { client in
            let typed = try await client.run(
                ScalarsAndParameters(image: .file(Fixture.swatch), targetColor: "#FF0000", tolerance: 12, minWidth: 10, label: "swatch"))
            let untyped = try await client.runWorkflow(
                specification: try Fixture.spec("scalars-and-parameters.json"), images: ["image": .file(Fixture.swatch)],
                parameters: ["target_color": "#FF0000", "tolerance": 12, "min_width": 10, "label": "swatch"])
            return (typed, untyped)
        }
        let outputs = try #require(typed.first)
        let raw = untyped.outputs[0]
        #expect(outputs.dominantColor == raw["dominant_color"])
        #expect(outputs.matchingPixels == raw.int("matching_pixels"))
        #expect(outputs.width == raw["width"] && outputs.height == raw["height"] && outputs.aspectRatio == raw["aspect_ratio"])
        #expect(outputs.caption == raw.string("caption"))
        #expect(outputs.caption == "SWATCH is 200x100")
        #expect(outputs.sizeClass == raw["size_class"] && outputs.sizeClass == "wide")
        #expect(outputs.echoMinWidth == 10 && outputs.echoTolerance == 12)
        #expect(outputs.raw.raw == raw.raw)
    }

    @Test func templateMatchingGivesDetectionsCropsAndScalars() async throws {
        let (typed, untyped) = try await RealServer.withClient { client in
            let typed = try await client.run(TemplateMatchingCrops(image: .file(Fixture.scene), template: .file(Fixture.template), threshold: 0.8))
            let untyped = try await client.runWorkflow(
                specification: try Fixture.spec("template-matching-crops.json"),
                images: ["image": .file(Fixture.scene), "template": .file(Fixture.template)], parameters: ["threshold": 0.8])
            return (typed, untyped)
        }
        let outputs = try #require(typed.first)
        let raw = untyped.outputs[0]
        // Detection ids are new UUIDs on every run: compared without them (and without the crops' parent ids).
        func withoutIDs(_ detections: Detections?) -> Detections? {
            detections.map { value in
                var copy = value
                copy.predictions = value.predictions.map { var p = $0; p.detectionID = nil; return p }
                return copy
            }
        }
        let predictions = try #require(outputs.predictions)
        #expect(predictions.predictions.count == 5)
        #expect(withoutIDs(predictions) == withoutIDs(try raw.detections("predictions")))
        #expect(outputs.numberOfMatches == 5 && outputs.numberOfMatches == raw.int("number_of_matches"))
        #expect(outputs.classNames == raw["class_names"])
        #expect(outputs.annotated?.bytes == (try raw.image("annotated"))?.bytes)
        #expect(outputs.annotated?.width == 480)
        let crops = try #require(outputs.crops)
        let rawCrops = try raw.images("crops")
        #expect(crops.count == 5 && crops.count == rawCrops.count)
        for (crop, rawCrop) in zip(crops, rawCrops) {
            #expect(crop?.bytes == rawCrop?.bytes)
            #expect(crop?.width == 40 && crop?.height == 40)
            #expect(crop?.rootParentOrigin == rawCrop?.rootParentOrigin)
            #expect(crop.map { c in predictions.predictions.contains { $0.detectionID == c.parentID } } == true)
        }
    }

    @Test func aValueThatDoesNotFitItsKindIsInvalidResponse() async throws {
        let error = await #expect(throws: InferenceError.self) {
            try await RealServer.withClient { client in
                try await client.run(ScalarsMismatch(image: .file(Fixture.swatch), minWidth: 10, label: "swatch"))
            }
        }
        #expect(error?.kind == .invalidResponse)
        #expect(error?.message == "output 'caption' should be integer but the server sent a string: \"SWATCH is 200x100\"")
        #expect(error?.finishedOutputs[0]?.string("caption") == "SWATCH is 200x100")
    }

    /// Each fixture's committed interface file is what the server describes now (the block catalogue fetched once).
    @Test func committedInterfacesAreWhatTheServerDescribes() async throws {
        let catalogue = try await RealServer.withClient { try await $0.describeBlocks() }
        let blocks = OutputNesting.blocks(fromCatalogue: try CodegenJSON.parse(catalogue.raw.serialized(), source: "catalogue"))
        for entry in try TypedFixtures.fixtures() {
            let committed = try WorkflowInterfaceFile(
                json: try CodegenJSON.parse(try Fixture.bytes(entry.interface), source: entry.interface), source: entry.interface)
            let interface = try await RealServer.withClient { try await $0.describeInterface(of: .inline(try Fixture.spec(entry.spec))) }
            let definition = try CodegenJSON.parse(try Fixture.bytes(entry.spec), source: entry.spec)
            let live = WorkflowInterfaceFile(
                inputs: interface.inputs, outputs: interface.outputs.mapValues { $0 },
                outputNesting: try OutputNesting.compute(definition: definition, blocks: blocks))
            #expect(live == committed, "\(entry.interface): rfclient describe --spec \(entry.spec) --save-interface \(entry.interface)")
        }
    }
}
