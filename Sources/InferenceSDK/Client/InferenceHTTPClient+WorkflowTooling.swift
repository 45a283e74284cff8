/// Checking and describing workflows without running them.
extension InferenceHTTPClient {
    /// The inputs and outputs a workflow declares, with their kinds: `POST /workflows/describe_interface`
    /// for an inline definition, `POST /{workspace}/workflows/{id}/describe_interface` for a saved one.
    public func describeInterface(of target: WorkflowTarget) async throws(InferenceError) -> WorkflowInterface {
        try target.validate()
        // The 1.8.3 server takes the key from the Bearer header here too, but wants a non-null `api_key` string in the
        // body when no header carries one: the body holds the key only when the placement says so.
        var body: JSONObject = [:]
        if let key = apiKeyForBody {
            body["api_key"] = .string(key)
        } else if configuration.apiKey == nil {
            body["api_key"] = .string("")
        }
        let path: String
        switch target {
        case .inline(let specification):
            body["specification"] = .object(specification.json)
            path = "/workflows/describe_interface"
        case .saved:
            path = target.path + "/describe_interface"
        }
        let (json, response) = try await postJSON(path, .object(body))
        guard case .object(let inputs) = json["inputs"], case .object(let outputs) = json["outputs"] else {
            throw InferenceError(.invalidResponse, "describe_interface did not return {inputs, outputs}", status: response.status)
        }
        func kinds(_ object: JSONObject) -> [String: [String]] {
            object.mapValues { ($0.arrayValue ?? []).compactMap(\.stringValue) }.reduce(into: [:]) { $0[$1.key] = $1.value }
        }
        return WorkflowInterface(
            inputs: kinds(inputs), outputs: kinds(outputs),
            typingHints: (json["typing_hints"]?.objectValue ?? [:]).reduce(into: [:]) { $0[$1.key] = $1.value.stringValue ?? "" },
            kindsSchemas: json["kinds_schemas"]?.objectValue ?? [:], raw: json
        )
    }

    /// Validates a definition: `POST /workflows/validate` with the raw definition as the body.
    /// Returns when it is valid; throws `.clientError` (HTTP 400, the server's `error_type` and `blocks_errors`) otherwise.
    public func validateWorkflow(_ specification: WorkflowSpecification) async throws(InferenceError) {
        let (json, response) = try await postJSON("/workflows/validate", .object(specification.json))
        guard json["status"]?.stringValue == "ok" else {
            throw InferenceError(.invalidResponse, "validate answered \(json.jsonString.prefix(200))", status: response.status)
        }
    }

