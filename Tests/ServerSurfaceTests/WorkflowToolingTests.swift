import Foundation
import InferenceSDK
import TestSupport
import Testing

/// Describe, validate, blocks, schema, engine versions and info against the real 1.8.3 server.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL (scripts/test.sh starts the real server)"))
struct WorkflowToolingTests {
    @Test func describeInterfaceOfAnInlineDefinitionIsTyped() async throws {
        let interface = try await RealServer.withClient { try await $0.describeInterface(of: .inline(try Fixture.spec("blur.json"))) }
        #expect(interface.inputs == ["image": ["image"], "kernel_size": ["integer"], "blur_type": ["string"]])
        #expect(interface.outputs == ["blurred": ["image"]])
        #expect(interface.typingHints["image"] == "dict")
        #expect(interface.typingHints["integer"] == "int")
        #expect(interface.kindsSchemas["image"]?["title"] == "ImageSchema")
    }

    @Test func describeInterfaceOfTheScalarsWorkflowListsEveryInput() async throws {
        let interface = try await RealServer.withClient {
            try await $0.describeInterface(of: .inline(try Fixture.spec("scalars-and-parameters.json")))
        }
        #expect(Set(interface.inputs.keys) == ["image", "target_color", "tolerance", "min_width", "label"])
        #expect(Set(interface.outputs.keys).isSuperset(of: ["width", "height", "caption", "size_class"]))
    }

    @Test func describeInterfaceOfASavedWorkflowOnAnOfflineServerIs503() async throws {
        let error = await #expect(throws: InferenceError.self) {
            try await RealServer.withClient({ $0.retry = .none; $0.apiKey = "sk-describe-secret" }) {
                try await $0.describeInterface(of: .saved(workspace: "acme", id: "count-cars"))
            }
        }
        #expect(error?.status == 503 && error?.kind == .serverFailure)
        #expect(error?.serverError?.message?.contains("Roboflow API") == true)
        // The key's masking: EchoedKeyEndpointsTests (ReliabilityTests), against a server that repeats it.
    }

    @Test func validateAcceptsTheSharedWorkflows() async throws {
        try await RealServer.withClient { client in
            for name in ["blur.json", "scalars-and-parameters.json", "template-matching-crops.json"] {
                try await client.validateWorkflow(try Fixture.spec(name))
            }
        }
    }

    @Test func validateRejectsAnUnknownBlockWithTheServersErrorBody() async throws {
        var broken = try Fixture.spec("blur.json").json
        broken["steps"] = [["type": "roboflow_core/no_such_block@v1", "name": "mystery", "image": "$inputs.image"]]
        let error = await #expect(throws: InferenceError.self) {
            try await RealServer.withClient { try await $0.validateWorkflow(WorkflowSpecification(object: broken)) }
        }
        #expect(error?.status == 400 && error?.kind == .clientError)
        #expect(error?.serverError?.errorType == "WorkflowSyntaxError")
        #expect(error?.serverError?.blocksErrors.first?.blockID == "mystery")
        #expect(error?.serverError?.blocksErrors.first?.blockType == "roboflow_core/no_such_block@v1")
        // The server lists every block name in this message: the description stays readable.
        #expect((error?.description.count ?? 0) < 2000)
    }

    @Test func blocksDescribeIsTypedWithKinds() async throws {
        let catalogue = try await RealServer.withClient { try await $0.describeBlocks() }
        #expect(catalogue.blocks.count > 100)
        let blur = try #require(catalogue.block("roboflow_core/image_blur@v1"))
        #expect(blur.name == "Image Blur")
        #expect(blur.outputs.contains { $0.name == "image" && $0.kinds == ["image"] })
        #expect(blur.fullyQualifiedClassName?.hasPrefix("inference.core.workflows") == true)
        #expect(catalogue.block("PropertyDefinition")?.identifier == "roboflow_core/property_definition@v1")
        let image = try #require(catalogue.kind("image"))
        #expect(image.description?.isEmpty == false)
        #expect(image.serialisedDataType != nil)
        // Against the server's own document (comparing `kinds` with `declaredKinds`, both built by the same line of
        // the client, could not fail): every declared kind, in the server's order, none dropped.
        let served = (catalogue.raw["declared_kinds"]?.arrayValue ?? []).map { $0["name"]?.stringValue ?? "<no name>" }
        #expect(served.count > 20)
        #expect(catalogue.kinds == served)
        #expect(catalogue.declaredKinds.map(\.name) == served)
        #expect(catalogue.kinds.contains("object_detection_prediction"))
        // Every kind a block output names is a declared kind.
        let declared = Set(catalogue.kinds)
        let used = Set(catalogue.blocks.flatMap { $0.outputs.flatMap(\.kinds) })
        #expect(used.isSubset(of: declared.union(["*"])), "undeclared: \(used.subtracting(declared))")
    }

    @Test func definitionSchemaDescribesWorkflowDefinitions() async throws {
        let body = try await RealServer.withClient { try await $0.workflowDefinitionSchema() }
        let schema = try #require(body.definitionSchema)
        #expect(schema["$defs"]?.objectValue?.isEmpty == false)
        #expect(schema["properties"]?["steps"] != nil)
        #expect(schema["properties"]?["inputs"] != nil)
    }

    @Test func executionEngineVersionsAreSemanticVersions() async throws {
        let versions = try await RealServer.withClient { try await $0.executionEngineVersions() }
        #expect(!versions.isEmpty)
        for version in versions {
            let parts = version.split(separator: ".")
            #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil }, "\(version)")
        }
        // The shared workflows declare version 1.0; the engine must be 1.x.
        #expect(versions.contains { $0.hasPrefix("1.") })
    }

    @Test func infoNamesTheServer() async throws {
        let info = try await RealServer.withClient { try await $0.serverInfo() }
        #expect(info.name == "Roboflow Inference Server")
        #expect(info.version == "1.8.3")
        #expect(info.uuid?.isEmpty == false)
    }
}
