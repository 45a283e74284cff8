import Foundation
import TestSupport
import Testing
@testable import InferenceSDK

/// Parity with the Python SDK (`inference_sdk`, same version as the server): the same workflows on the same
/// image files, run by `scripts/python_parity.py` through `inference_sdk.InferenceHTTPClient.run_workflow` and
/// here through ``InferenceHTTPClient/runWorkflow(specification:images:parameters:options:)``, must give the
/// same outputs — and the two clients must send the same requests.
///
/// Both sides are normalised the same way: an image becomes
/// `{"__image__": {"format", "width", "height", "sha256", "bytes"}}`; `detection_id` and `frame_timestamp` are
/// dropped, and so are `parent_id`, `root_parent_id` and `video_identifier` when they are UUIDs. Nothing else is
/// touched. The server is deterministic for these workflows (checked by repeated runs: every JPEG it encodes
/// is byte-identical from run to run), so images are compared by SHA-256, not only by format and size.
///
/// Three comparisons per case:
/// - **outputs**: what `run_workflow` returns (it reduces every image to its base64 text) against the Swift
///   outputs with each image reduced to its bytes;
/// - **wire outputs**: the HTTP response the Python SDK received, image metadata included, against the Swift
///   outputs as received (``WorkflowOutput/fields``);
/// - **requests**: method, path, `Content-Type` and JSON body of every request each client sent (input images
///   as descriptors, so the bytes sent are compared). The one known difference, asserted as such: the Python
///   SDK (default "legacy" key transport) always sends `"api_key"` in the body — `null` without a key — while
///   the Swift client sends no `api_key` field unless configured to (`apiKeyPlacement` `.body`/`.both`).
///
/// Enabled when the real server is running (`INFERENCE_SERVER_URL`) and `INFERENCE_PYTHON` names the Python of
/// the server's venv (`scripts/test.sh` sets both).
@Suite(
    .enabled(if: RealServer.available && Requirement.runs(PythonParity.python != nil), "needs INFERENCE_SERVER_URL and INFERENCE_PYTHON (scripts/test.sh sets both)")
)
struct PythonParityTests {
    @Test func pythonRanTheSameCases() async throws {
        let document = try await PythonParity.document()
        let cases = try #require(document["cases"]?.arrayValue, "the Python document has no 'cases'")
        #expect(cases.compactMap { $0["name"]?.stringValue } == PythonParityCase.all.map(\.name))
        for parityCase in PythonParityCase.all {
            let python = try #require(cases.first { $0["name"]?.stringValue == parityCase.name })
            for key in ["workflow", "images", "parameters"] {
                let difference = ParityJSON.firstDifference(
                    python[key] ?? .null, parityCase.definition[key] ?? .null, path: "\(parityCase.name).\(key)"
                )
                #expect(difference == nil, "the Python script and this test define case \(parityCase.name) differently: \(difference ?? "")")
            }
        }
    }

    @Test func sha256KnownAnswers() {
        #expect(ParitySHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ParitySHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            ParitySHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
    }

    /// The two normalisers agree on the input files (Pillow's header reader against ImageCodecs').
    @Test func imageDescriptorsAgreeOnTheInputFiles() async throws {
        let document = try await PythonParity.document()
        let files = try #require(document["files"]?.objectValue)
        #expect(files.keys.sorted() == ["swatch.png", "template.png", "template_scene.png"])
        for (name, python) in files {
            let swift = try ParityNormaliser.describe(Fixture.bytes(name))
            let difference = ParityJSON.firstDifference(python, swift, path: "files.\(name)")
            #expect(difference == nil, "\(difference ?? "")")
        }
    }

    @Test(arguments: PythonParityCase.all)
    func sameResultsAsPython(_ parityCase: PythonParityCase) async throws {
        let document = try await PythonParity.document()
        let python = try #require(
            document["cases"]?.arrayValue?.first { $0["name"]?.stringValue == parityCase.name },
            "the Python script did not run case \(parityCase.name)"
        )
        let (result, exchanges) = try await parityCase.runSwift()

        // 1. What each SDK hands its caller.
        let pythonOutputs = try #require(python["outputs"])
        let swiftOutputs = JSONValue.array(try result.outputs.map { try ParityNormaliser.normalise(.object($0.fields), keepImageMetadata: false) })
        let outputDifference = ParityJSON.firstDifference(pythonOutputs, swiftOutputs, path: "outputs")
        #expect(outputDifference == nil, "\(parityCase.name): \(outputDifference ?? "")")
        // Same output names in the same (server) order.
        let pythonNames = (pythonOutputs.arrayValue ?? []).map { Array(($0.objectValue ?? [:]).keys) }
        #expect(pythonNames == result.outputs.map(\.names), "\(parityCase.name): output names or their order differ")

