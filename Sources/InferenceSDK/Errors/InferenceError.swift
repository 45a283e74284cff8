/// The one error type the SDK throws.
///
/// Modelled on AsyncHTTPClient's `HTTPClientError`: a struct with a ``Kind`` (extensible without breaking
/// callers) and the facts a caller needs — HTTP status, the server's own error body, the request id, the
/// input the error concerns, how many attempts were made, and the underlying cause.
/// ``description`` is one readable line and never contains the API key.
///
/// The fields are read-only outside the SDK, so an error cannot be given a message the SDK did not check; create
/// one with ``init(_:_:input:status:serverError:requestID:attempts:underlying:)`` (e.g. in a test transport).
public struct InferenceError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, broadly. Compare with the static members (`error.kind == .invalidInput`).
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// An input (image, parameter, specification) was refused before any request was sent.
        public static let invalidInput = Kind("invalidInput")
        /// The client's own configuration is unusable (bad base URL, conflicting options).
        public static let invalidConfiguration = Kind("invalidConfiguration")
        /// The request body would exceed the configured `maxRequestBytes`; nothing was sent.
        public static let requestTooLarge = Kind("requestTooLarge")
        /// The server answered 4xx: the request was rejected. Never retried (429 excepted).
        public static let clientError = Kind("clientError")
        /// The server answered 5xx: it failed to carry out a valid request. The server's error body, when it sent
        /// one, is in ``InferenceError/serverError`` (which 4xx answers fill too).
        public static let serverFailure = Kind("serverFailure")
        /// The former name of ``serverFailure``, easy to confuse with the ``InferenceError/serverError`` property.
        @available(*, deprecated, renamed: "serverFailure")
        public static var serverError: Kind { serverFailure }
        /// The connection could not be made, or broke (refused, reset, closed early).
        public static let connectionFailed = Kind("connectionFailed")
        /// The TLS handshake with an HTTPS server failed: its certificate was not verified (unknown CA, expired, another
        /// host's), the server refused the client certificate or asked for one, or it does not speak TLS. The message
        /// names the host and the reason. Never retried; no request bytes (nor the API key) were sent.
        public static let tlsFailure = Kind("tlsFailure")
        /// A connect, request or total-time deadline passed.
        public static let timeout = Kind("timeout")
        /// The server answered 2xx with a body that is not the expected JSON, or the body was too large.
        public static let invalidResponse = Kind("invalidResponse")
        /// The task was cancelled.
        public static let cancelled = Kind("cancelled")
        /// Reading or writing a local file the SDK manages for you (results, logs, saved images, videos) failed:
        /// no space left, a read-only file system, permission denied. Neither the input's fault nor the server's:
        /// directory and video jobs stop at the first one, since further results could not be kept.
        /// `input` holds the path; `underlying` is a ``LocalIOError`` with the OS's `errno`.
        public static let localIO = Kind("localIO")
        /// A job's output folder is in use by another job that is running now (folder and video jobs lock the folder
        /// for their whole run). Nothing was sent and nothing in the folder was touched; `input` holds the folder.
        public static let folderInUse = Kind("folderInUse")

        /// The kind's name.
        public var description: String { name }
    }

    /// What went wrong, broadly.
    public internal(set) var kind: Kind
    /// A one-line explanation (already free of secrets).
    public internal(set) var message: String
    /// The workflow input the error concerns (e.g. `image[2]`), for input errors.
    public internal(set) var input: String?
    /// HTTP status, when the server answered.
    public internal(set) var status: Int?
    /// The server's error body, parsed.
    public internal(set) var serverError: ServerError?
    /// The server's `x-request-id`, when it answered.
    public internal(set) var requestID: String?
    /// How many requests were sent for this operation (0 when it failed before sending).
    public internal(set) var attempts: Int
    /// The lower-level error, for transport, timeout and decoding failures.
    public internal(set) var underlying: (any Error & Sendable)?
    /// What the server reported in the headers of its answer (processing time, model cold starts, …), when it answered.
    public internal(set) var serverMetadata: ServerMetadata?
    /// When a chunk of a split batch (``WorkflowRunOptions/maxBatchSize``) failed: the outputs of the chunks that had
    /// finished before it, keyed by element index in the whole batch (0-based, the position of the image in the
    /// batch as given). Chunks still in flight were cancelled and later ones never sent, so their elements are
    /// missing, as are the failed chunk's. (An inline workflow with no per-image output answers one output per
    /// request: each finished chunk's one output is then keyed by the chunk's first element.) Empty for every other
    /// error.
    ///
    /// ```swift
    /// do { result = try await client.runWorkflow(specification: spec, images: ["image": .files(paths)], options: .init(maxBatchSize: 8)) }
    /// catch { for (index, output) in error.finishedOutputs { keep(paths[index], output) } }  // then retry the rest
    /// ```
    public internal(set) var finishedOutputs: [Int: WorkflowOutput] = [:]

    /// Creates an error. `message` must already be free of secrets.
    public init(
        _ kind: Kind,
        _ message: String,
        input: String? = nil,
        status: Int? = nil,
        serverError: ServerError? = nil,
        requestID: String? = nil,
        attempts: Int = 0,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.kind = kind
        self.message = message
        self.input = input
        self.status = status
        self.serverError = serverError
        self.requestID = requestID
        self.attempts = attempts
        self.underlying = underlying
    }

    /// Whether sending the same request again may succeed: connection failures, timeouts, and the statuses the
    /// default ``RetryPolicy`` retries (``RetryPolicy/retryableStatuses``: 429, 502, 503, 504). Whether *a* policy
    /// retries it (timeouts only with `retryOnTimeout`) is ``RetryPolicy/isRetryable(_:read:)``.
    public var isTransient: Bool {
        switch kind {
        case .connectionFailed, .timeout: return true
        case .clientError, .serverFailure:
            return status.map { RetryPolicy.default.retryableStatuses.contains($0) } ?? false
        default: return false
        }
    }

    /// One line: `HTTP 400 RuntimeInputError: <message> [context] (request <id>)`, or `invalid input image[1]: <message>`.
    public var description: String {
        var head: String
        if let status {
            head = "HTTP \(status)"
            if let type = serverError?.errorType { head += " " + type }
        } else if kind == .invalidInput, let input {
            head = "invalid input '\(input)'"
        } else {
            head = Self.label(for: kind)
        }
        var line = head + ": " + message
        if let context = serverError?.context { line += " [\(context)]" }
        if let requestID { line += " (request \(requestID))" }
        if attempts > 1 { line += " after \(attempts) attempts" }
        return Self.oneLine(line)
    }

    static func label(for kind: Kind) -> String {
        switch kind {
        case .invalidInput: return "invalid input"
        case .invalidConfiguration: return "invalid configuration"
        case .requestTooLarge: return "request too large"
        case .connectionFailed: return "connection failed"
        case .timeout: return "timed out"
        case .invalidResponse: return "invalid response"
        case .cancelled: return "cancelled"
        case .clientError: return "request rejected"
        case .localIO: return "local I/O failed"
        case .folderInUse: return "output folder in use"
        case .tlsFailure: return "TLS failed"
        default: return "server error"
        }
    }

    /// Collapses newlines and runs of spaces so that a message fits on one line.
    static func oneLine(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var lastWasSpace = false
        for ch in text {
            if ch.isWhitespace {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(ch)
                lastWasSpace = false
            }
        }
        return out.trimmingTrailingSpaces()
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        while s.first == " " { s = s.dropFirst() }
        return String(s)
    }
}
