import InferenceSDK
import RFClientCommon

/// Prints what the server reported about a run on stderr: its metadata headers (`--verbose`) and the
/// output of custom Python blocks (`--debug`).
enum ServerReport {
    /// One `server:` line per request.
    static func printMetadata(_ metadata: [ServerMetadata]) {
        for item in metadata { Terminal.writeError("server: \(item.summary)\n") }
    }

    /// Each Python block invocation's stdout/stderr, then the debug traces as JSON, every line prefixed.
    static func printPythonBlocks(_ debug: PythonBlocksDebug?) {
        guard let debug else {
            Terminal.writeError("python blocks: no output streams or debug traces in the answer\n")
            return
        }
        for step in debug.steps {
            for (index, invocation) in (debug.outputStreams[step] ?? []).enumerated() {
                for (stream, text) in [("stdout", invocation.stdout), ("stderr", invocation.stderr)] {
                    guard let text, !text.isEmpty else { continue }
                    for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0) {
                        Terminal.writeError("python \(step)[\(index)] \(stream): \(line)\n")
                    }
                }
            }
        }
        for trace in debug.debugTraces {
            Terminal.writeError("python trace \(trace.step ?? "?"): \(trace.raw.jsonString)\n")
        }
    }
}
