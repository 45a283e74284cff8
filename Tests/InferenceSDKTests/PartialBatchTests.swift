import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// A failed chunk of a split batch no longer discards the chunks that finished: the thrown error carries their
/// outputs by element index (`finishedOutputs`). Against the in-process HTTP server; every image has its own
/// width and every output echoes it, so an output at the wrong index shows.
@Suite struct PartialBatchTests {
    @Test func aFailedChunkKeepsTheFinishedChunksOutputsAtTheirIndices() async throws {
        // Ten images in chunks of 2, one request at a time; the chunk carrying width 46 (elements 6–7) gets a 500.
        let server = try await TestHTTPServer.start { request in
            let widths = WidthEcho.widths(request)
            if widths.contains(46) { return TestHTTPServer.json(500, #"{"message":"step failed","error_type":"StepExecutionError"}"#) }
            return WidthEcho.answer(widths)
        }
        defer { Task { await server.shutdown() } }
        let client = try WidthEcho.client(server, concurrency: 1)
        defer { Task { try? await client.shutdown() } }
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(
                specification: Fixtures.spec, images: ["image": .batch(try WidthEcho.images(40..<50))],
                options: WorkflowRunOptions(maxBatchSize: 2))
        }
        #expect(error?.status == 500)
        #expect(error?.message.hasPrefix("batch chunk 4 of 5 (elements 6–7): ") == true, "\(String(describing: error))")
        let finished = error?.finishedOutputs ?? [:]
        #expect(finished.keys.sorted() == Array(0..<6))
        for (index, output) in finished { #expect(output.int("width") == 40 + index, "element \(index)") }
        // The chunk after the failed one was never sent.
        #expect(server.requests.count == 4)
    }

    /// Chunks finish out of order (the first is the slowest): each output still lands on its own element.
    @Test func outOfOrderChunksMapToTheirOwnElements() async throws {
        let server = try await TestHTTPServer.start { request in
            let widths = WidthEcho.widths(request)
            if widths.contains(60) { return .delay(.milliseconds(400), then: WidthEcho.answer(widths)) }
            if widths.contains(66) {
                return .delay(.milliseconds(1500), then: TestHTTPServer.json(503, #"{"message":"overloaded"}"#))
            }
            return WidthEcho.answer(widths)
        }
        defer { Task { await server.shutdown() } }
        let client = try WidthEcho.client(server, concurrency: 3)
        defer { Task { try? await client.shutdown() } }
        let error = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(
                specification: Fixtures.spec, images: ["image": .batch(try WidthEcho.images(60..<69))],
                options: WorkflowRunOptions(maxBatchSize: 3))
        }
        #expect(error?.status == 503)
        #expect(error?.message.hasPrefix("batch chunk 3 of 3 (elements 6–8): ") == true, "\(String(describing: error))")
        let finished = error?.finishedOutputs ?? [:]
        #expect(finished.keys.sorted() == Array(0..<6))
        for (index, output) in finished { #expect(output.int("width") == 60 + index, "element \(index)") }
    }

    @Test func aWholeBatchThatSucceedsIsUnchangedAndAnErrorBeforeSendingHasNoOutputs() async throws {
        let server = try await TestHTTPServer.start { request in WidthEcho.answer(WidthEcho.widths(request)) }
        defer { Task { await server.shutdown() } }
        let client = try WidthEcho.client(server)
        defer { Task { try? await client.shutdown() } }
        let result = try await client.runWorkflow(
            specification: Fixtures.spec, images: ["image": .batch(try WidthEcho.images(70..<77))], options: WorkflowRunOptions(maxBatchSize: 2))
        #expect(result.outputs.map { $0.int("width") } == Array(70..<77))
        var images = try WidthEcho.images(70..<77)
        images[5] = .base64("@@not base64@@")
        let refused = await #expect(throws: InferenceError.self) {
            try await client.runWorkflow(specification: Fixtures.spec, images: ["image": .batch(images)], options: WorkflowRunOptions(maxBatchSize: 2))
        }
        #expect(refused?.input == "image[5]")
        #expect(refused?.finishedOutputs.isEmpty == true)
    }
}
