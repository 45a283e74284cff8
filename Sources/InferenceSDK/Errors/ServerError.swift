/// The error body a workflow server sends, parsed: workflow errors (`message`, `error_type`, `context`,
/// `inner_error_*`, `blocks_errors`), FastAPI validation errors (422 `detail`) and plain `{"message"}` bodies.
/// The string `"None"` that Python servers put in empty fields is treated as absent.
public struct ServerError: Sendable, Equatable {
    /// `message`.
    public var message: String?
    /// `error_type`, e.g. `RuntimeInputError`, `StepExecutionError`.
    public var errorType: String?
    /// `context`, e.g. `workflow_execution | runtime_input_validation`.
    public var context: String?
    /// `inner_error_type`.
    public var innerErrorType: String?
    /// `inner_error_message`.
    public var innerErrorMessage: String?
    /// `blocks_errors`: which block failed and why.
    public var blocksErrors: [BlockError]
    /// FastAPI's 422 `detail` entries (without the echoed `input`, which may hold whole images).
    public var validationIssues: [ValidationIssue]
    /// The body as parsed, with any echoed request `input` removed. `nil` when the body was not JSON.
    public var body: JSONValue?
    /// Custom Python blocks' output streams and debug traces up to the failure, when the run asked for
    /// ``WorkflowRunOptions/debug`` (`python_blocks_output_streams`, `python_blocks_debug_traces`).
    public var pythonBlocks: PythonBlocksDebug?

    /// Creates a value.
    public init(
        message: String? = nil, errorType: String? = nil, context: String? = nil,
        innerErrorType: String? = nil, innerErrorMessage: String? = nil,
        blocksErrors: [BlockError] = [], validationIssues: [ValidationIssue] = [], body: JSONValue? = nil
    ) {
        self.message = message
        self.errorType = errorType
        self.context = context
        self.innerErrorType = innerErrorType
        self.innerErrorMessage = innerErrorMessage
        self.blocksErrors = blocksErrors
        self.validationIssues = validationIssues
        self.body = body
    }

    /// One block's error from `blocks_errors`.
    public struct BlockError: Sendable, Equatable {
        /// `block_id`: the step name.
        public var blockID: String?
        /// `block_type`.
        public var blockType: String?
        /// `block_details`.
        public var blockDetails: String?
        /// `property_name`.
        public var propertyName: String?
        /// `property_details`.
        public var propertyDetails: String?
        /// `block_traceback`, when the server sends it.
        public var traceback: String?
    }

    /// One entry of FastAPI's 422 `detail`.
    public struct ValidationIssue: Sendable, Equatable {
        /// `type`, e.g. `missing`.
        public var type: String?
        /// `loc`, e.g. `["body", "inputs"]`.
        public var location: [String]
        /// `msg`.
        public var message: String?
    }

    /// A one-line summary: the message, the inner error, the failing blocks, the validation issues.
    /// Each part is cut at 400 characters (servers list hundreds of block names in some messages).
    public var summary: String {
        var parts: [String] = []
        if let message { parts.append(message) }
        if let innerErrorMessage, innerErrorMessage != message {
            parts.append("(\(innerErrorType.map { $0 + ": " } ?? "")\(innerErrorMessage))")
        }
        for block in blocksErrors {
            var text = "block \(block.blockID ?? "?")"
            if let type = block.blockType { text += " (\(type))" }
            if let property = block.propertyName { text += " property \(property)" }
            if let details = block.blockDetails ?? block.propertyDetails { text += ": \(details)" }
            parts.append(text)
        }
        for issue in validationIssues {
            let location = issue.location.joined(separator: ".")
            parts.append("\(location.isEmpty ? "" : location + ": ")\(issue.message ?? issue.type ?? "invalid")")
        }
        return parts.map { $0.count > 400 ? String($0.prefix(400)) + "…" : $0 }.joined(separator: "; ")
    }
}

