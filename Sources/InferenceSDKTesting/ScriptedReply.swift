import InferenceSDK

/// One scripted answer of a ``ScriptedTransport``.
public struct ScriptedReply: Sendable {
    private enum Content: Sendable {
        case response(TransportResponse)
        case failure(InferenceError)
        indirect case delayed(Duration, ScriptedReply)
    }

    private let content: Content

    private init(_ content: Content) { self.content = content }

    /// This exact HTTP response.
    public static func response(_ response: TransportResponse) -> ScriptedReply { .init(.response(response)) }

    /// The transport fails (no HTTP answer): use kinds `.connectionFailed`, `.timeout`, `.invalidResponse` or
    /// `.cancelled`, as a real transport would.
    public static func failure(_ error: InferenceError) -> ScriptedReply { .init(.failure(error)) }

    /// A JSON answer with `status` (default 200) and extra headers.
    public static func json(_ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []) -> ScriptedReply {
        .response(TransportResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers, body: value.serialized()))
    }

    /// A successful workflow run: `{"outputs": [...], "profiler_trace": []}`, with an `x-request-id`.
    public static func outputs(_ outputs: [WorkflowOutput], requestID: String = "scripted-request") -> ScriptedReply {
        .json(["outputs": .array(outputs.map(\.raw)), "profiler_trace": []], headers: [("x-request-id", requestID)])
    }

    /// A successful workflow run returning `result`'s outputs and profiler trace.
    public static func result(_ result: WorkflowRunResult) -> ScriptedReply {
        .json(["outputs": .array(result.outputs.map(\.raw)), "profiler_trace": .array(result.profilerTrace)],
              headers: result.requestID.map { [("x-request-id", $0)] } ?? [])
    }

    /// The server's workflow error body (`{message, error_type, context, inner_error_type, inner_error_message}`)
    /// with `status`: e.g. 400 `RuntimeInputError`, 500 `StepExecutionError`.
    public static func workflowError(
        status: Int, message: String, errorType: String? = nil, context: String? = nil
    ) -> ScriptedReply {
        var body: JSONObject = ["message": .string(message)]
        if let errorType { body["error_type"] = .string(errorType) }
        if let context { body["context"] = .string(context) }
        body["inner_error_type"] = .null
        body["inner_error_message"] = "None"
        return .json(.object(body), status: status, headers: [("x-request-id", "scripted-error")])
    }

    /// A bare status with a `{"message": ...}` body (401, 429, 503 …), optionally with `Retry-After`.
    public static func status(_ status: Int, message: String = "scripted", retryAfter: Int? = nil) -> ScriptedReply {
        .json(["message": .string(message)], status: status, headers: retryAfter.map { [("Retry-After", String($0))] } ?? [])
    }

    /// `reply`, after a pause (for timeouts and cancellation).
    public static func delayed(_ delay: Duration, _ reply: ScriptedReply) -> ScriptedReply { .init(.delayed(delay, reply)) }

    func response() async throws(InferenceError) -> TransportResponse {
        switch content {
        case .response(let response): return response
        case .failure(let error): throw error
        case .delayed(let delay, let reply):
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw InferenceError(.cancelled, "cancelled while a scripted reply was delayed")
            }
            return try await reply.response()
        }
    }
}
