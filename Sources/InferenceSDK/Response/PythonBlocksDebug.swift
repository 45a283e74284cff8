/// What custom Python blocks printed and traced during a run with ``WorkflowRunOptions/debug`` set: the
/// server's `python_blocks_output_streams` and `python_blocks_debug_traces`, typed, with the raw JSON kept.
///
/// The server fills them only for custom Python blocks (`dynamic_blocks_definitions`) it runs itself (not on
/// Modal or other sandboxes), and only when the run asked for `"debug": true`. A failed run carries them in
/// its error body (``ServerError/pythonBlocks``) for the blocks that ran before the failure.
public struct PythonBlocksDebug: Sendable, Equatable {
    /// stdout/stderr of each invocation, by step name, invocations in execution order.
    public var outputStreams: [String: [OutputStream]]
    /// The steps of ``outputStreams`` in the server's order.
    public var steps: [String]
    /// Entries appended to `debug_traces` by the blocks, in chronological order.
    public var debugTraces: [DebugTrace]
    /// `python_blocks_output_streams` as sent (`nil` when absent or `null`).
    public var rawOutputStreams: JSONValue?
    /// `python_blocks_debug_traces` as sent (`nil` when absent or `null`).
    public var rawDebugTraces: JSONValue?

    /// One invocation's captured streams; `nil` when the block wrote nothing there.
    public struct OutputStream: Sendable, Equatable {
        /// What the invocation printed to stdout.
        public var stdout: String?
        /// What it printed to stderr.
        public var stderr: String?

        /// Creates a value.
        public init(stdout: String?, stderr: String?) {
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// One `debug_traces.append(...)` entry.
    public struct DebugTrace: Sendable, Equatable {
        /// The step that appended it (`step`).
        public var step: String?
        /// The appended value (`value`): any JSON, or a string `repr` for values that are not JSON.
        public var value: JSONValue
        /// ISO-8601 time, when the block asked for `add_timestamp=True`.
        public var timestamp: String?
        /// The time zone of ``timestamp`` (IANA name, `UTC` by default).
        public var timestampTimezone: String?
        /// The entry as sent.
        public var raw: JSONValue

        /// Creates a value.
        public init(step: String?, value: JSONValue, timestamp: String? = nil, timestampTimezone: String? = nil, raw: JSONValue) {
            self.step = step
            self.value = value
            self.timestamp = timestamp
            self.timestampTimezone = timestampTimezone
            self.raw = raw
        }
    }

    /// Creates a value.
    public init(
        outputStreams: [String: [OutputStream]] = [:], steps: [String] = [], debugTraces: [DebugTrace] = [],
        rawOutputStreams: JSONValue? = nil, rawDebugTraces: JSONValue? = nil
    ) {
        self.outputStreams = outputStreams
        self.steps = steps
        self.debugTraces = debugTraces
        self.rawOutputStreams = rawOutputStreams
        self.rawDebugTraces = rawDebugTraces
    }

    /// Reads the two fields of a response or error body; `nil` when neither is present (or both are `null`).
    /// Entries of an unexpected shape are skipped in the typed view and kept in the raw one.
    public init?(body: JSONValue) {
        let streams = body["python_blocks_output_streams"].flatMap { $0.isNull ? nil : $0 }
        let traces = body["python_blocks_debug_traces"].flatMap { $0.isNull ? nil : $0 }
        guard streams != nil || traces != nil else { return nil }
        self.init(rawOutputStreams: streams, rawDebugTraces: traces)
        if case .object(let bySteps) = streams {
            for (step, invocations) in bySteps {
                steps.append(step)
                outputStreams[step] = (invocations.arrayValue ?? []).compactMap { invocation in
                    guard case .object = invocation else { return nil }
                    return OutputStream(stdout: invocation["stdout"]?.stringValue, stderr: invocation["stderr"]?.stringValue)
                }
            }
        }
        for entry in traces?.arrayValue ?? [] {
            guard case .object = entry else { continue }
            debugTraces.append(DebugTrace(
                step: entry["step"]?.stringValue, value: entry["value"] ?? .null, timestamp: entry["timestamp"]?.stringValue,
                timestampTimezone: entry["timestamp_timezone"]?.stringValue, raw: entry
            ))
        }
    }

    /// Everything printed to stdout, invocation by invocation, step by step (server order).
    public var stdout: String { steps.flatMap { outputStreams[$0] ?? [] }.compactMap(\.stdout).joined() }
    /// Everything printed to stderr, invocation by invocation, step by step (server order).
    public var stderr: String { steps.flatMap { outputStreams[$0] ?? [] }.compactMap(\.stderr).joined() }

    /// Appends another request's debug output (a later chunk of a split batch).
    mutating func merge(_ other: PythonBlocksDebug) {
        for step in other.steps {
            if outputStreams[step] == nil { steps.append(step) }
            outputStreams[step, default: []] += other.outputStreams[step] ?? []
        }
        debugTraces += other.debugTraces
        rawOutputStreams = Self.mergeRaw(rawOutputStreams, other.rawOutputStreams)
        rawDebugTraces = Self.mergeRaw(rawDebugTraces, other.rawDebugTraces)
    }

    private static func mergeRaw(_ a: JSONValue?, _ b: JSONValue?) -> JSONValue? {
        switch (a, b) {
        case (nil, _): return b
        case (_, nil): return a
        case (.array(let x)?, .array(let y)?): return .array(x + y)
        case (.object(var x)?, .object(let y)?):
            for (key, value) in y {
                if case .array(let old)? = x[key], case .array(let new) = value { x[key] = .array(old + new) } else { x[key] = value }
            }
            return .object(x)
        default: return b
        }
    }
}