extension ServerError {
    /// Parses an error body. Returns `nil` when the body is not a JSON object.
    static func parse(_ body: [UInt8]) -> ServerError? {
        guard !body.isEmpty, let json = try? JSONValue(parsing: body), case .object(var object) = json else { return nil }
        func field(_ key: String) -> String? {
            switch object[key] {
            case .string(let s):
                let trimmed = s.trimming(" \n\t")
                return trimmed.isEmpty || trimmed == "None" ? nil : s
            case .int, .double, .bool: return object[key]?.description
            default: return nil
            }
        }
        var error = ServerError(
            message: field("message"), errorType: field("error_type"), context: field("context"),
            innerErrorType: field("inner_error_type"), innerErrorMessage: field("inner_error_message")
        )
        if error.message == nil, let detail = object["detail"]?.stringValue { error.message = detail }
        if case .array(let blocks) = object["blocks_errors"] {
            error.blocksErrors = blocks.compactMap { block in
                guard case .object = block else { return nil }
                func value(_ key: String) -> String? {
                    guard let s = block[key]?.stringValue, s != "None", !s.isEmpty else { return nil }
                    return s
                }
                return BlockError(
                    blockID: value("block_id"), blockType: value("block_type"), blockDetails: value("block_details"),
                    propertyName: value("property_name"), propertyDetails: value("property_details"),
                    // 1.8.3 sends an object for custom Python blocks: {traceback, error_line, code_snippet, stdout, stderr}.
                    traceback: value("block_traceback") ?? block["block_traceback"]?["traceback"]?.stringValue
                )
            }
        }
        if case .array(let details) = object["detail"] {
            var cleaned: [JSONValue] = []
            for entry in details {
                guard case .object(var item) = entry else { continue }
                item.removeValue(forKey: "input")  // may echo the whole request, images included
                item.removeValue(forKey: "ctx")
                cleaned.append(.object(item))
                let location = (item["loc"]?.arrayValue ?? []).map { $0.stringValue ?? $0.description }
                error.validationIssues.append(
                    ValidationIssue(type: item["type"]?.stringValue, location: location, message: item["msg"]?.stringValue)
                )
            }
            object["detail"] = .array(cleaned)
        }
        error.body = .object(object)
        error.pythonBlocks = PythonBlocksDebug(body: .object(object))
        return error
    }
}

extension String {
    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

extension ServerError {
    /// The error with the secret (and any `api_key=` value) removed from every string it keeps, the kept
    /// `body` included: servers echo requests in error bodies (a 422 `detail`, a careless message).
    func redacted(by redact: Redactor) -> ServerError {
        func clean(_ value: JSONValue) -> JSONValue {
            switch value {
            case .string(let text): return .string(redact(text))
            case .array(let items): return .array(items.map(clean))
            case .object(let object):
                var out = JSONObject()
                for (key, element) in object { out[redact(key)] = clean(element) }
                return .object(out)
            default: return value
            }
        }
        var copy = self
        copy.message = message.map { redact($0) }
        copy.errorType = errorType.map { redact($0) }
        copy.context = context.map { redact($0) }
        copy.innerErrorType = innerErrorType.map { redact($0) }
        copy.innerErrorMessage = innerErrorMessage.map { redact($0) }
        copy.blocksErrors = blocksErrors.map { block in
            BlockError(
                blockID: block.blockID.map { redact($0) }, blockType: block.blockType.map { redact($0) },
                blockDetails: block.blockDetails.map { redact($0) }, propertyName: block.propertyName.map { redact($0) },
                propertyDetails: block.propertyDetails.map { redact($0) }, traceback: block.traceback.map { redact($0) }
            )
        }
        copy.validationIssues = validationIssues.map { issue in
            ValidationIssue(type: issue.type.map { redact($0) }, location: issue.location.map { redact($0) }, message: issue.message.map { redact($0) })
        }
        copy.body = body.map(clean)
        copy.pythonBlocks = copy.body.flatMap { PythonBlocksDebug(body: $0) }
        return copy
    }
}
