/// What kind of pipeline-manager failure an ``InferenceError`` is, read from the server's `error_type`
/// (kept in ``InferenceError/serverError``) and status.
///
/// | server answer (1.8.3) | status | kind |
/// |---|---|---|
/// | `ProcessesManagerNotFoundError` (unknown id, or the pipeline has ended; status, pause, resume, consume) | 404 | ``notFound`` |
/// | `ProcessesManagerInvalidPayload` (an invalid workflow; a saved workflow without API key; **terminate of an unknown id**) | 400 | ``invalidPayload`` |
/// | `MalformedPayloadError`, `MessageToBigError` | 400 | ``invalidPayload`` |
/// | FastAPI validation of the initialise body (`detail: [...]`) | 422 | ``invalidPayload`` |
/// | `ProcessesManagerOperationError` (pause twice, resume a running pipeline, a saved workflow that cannot be fetched) | 500 | ``operationFailed`` |
/// | `ProcessesManagerAuthorisationError` | 401 | ``unauthorised`` |
/// | `ConnectivityError` (the manager process is not running) | 500 | ``managerUnreachable`` |
/// | `ProcessesManagerInternalError`, `ProcessesManagerClientError`, `CommunicationProtocolError` | 500 | ``internalError`` |
/// | the server runs without `ENABLE_STREAM_API=true` | 404/405/400/503 | ``streamAPIUnavailable`` |
public enum PipelineErrorKind: String, Sendable, CaseIterable {
    /// No such pipeline: a wrong id, or a pipeline that has ended (the manager forgets it right away).
    case notFound
    /// The manager refused the command's payload: an invalid workflow, a saved workflow sent without API key,
    /// and (1.8.3) `terminate` of an id it does not know, answered with `Details: N/A`.
    case invalidPayload
    /// The command could not be carried out: not allowed in the pipeline's current state (pause twice, resume
    /// a running pipeline), or it failed (a saved workflow that cannot be fetched from Roboflow).
    case operationFailed
    /// The API key was refused.
    case unauthorised
    /// The HTTP server could not reach its pipeline manager process.
    case managerUnreachable
    /// The manager failed internally.
    case internalError
    /// The server does not offer `/inference_pipelines` (it runs without `ENABLE_STREAM_API=true`).
    case streamAPIUnavailable
}

/// Marks an ``InferenceError`` (as its ``InferenceError/underlying``) whose server answered a pipeline route
/// from another route or not at all, because its stream API is off; callers read it as
/// ``InferenceError/pipelineErrorKind`` `== .streamAPIUnavailable`.
struct StreamAPIUnavailable: Error, Sendable, CustomStringConvertible {
    /// What the server answered, in short.
    let answer: String
    /// A one-line explanation.
    var description: String { "the server does not offer /inference_pipelines (\(answer))" }
}

extension InferenceError {
    /// The pipeline-manager failure this error reports, or `nil` for other errors.
    public var pipelineErrorKind: PipelineErrorKind? {
        if underlying is StreamAPIUnavailable { return .streamAPIUnavailable }
        switch serverError?.errorType {
        case "ProcessesManagerNotFoundError": return .notFound
        case "ProcessesManagerInvalidPayload", "MalformedPayloadError", "MessageToBigError": return .invalidPayload
        case "ProcessesManagerOperationError": return .operationFailed
        case "ProcessesManagerAuthorisationError": return .unauthorised
        case "ConnectivityError": return .managerUnreachable
        case "ProcessesManagerInternalError", "ProcessesManagerClientError", "CommunicationProtocolError", "MalformedHeaderError",
             "TransmissionChannelClosed":
            return .internalError
        default:
            if status == 422, !(serverError?.validationIssues.isEmpty ?? true) { return .invalidPayload }
            if status == 401 { return .unauthorised }
            return nil
        }
    }
}

enum PipelineErrorMapping {
    /// Recognises the answers a server without the stream API gives on pipeline routes: 404/405 from FastAPI's
    /// router, or an answer from the legacy `/{dataset}/{version}` model route that `/inference_pipelines/list`
    /// and `/inference_pipelines/initialise` fall into (400 "Content-Type header not provided", 503
    /// "Could not connect to Roboflow API").
    static func map(_ error: InferenceError) -> InferenceError {
        guard let status = error.status, error.serverError?.errorType == nil,
              error.serverError?.validationIssues.isEmpty ?? true
        else { return error }
        let message = error.serverError?.message ?? ""
        let answer: String?
        switch status {
        case 404 where message == "Not Found": answer = "HTTP 404 Not Found"
        case 405: answer = "HTTP 405 Method Not Allowed"
        case 400 where message.contains("Content-Type header not provided"): answer = "HTTP 400 from its model route"
        case 503 where message.contains("Roboflow API"): answer = "HTTP 503 from its model route"
        default: answer = nil
        }
        guard let answer else { return error }
        var mapped = error
        let marker = StreamAPIUnavailable(answer: answer)
        mapped.underlying = marker
        mapped.message = marker.description + ": start it with ENABLE_STREAM_API=true and its stream manager process"
        return mapped
    }
}