        // 2. What each SDK received on the wire, image metadata included.
        let pythonWire = try #require(python["wire_outputs"])
        let swiftWire = JSONValue.array(try result.outputs.map { try ParityNormaliser.normalise(.object($0.fields), keepImageMetadata: true) })
        let wireDifference = ParityJSON.firstDifference(pythonWire, swiftWire, path: "wire_outputs")
        #expect(wireDifference == nil, "\(parityCase.name): \(wireDifference ?? "")")

        // 3. What each SDK sent.
        let pythonRequests = try #require(python["requests"]?.arrayValue)
        try #require(pythonRequests.count == exchanges.count, "\(parityCase.name): Python sent \(pythonRequests.count) request(s), Swift \(exchanges.count)")
        for (index, (pythonRequest, swiftRequest)) in zip(pythonRequests, exchanges).enumerated() {
            let label = "\(parityCase.name) request \(index)"
            #expect(pythonRequest["method"]?.stringValue == swiftRequest.method, "\(label): method")
            #expect(pythonRequest["path"]?.stringValue == swiftRequest.path, "\(label): path")
            #expect(pythonRequest["query"]?.stringValue ?? "" == swiftRequest.query, "\(label): query")
            #expect(pythonRequest["headers"]?["content-type"]?.stringValue == swiftRequest.header("content-type"), "\(label): Content-Type")
            #expect(pythonRequest["response"]?["status"]?.intValue == swiftRequest.status, "\(label): response status")

            guard case .object(var pythonBody)? = pythonRequest["body"] else {
                Issue.record("\(label): the Python request has no JSON body")
                continue
            }
            var swiftBody = try #require(try ParityNormaliser.normalise(JSONValue(parsing: swiftRequest.body), keepImageMetadata: true).objectValue)
            // The known difference, pinned: Python sends "api_key": null, Swift omits the field.
            #expect(pythonBody["api_key"] == .null, "\(label): the Python SDK no longer sends \"api_key\": null")
            #expect(swiftBody["api_key"] == nil, "\(label): the Swift client sent an api_key field")
            pythonBody["api_key"] = nil
            swiftBody["api_key"] = nil
            let bodyDifference = ParityJSON.firstDifference(.object(pythonBody), .object(swiftBody), path: "request[\(index)].body")
            #expect(bodyDifference == nil, "\(label): \(bodyDifference ?? "")")
        }

        // Inputs go out as the files' own bytes (no re-encoding): checked on the Python request; the Swift body
        // equals it (above).
        let files = try #require(document["files"]?.objectValue)
        for (name, expected) in parityCase.expectedInputs(files) {
            let sent = pythonRequests.first?["body"]?["inputs"]?[name]
            #expect(sent == expected, "\(parityCase.name): the Python SDK did not send the files' bytes for '\(name)'")
        }
    }
}

// MARK: - Cases

/// One case: a workflow, its images (fixture file names) and its parameters. Kept equal to `CASES` in
/// scripts/python_parity.py (checked by `pythonRanTheSameCases`).
struct PythonParityCase: Sendable, CustomTestStringConvertible {
    enum Images: Sendable {
        case file(String)
        case batch([String])
    }

    let name: String
    /// A fixture file name, or `@echo` for ``Fixture/echo``.
    let workflow: String
    let images: [(name: String, value: Images)]
    let parameters: JSONObject

    var testDescription: String { name }

    static let all: [PythonParityCase] = [
        .init(name: "blur-single", workflow: "blur.json", images: [("image", .file("swatch.png"))], parameters: [:]),
        .init(
            name: "blur-batch3", workflow: "blur.json",
            images: [("image", .batch(["swatch.png", "template_scene.png", "template.png"]))], parameters: [:]
        ),
        .init(
            name: "template-matching-crops", workflow: "template-matching-crops.json",
            images: [("image", .file("template_scene.png")), ("template", .file("template.png"))], parameters: [:]
        ),
        .init(
            name: "scalars-and-parameters", workflow: "scalars-and-parameters.json",
            images: [("image", .file("swatch.png"))], parameters: ["min_width": 50, "label": "swatch"]
        ),
        .init(name: "echo-input", workflow: "@echo", images: [("image", .file("swatch.png"))], parameters: [:]),
    ]

