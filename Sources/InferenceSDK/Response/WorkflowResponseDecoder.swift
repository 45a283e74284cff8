/// Turns a transport response into a ``WorkflowRunResult`` or an ``InferenceError``.
enum WorkflowResponseDecoder {
    /// Decodes a 2xx workflow response body: `{"outputs": [...], "profiler_trace": [...]}`.
    ///
    /// `batchElements`: the elements of the batch the request carried, when an image input was a batch of more than
    /// one. The server then answers one output per top-level element (nested batches included) when the workflow has
    /// an output per element (`perElement`), else exactly one output (``WorkflowSpecification/hasPerElementOutputs``);
    /// any other count is `.invalidResponse`: outputs are matched to images by position, and a shorter or longer list
    /// would put results on the wrong images. Nil when nothing was batched (no image, or single images): the count
    /// then depends on the workflow (batch-oriented parameters), and is not checked.
    static func decodeSuccess(
        _ response: TransportResponse, batchElements: Range<Int>? = nil, perElement: Bool = true
    ) throws(InferenceError) -> WorkflowRunResult {
        let requestID = response.header("x-request-id")
        func invalid(_ message: String) -> InferenceError {
            InferenceError(.invalidResponse, message, status: response.status, requestID: requestID, attempts: response.attempts)
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(response.body)
        } catch {
            let type = response.header("content-type") ?? "no content type"
            throw invalid("expected a JSON body, got \(response.body.count) bytes (\(type)) that are not JSON: \(error)")
        }
        guard case .array(let outputs) = json["outputs"] else {
            throw invalid("the JSON body has no \"outputs\" list")
        }
        var typed: [WorkflowOutput] = []
        typed.reserveCapacity(outputs.count)
        for (index, output) in outputs.enumerated() {
            guard case .object(let fields) = output else {
                throw invalid("outputs[\(index)] is \(output.typeName), not an object")
            }
            typed.append(WorkflowOutput(fields: fields))
        }
        if let batchElements, typed.count != (perElement ? batchElements.count : 1) {
            let batch = "a batch of \(batchElements.count) images (elements \(batchElements.lowerBound)–\(batchElements.upperBound - 1))"
            throw invalid(
                "the server returned \(typed.count) output\(typed.count == 1 ? "" : "s") for \(batch)"
                    + (perElement
                        ? "; outputs are matched to images by position, so none of them was kept"
                        : ", expected 1: no output of this workflow is per image, so it answers one output per request")
            )
        }
        let trace = json["profiler_trace"]?.arrayValue ?? []
        var result = WorkflowRunResult(outputs: typed, profilerTrace: trace, requestIDs: requestID.map { [$0] } ?? [])
        result.serverMetadata = [ServerMetadata(headers: response.headers)]
        result.pythonBlocks = PythonBlocksDebug(body: json)
        return result
    }

    /// The error for a non-2xx response, keeping the server's message and error type.
    static func error(for response: TransportResponse, redact: Redactor) -> InferenceError {
        let status = response.status
        let kind: InferenceError.Kind = (400..<500).contains(status) ? .clientError : status >= 500 ? .serverFailure : .invalidResponse
        let requestID = response.header("x-request-id")
        let server = ServerError.parse(response.body)?.redacted(by: redact)
        var message = server?.summary ?? ""
        if message.isEmpty {
            message = fallbackMessage(response)
        }
        var error = InferenceError(kind, redact(message), status: status, serverError: server, requestID: requestID)
        error.serverMetadata = ServerMetadata(headers: response.headers)
        return error
    }

    static func fallbackMessage(_ response: TransportResponse) -> String {
        let reason = HTTPStatusText.reason(response.status)
        guard !response.body.isEmpty else { return reason }
        let type = response.header("content-type") ?? ""
        if type.contains("html") {
            // A proxy's or web server's error page: its title says what happened (nginx: "400 No required SSL
            // certificate was sent"), when it says more than the status.
            if let title = htmlTitle(response.body), title != reason, title != "\(response.status) \(reason)" {
                return "\(reason): \(title) (an HTML page of \(response.body.count) bytes)"
            }
            return "\(reason) (an HTML page of \(response.body.count) bytes)"
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
        let printable = text.allSatisfy { !$0.isASCII || ($0.asciiValue.map { $0 >= 0x20 || $0 == 0x0A } ?? true) }
        return printable ? "\(reason): \(text)\(response.body.count > 200 ? "…" : "")" : "\(reason) (\(response.body.count) bytes of \(type.isEmpty ? "binary data" : type))"
    }
}

/// The text of an HTML page's `<title>` (first 2 KB), trimmed and on one line; `nil` when it has none.
func htmlTitle(_ body: [UInt8]) -> String? {
    let head = String(decoding: body.prefix(2048), as: UTF8.self)
    guard let open = head.range(of: "<title>", options: .caseInsensitive),
          let close = head.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<head.endIndex)
    else { return nil }
    let title = head[open.upperBound..<close.lowerBound].split(whereSeparator: \.isWhitespace).joined(separator: " ")
    return title.isEmpty ? nil : String(title.prefix(200))
}

/// Reason phrases for common statuses.
enum HTTPStatusText {
    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 413: return "Payload Too Large"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "HTTP status \(status)"
        }
    }
}
