import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// A 200 answer whose number of outputs differs from the number of batch elements sent is `.invalidResponse`
/// naming both counts and the chunk, and nothing of it is merged: outputs are matched to images by position, so a
/// short or long list would put results on the wrong images. Answers whose count the client cannot know (nothing
/// batched: no image, single images) pass as before. Against the in-process HTTP server.
@Suite struct OutputCountTests {
    @Test(arguments: [1, 2, 4, 0])
    func aBatchAnsweredWithAnotherNumberOfOutputsIsAnInvalidResponse(outputs: Int) async throws {
        let server = try await TestHTTPServer.start { request in WidthEcho.answer(Array(WidthEcho.widths(request).prefix(outputs)) + Array(repeating: 99, count: max(0, outputs - 3))) }
        defer { Task { await server.shutdown() } }
        let client = try WidthEcho.client(server)
        defer { Task { try? await client.shutdown() } }
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .batch(try WidthEcho.images(10..<13))])
        }
        #expect(error?.kind == .invalidResponse)
        #expect(error?.status == 200)
        let message = error?.message ?? ""
        #expect(message.contains("returned \(outputs) output\(outputs == 1 ? "" : "s") for a batch of 3 images (elements 0–2)"), "\(message)")
        #expect(error?.finishedOutputs.isEmpty == true)
        #expect(server.requests.count == 1)
    }

    @Test func aChunkAnsweredWithTooFewOutputsIsNamedAndNotMerged() async throws {
        // Chunks of 2 (elements 0–1, 2–3, 4); the one carrying width 12 (chunk 2) gets one output instead of two.
        let server = try await TestHTTPServer.start { request in
            let widths = WidthEcho.widths(request)
            return WidthEcho.answer(widths.contains(12) ? [widths[0]] : widths)
        }
        defer { Task { await server.shutdown() } }
        let client = try WidthEcho.client(server, concurrency: 1)
        defer { Task { try? await client.shutdown() } }
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(
                specification: Fixtures.spec, images: ["image": .batch(try WidthEcho.images(10..<15))], options: WorkflowRunOptions(maxBatchSize: 2))
        }
        #expect(error?.kind == .invalidResponse)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("batch chunk 2 of 3 (elements 2–3): "), "\(message)")
        #expect(message.contains("returned 1 output for a batch of 2 images (elements 2–3)"), "\(message)")
        // The bad chunk's single output is not among the finished ones; the chunk before it is, at its own indices.
        #expect(error?.finishedOutputs.keys.sorted() == [0, 1])
        #expect(error?.finishedOutputs[0]?.int("width") == 10)
        #expect(error?.finishedOutputs[1]?.int("width") == 11)
        #expect(server.requests.count == 2)
    }

    @Test func nestedBatchesAreCountedByTopLevelElement() async throws {
        // The nested case: the server answers one output per top-level element ([[a, b], [c]] → 2 outputs).
        let server = try await TestHTTPServer.start { request in
            let count = (request.json?["inputs"] as? [String: Any])?["image"].flatMap { $0 as? [Any] }?.count ?? 0
            return WidthEcho.answer(Array(repeating: 1, count: count))
        }
        defer { Task { await server.shutdown() } }
        let client = try WidthEcho.client(server)
        defer { Task { try? await client.shutdown() } }
        let images = try WidthEcho.images(20..<23)
        let nested = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": [.batch([images[0], images[1]]), .batch([images[2]])]])
        #expect(nested.outputs.count == 2)
        let split = try await client.runWorkflow(
            specification: Fixtures.spec, images: ["image": [.batch([images[0], images[1]]), .batch([images[2]]), .batch([images[0]])]],
            options: WorkflowRunOptions(maxBatchSize: 2))
        #expect(split.outputs.count == 3)
    }

    /// What the client cannot count passes: no image at all (batch-oriented parameters may make any number of
    /// outputs), a single image, a batch of one broadcast against parameters.
    @Test func answersWhoseCountDependsOnTheWorkflowPass() async throws {
        let server = try await TestHTTPServer.start { _ in WidthEcho.answer([1, 2, 3]) }
        defer { Task { await server.shutdown() } }
        let client = try WidthEcho.client(server)
        defer { Task { try? await client.shutdown() } }
        let noImages = try await client.runWorkflow(specification: Fixtures.spec, parameters: ["labels": ["a", "b", "c"]])
        #expect(noImages.outputs.map { $0.int("width") } == [1, 2, 3])
        let single = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .bytes(Fixtures.png)])
        #expect(single.outputs.count == 3)
        let batchOfOne = try await client.runWorkflow(specification: Fixtures.spec, images: ["image": [.bytes(Fixtures.png)]])
        #expect(batchOfOne.outputs.count == 3)
    }

    /// A batch of three next to a single image: three outputs expected (the single one is broadcast).
    @Test func aSharedSingleImageDoesNotChangeTheCount() async throws {
        let server = try await TestHTTPServer.start { request in WidthEcho.answer(WidthEcho.widths(request)) }
        defer { Task { await server.shutdown() } }
        let client = try WidthEcho.client(server)
        defer { Task { try? await client.shutdown() } }
        let result = try await client.runWorkflow(
            specification: Fixtures.spec, images: ["image": .batch(try WidthEcho.images(30..<33)), "template": .bytes(Fixtures.png)])
        #expect(result.outputs.map { $0.int("width") } == [30, 31, 32])
    }

    /// A definition none of whose outputs derives from an image (here: a parameter) is answered with one output per
    /// request, as the 1.8.3 server does; three outputs would be the wrong count there.
    @Test func aWorkflowWithoutPerImageOutputsIsAnsweredOncePerRequest() async throws {
        let spec = WorkflowSpecification(object: [
            "version": "1.0", "inputs": [["type": "WorkflowImage", "name": "image"], ["type": "WorkflowParameter", "name": "p"]],
            "steps": [], "outputs": [["type": "JsonField", "name": "p", "selector": "$inputs.p"]],
        ])
        let server = try await TestHTTPServer.start { request in
            WidthEcho.answer(request.uri.contains("three") ? [1, 2, 3] : [5])
        }
        defer { Task { await server.shutdown() } }
        let client = try WidthEcho.client(server)
        defer { Task { try? await client.shutdown() } }
        let images: [String: ImageInput] = ["image": .batch(try WidthEcho.images(10..<13))]
        let once = try await client.runWorkflow(specification: spec, images: images, parameters: ["p": 5])
        #expect(once.outputs.map { $0.int("width") } == [5])
        // The same server under a base path that makes it answer three outputs.
        let wrong = try InferenceHTTPClient(configuration: .init(apiURL: server.baseURL + "/three", apiKey: nil, retry: .none))
        defer { Task { try? await wrong.shutdown() } }
        let error = await #expect(throws: InferenceError.self) {
            try await wrong.runWorkflow(specification: spec, images: images, parameters: ["p": 5])
        }
        #expect(error?.kind == .invalidResponse)
        #expect(error?.message.contains("returned 3 outputs for a batch of 3 images (elements 0–2), expected 1") == true, "\(String(describing: error))")
    }

    /// Which definitions have an output per image, read from their selectors.
    @Test(arguments: [
        (#"{"inputs":[{"type":"WorkflowImage","name":"image"}],"steps":[],"outputs":[{"type":"JsonField","name":"e","selector":"$inputs.image"}]}"#, true),
        (#"{"inputs":[{"type":"WorkflowImage","name":"image"}],"steps":[],"outputs":[]}"#, false),
        (#"{"inputs":[{"type":"WorkflowImage","name":"image"},{"type":"WorkflowParameter","name":"p"}],"steps":[],"outputs":[{"type":"JsonField","name":"p","selector":"$inputs.p"}]}"#, false),
        // A chain: image → a → b; the output reads b.
        (#"{"inputs":[{"type":"InferenceImage","name":"image"}],"steps":[{"type":"x","name":"b","in":"$steps.a.out"},{"type":"x","name":"a","image":"$inputs.image"}],"outputs":[{"type":"JsonField","name":"o","selector":"$steps.b.*"}]}"#, true),
        // A step fed by a parameter only (nested in a dictionary), next to an unused image.
        (#"{"inputs":[{"type":"WorkflowImage","name":"image"},{"type":"InferenceParameter","name":"p"}],"steps":[{"type":"x","name":"t","parameters":{"v":"$inputs.p"}}],"outputs":[{"type":"JsonField","name":"o","selector":"$steps.t.output"}]}"#, false),
        (#"{"inputs":[{"type":"WorkflowBatchInput","name":"labels"}],"steps":[],"outputs":[{"type":"JsonField","name":"o","selector":"$inputs.labels"}]}"#, true),
        // Doubtful references count as per image: an undeclared step, an unknown input type.
        (#"{"inputs":[{"type":"WorkflowImage","name":"image"}],"steps":[],"outputs":[{"type":"JsonField","name":"o","selector":"$steps.missing.x"}]}"#, true),
        (#"{"inputs":[{"type":"SomeFutureInput","name":"q"}],"steps":[],"outputs":[{"type":"JsonField","name":"o","selector":"$inputs.q"}]}"#, true),
    ])
    func perImageOutputsAreReadFromTheSelectors(definition: String, perImage: Bool) throws {
        let spec = try WorkflowSpecification(json: Array(definition.utf8))
        #expect(spec.hasPerElementOutputs == perImage)
    }
}