    /// The case as the Python script describes it.
    var definition: JSONValue {
        var images: JSONObject = [:]
        for (name, value) in self.images {
            switch value {
            case .file(let file): images[name] = .string(file)
            case .batch(let files): images[name] = .array(files.map { .string($0) })
            }
        }
        return .object(["workflow": .string(workflow), "images": .object(images), "parameters": .object(parameters)])
    }

    /// Input name → the descriptors of the files given for it (what must arrive in the request body).
    func expectedInputs(_ files: JSONObject) -> [(String, JSONValue?)] {
        images.map { name, value in
            switch value {
            case .file(let file): return (name, files[file])
            case .batch(let list): return (name, .array(list.map { files[$0] ?? .null }))
            }
        }
    }

    func specification() throws -> WorkflowSpecification {
        workflow == "@echo" ? Fixture.echo : try Fixture.spec(workflow)
    }

    /// Runs the case through the Swift client and returns its result and every HTTP exchange it made.
    func runSwift() async throws -> (WorkflowRunResult, [ParityRecordingTransport.Exchange]) {
        guard let url = RealServer.url else { throw ParityFailure("INFERENCE_SERVER_URL is not set") }
        let recorder = ParityRecordingTransport(AsyncHTTPClientTransport(connectTimeout: .seconds(10)))
        var configuration = InferenceClientConfiguration(apiURL: url, apiKey: nil)
        configuration.timeout.request = .seconds(60)
        let client = try InferenceHTTPClient(configuration: configuration, transport: recorder)
        var inputs: [String: ImageInput] = [:]
        for (name, value) in images {
            switch value {
            case .file(let file): inputs[name] = .file(Fixture.path(file))
            case .batch(let files): inputs[name] = .files(files.map(Fixture.path))
            }
        }
        var parameters: [String: JSONValue] = [:]
        for (key, value) in self.parameters { parameters[key] = value }
        do {
            let result = try await client.runWorkflow(specification: try specification(), images: inputs, parameters: parameters)
            try await recorder.shutdown()
            return (result, recorder.exchanges)
        } catch {
            try? await recorder.shutdown()
            throw error
        }
    }
}

// MARK: - The Python side

enum PythonParity {
    /// `INFERENCE_PYTHON`: the Python of the server's venv, which has `inference_sdk`.
    static let python: String? = {
        let value = ProcessInfo.processInfo.environment["INFERENCE_PYTHON"] ?? ""
        return value.isEmpty ? nil : value
    }()

    static let script: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/python_parity.py").path

    /// The script runs once per test process; every test shares its document.
    private static let run = Task<JSONValue, any Error> { try await runScript() }

    static func document() async throws -> JSONValue { try await run.value }

    private static func runScript() async throws -> JSONValue {
        guard let python, let url = RealServer.url else { throw ParityFailure("INFERENCE_PYTHON or INFERENCE_SERVER_URL is not set") }
        let arguments = [script, "--api-url", url, "--fixtures", Fixture.directory]
        let (status, stdout, stderr) = try await runProcess(python, arguments)
        guard status == 0 else {
            throw ParityFailure("\(python) \(arguments.joined(separator: " ")) exited with \(status):\n\(stderr)")
        }
        do {
            return try JSONValue(parsing: stdout)
        } catch {
            throw ParityFailure("the Python script's stdout is not JSON (\(error)):\n\(String(decoding: stdout.prefix(2000), as: UTF8.self))")
        }
    }

    /// Runs a process off the cooperative pool. Stdout is read to its end before waiting for the exit (no pipe
    /// deadlock); stderr goes to a temporary file. The process is never signalled: on Linux, children of
    /// Foundation's `Process` start with signals blocked, and the script ends by itself.
    private static func runProcess(_ executable: String, _ arguments: [String]) async throws -> (Int32, [UInt8], String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let stderrPath = FileManager.default.temporaryDirectory
                    .appendingPathComponent("python-parity-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).stderr").path
                do {
                    guard FileManager.default.createFile(atPath: stderrPath, contents: nil),
                          let stderrHandle = FileHandle(forWritingAtPath: stderrPath)
                    else { throw ParityFailure("could not create \(stderrPath)") }
                    defer { try? FileManager.default.removeItem(atPath: stderrPath) }
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = arguments
                    let stdout = Pipe()
                    process.standardOutput = stdout
                    process.standardError = stderrHandle
                    process.standardInput = FileHandle.nullDevice
                    try process.run()
                    try? stderrHandle.close()
                    let output = stdout.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    let errors = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
                    continuation.resume(returning: (process.terminationStatus, [UInt8](output), errors))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

struct ParityFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