    /// The block catalogue: `GET /workflows/blocks/describe` (about 12 MB).
    public func describeBlocks() async throws(InferenceError) -> BlocksDescription {
        let json = try await getCatalogue("/workflows/blocks/describe")
        let blocks = (json["blocks"]?.arrayValue ?? []).map { block in
            BlockDescription(
                identifier: block["manifest_type_identifier"]?.stringValue ?? "",
                name: block["human_friendly_block_name"]?.stringValue,
                aliases: (block["manifest_type_identifier_aliases"]?.arrayValue ?? []).compactMap(\.stringValue),
                source: block["block_source"]?.stringValue,
                executionEngineCompatibility: block["execution_engine_compatibility"]?.stringValue,
                outputs: (block["outputs_manifest"]?.arrayValue ?? []).map { output in
                    BlockDescription.Output(
                        name: output["name"]?.stringValue ?? "",
                        kinds: (output["kind"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                    )
                },
                fullyQualifiedClassName: block["fully_qualified_block_class_name"]?.stringValue,
                raw: block
            )
        }
        let declared = (json["declared_kinds"]?.arrayValue ?? []).compactMap { kind -> KindDescription? in
            guard let name = kind["name"]?.stringValue else { return nil }
            return KindDescription(
                name: name, description: kind["description"]?.stringValue, docs: kind["docs"]?.stringValue,
                serialisedDataType: kind["serialised_data_type"]?.stringValue, internalDataType: kind["internal_data_type"]?.stringValue
            )
        }
        return BlocksDescription(blocks: blocks, kinds: declared.map(\.name), declaredKinds: declared, raw: json)
    }

    /// The workflow definition JSON schema: `GET /workflows/definition/schema`. The server wraps it as
    /// `{"schema": {...}}`; this returns the whole body (`JSONValue.definitionSchema` unwraps it).
    public func workflowDefinitionSchema() async throws(InferenceError) -> JSONValue {
        try await getCatalogue("/workflows/definition/schema")
    }

    /// `GET` a large catalogue document, gzip-compressed per ``InferenceClientConfiguration/catalogueCompression``
    /// (the transport decompresses it). The 1.8.3 server then sends no `Content-Type`; a gzip body that still
    /// arrives undecoded (a proxy compressing without `Content-Encoding`) is reported as such, not as "not JSON".
    private func getCatalogue(_ path: String) async throws(InferenceError) -> JSONValue {
        let gzip = transport.decodesCompressedResponses && configuration.catalogueCompression.wantsGzip(baseURL: baseURL)
        let response = try await send(
            method: "GET", path: path, bodyBuffer: nil, extraHeaders: [("Accept-Encoding", gzip ? "gzip" : "identity")],
            read: true)
        if response.body.starts(with: [0x1F, 0x8B]) {
            throw InferenceError(
                .invalidResponse,
                "GET \(path) answered a gzip-compressed body (\(response.body.count) bytes, content-encoding: "
                    + "\(response.header("content-encoding") ?? "none"), content-type: \(response.header("content-type") ?? "none")) "
                    + "that was not decoded",
                status: response.status, requestID: response.header("x-request-id")
            )
        }
        return try Self.parseJSON(response)
    }

    /// The execution engine versions the server offers: `GET /workflows/execution_engine/versions`.
    public func executionEngineVersions() async throws(InferenceError) -> [String] {
        let (json, _) = try await getJSON("/workflows/execution_engine/versions")
        return (json["versions"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}

/// A workflow's declared interface.
public struct WorkflowInterface: Sendable, Equatable {
    /// Input name → kinds (e.g. `image`, `float`).
    public var inputs: [String: [String]]
    /// Output name → kinds (e.g. `object_detection_prediction`).
    public var outputs: [String: [String]]
    /// Kind → Python type hint.
    public var typingHints: [String: String]
    /// Kind → JSON schema, for kinds that have one.
    public var kindsSchemas: JSONObject
    /// The body as sent.
    public var raw: JSONValue
}

/// The server's block catalogue.
public struct BlocksDescription: Sendable {
    /// Every block type.
    public var blocks: [BlockDescription]
    /// Every declared kind's name.
    public var kinds: [String]
    /// Every declared kind with its description and data types.
    public var declaredKinds: [KindDescription]
    /// The body as sent.
    public var raw: JSONValue
}

/// One block type.
public struct BlockDescription: Sendable, Equatable {
    /// `manifest_type_identifier`, e.g. `roboflow_core/image_blur@v1`.
    public var identifier: String
    /// `human_friendly_block_name`.
    public var name: String?
    /// Older identifiers.
    public var aliases: [String]
    /// `block_source`.
    public var source: String?
    /// Compatible execution engine versions.
    public var executionEngineCompatibility: String?
    /// Outputs and their kinds.
    public var outputs: [Output]
    /// `fully_qualified_block_class_name`, e.g. `inference.core.workflows.core_steps.…BlurBlockV1`.
    public var fullyQualifiedClassName: String?
    /// The block's entry as sent (includes its manifest schema).
    public var raw: JSONValue

    /// One output of a block.
    public struct Output: Sendable, Equatable {
        /// The output's name.
        public var name: String
        /// Its kinds.
        public var kinds: [String]
    }
}

/// A kind: the type of data a block input or output carries (`declared_kinds[]`).
public struct KindDescription: Sendable, Equatable {
    /// `name`, e.g. `image`, `object_detection_prediction`.
    public var name: String
    /// `description`: one line.
    public var description: String?
    /// `docs`: Markdown documentation.
    public var docs: String?
    /// `serialised_data_type`: the type on the wire, as a Python annotation (e.g. `dict`, `Tuple[int, int]`).
    public var serialisedDataType: String?
    /// `internal_data_type`.
    public var internalDataType: String?
}

extension BlocksDescription {
    /// The block whose identifier or alias is `identifier`, e.g. `roboflow_core/image_blur@v1` or `ImageBlur`.
    public func block(_ identifier: String) -> BlockDescription? {
        blocks.first { $0.identifier == identifier || $0.aliases.contains(identifier) }
    }

    /// The declared kind named `name`.
    public func kind(_ name: String) -> KindDescription? {
        declaredKinds.first { $0.name == name }
    }
}

extension JSONValue {
    /// For a `GET /workflows/definition/schema` body: the JSON schema inside its `schema` key.
    public var definitionSchema: JSONValue? { self["schema"] }
}
