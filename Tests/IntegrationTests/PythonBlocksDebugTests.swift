import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// `WorkflowRunOptions.debug` on the real 1.8.3 server, with a custom Python block (`dynamic_blocks_definitions`,
/// run locally: the server's default `ALLOW_CUSTOM_PYTHON_EXECUTION_IN_WORKFLOWS=True`,
/// `WORKFLOWS_CUSTOM_PYTHON_EXECUTION_MODE=local`) that prints and appends to `debug_traces`.
@Suite(.enabled(if: RealServer.available, "needs INFERENCE_SERVER_URL (scripts/test.sh starts the real server)"))
struct PythonBlocksDebugTests {
    /// One parameter `x` through a Python block `echo` whose `run` is `code`.
    static func spec(_ code: String) -> WorkflowSpecification { Fixture.pythonEcho(code) }

    static let printing = spec("""
        def run(self, value):
            print('hello', value)
            debug_traces.append({'v': value}, add_timestamp=True)
            return {'out': value}
        """)

    @Test func debugReturnsWhatThePythonBlockPrintedAndTraced() async throws {
        var options = WorkflowRunOptions()
        options.debug = true
        let result = try await RealServer.withClient { client in
            try await client.runWorkflow(specification: Self.printing, parameters: ["x": 42], options: options)
        }
        #expect(result.outputs.first?.int("out") == 42)
        let debug = try #require(result.pythonBlocks)
        #expect(debug.steps == ["echo"])
        #expect(debug.outputStreams["echo"] == [.init(stdout: "hello 42\n", stderr: nil)])
        #expect(debug.stdout == "hello 42\n")
        #expect(debug.debugTraces.count == 1)
        #expect(debug.debugTraces.first?.step == "echo")
        #expect(debug.debugTraces.first?.value == ["v": 42])
        #expect(debug.debugTraces.first?.timestamp?.isEmpty == false)
        #expect(debug.debugTraces.first?.timestampTimezone == "UTC")
        #expect(debug.rawOutputStreams?["echo"]?[0]?["stdout"] == "hello 42\n")
    }

    @Test func withoutDebugNothingIsCaptured() async throws {
        let result = try await RealServer.withClient { client in
            try await client.runWorkflow(specification: Self.printing, parameters: ["x": 1])
        }
        #expect(result.outputs.first?.int("out") == 1)
        #expect(result.pythonBlocks == nil)
    }

    @Test func aFailedRunCarriesTheOutputUpToTheFailure() async throws {
        let failing = Self.spec("""
            def run(self, value):
                print('about to fail', value)
                debug_traces.append('before failure')
                raise ValueError('boom')
            """)
        var options = WorkflowRunOptions()
        options.debug = true
        let error = await #expect(throws: InferenceError.self) {
            try await RealServer.withClient({ $0.retry = .none }) { client in
                try await client.runWorkflow(specification: failing, parameters: ["x": 3], options: options)
            }
        }
        // 1.8.3 answers a failing custom block with 400 DynamicBlockCodeError.
        #expect(error?.status == 400)
        #expect(error?.serverError?.errorType == "DynamicBlockCodeError")
        let debug = try #require(error?.serverError?.pythonBlocks)
        #expect(debug.stdout == "about to fail 3\n")
        #expect(debug.debugTraces.map(\.value) == ["before failure"])
        #expect(error?.serverError?.blocksErrors.first?.traceback?.contains("ValueError: boom") == true)
    }
}
