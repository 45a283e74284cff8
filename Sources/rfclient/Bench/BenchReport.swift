import Foundation
import Histogram
import InferenceSDK
import RFClientCommon

/// The result of a measured phase: the JSON report (`--json`), the final table and the live line.
struct BenchReport {
    var state: BenchRecorder.State
    /// Seconds from the first request's (intended) start to the last answer.
    var elapsed: Double
    /// Client CPU (user, system) seconds spent in the measured phase.
    var cpu: (user: Double, system: Double)
    var mode: String
    var concurrency: Int?
    var targetRPS: Double?
    var warmup: Int
    var workflow: JSONValue
    /// Ctrl-C or SIGTERM ended the measured phase early (the report covers the requests that finished).
    var interrupted = false

    var rps: Double { elapsed > 0 ? Double(state.requests) / elapsed : 0 }
    var errorRate: Double { state.requests > 0 ? Double(state.failures) / Double(state.requests) : 0 }
    var cpuPerRequestMS: Double { state.requests > 0 ? (cpu.user + cpu.system) * 1000 / Double(state.requests) : 0 }

    static let percentiles: [(key: String, value: Double)] = [("p50", 50), ("p90", 90), ("p95", 95), ("p99", 99), ("p999", 99.9)]

    /// `{min, mean, stddev, p50, p90, p95, p99, p999, max, count}` in milliseconds.
    static func summary(_ histogram: Histogram<UInt64>) -> JSONValue {
        guard histogram.totalCount > 0 else { return .null }
        var object = JSONObject()
        object["count"] = .int(Int(histogram.totalCount))
        object["min"] = .double(ms(histogram.min))
        object["mean"] = .double(round3(histogram.mean / 1000))
        object["stddev"] = .double(round3(histogram.stdDeviation / 1000))
        for (key, value) in percentiles { object[key] = .double(ms(histogram.valueAtPercentile(value))) }
        object["max"] = .double(ms(histogram.max))
        return .object(object)
    }

    static func ms(_ micros: UInt64) -> Double { round3(Double(micros) / 1000) }
    static func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    /// The JSON report.
    var json: JSONValue {
        var object = JSONObject()
        object["tool"] = .string("rfclient bench")
        object["version"] = .string(InferenceClientConfiguration.sdkVersion)
        object["workflow"] = workflow
        object["mode"] = .string(mode)
        object["concurrency"] = concurrency.map { .int($0) } ?? .null
        object["target_rps"] = targetRPS.map { .double($0) } ?? .null
        object["warmup"] = .int(warmup)
        object["interrupted"] = .bool(interrupted)
        object["requests"] = .int(state.requests)
        object["successes"] = .int(state.requests - state.failures)
        object["failures"] = .int(state.failures)
        object["duration_s"] = .double(Self.round3(elapsed))
        object["rps"] = .double(Self.round3(rps))
        object["error_rate"] = .double(errorRate)
        var errors = JSONObject()
        for key in state.errors.keys.sorted() { errors[key] = .int(state.errors[key] ?? 0) }
        object["errors"] = .object(errors)
        object["latency_ms"] = Self.summary(state.latency)
        object["server_processing_time_ms"] = Self.summary(state.serverTime)
        object["client_cpu"] = .object([
            "user_s": .double(Self.round3(cpu.user)), "system_s": .double(Self.round3(cpu.system)),
            "per_request_ms": .double(Self.round3(cpuPerRequestMS)),
        ])
        return .object(object)
    }

    /// The final table, for people.
    var table: String {
        var lines: [String] = []
        let loop = mode == "open" ? "open loop at \(Self.number(targetRPS ?? 0)) req/s" : "closed loop, concurrency \(concurrency ?? 1)"
        lines.append("rfclient bench: \(state.requests) requests in \(String(format: "%.2f", elapsed)) s (\(loop), \(warmup) warm-up)"
            + (interrupted ? ", interrupted" : ""))
        lines.append("  throughput       \(String(format: "%.1f", rps)) req/s")
        var errorLine = "  errors           \(state.failures) (\(String(format: "%.2f", errorRate * 100)) %)"
        if !state.errors.isEmpty {
            errorLine += ": " + state.errors.keys.sorted().map { "\($0) ×\(state.errors[$0] ?? 0)" }.joined(separator: ", ")
        }
        lines.append(errorLine)
        lines.append("  latency (ms)     " + Self.row(state.latency))
        if state.serverTime.totalCount > 0 {
            lines.append("  server time (ms) " + Self.row(state.serverTime) + "  (x-processing-time, \(state.serverTime.totalCount) answers)")
        }
        lines.append("  client CPU       \(String(format: "%.3f", cpuPerRequestMS)) ms per request (user \(String(format: "%.2f", cpu.user)) s, system \(String(format: "%.2f", cpu.system)) s)")
        return lines.joined(separator: "\n")
    }

    static func row(_ histogram: Histogram<UInt64>) -> String {
        guard histogram.totalCount > 0 else { return "-" }
        var parts = ["min \(format(histogram.min))", "mean \(String(format: "%.2f", histogram.mean / 1000))"]
        for (key, value) in percentiles where key != "p999" { parts.append("\(key) \(format(histogram.valueAtPercentile(value)))") }
        parts.append("max \(format(histogram.max))")
        return parts.joined(separator: "  ")
    }

    static func format(_ micros: UInt64) -> String { String(format: "%.2f", Double(micros) / 1000) }
    static func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }

    /// The live line: elapsed time, requests, the rate since the last line, errors, running percentiles.
    static func liveLine(_ state: BenchRecorder.State, elapsed: Double, interval: Double) -> String {
        let recent = Double(state.requests - state.requestsAtLastLine) / max(interval, 0.001)
        let rate = state.requests > 0 ? Double(state.failures) * 100 / Double(state.requests) : 0
        var line = String(format: "[%6.1fs] %d requests, %.1f req/s, %d errors (%.1f %%)", elapsed, state.requests, recent, state.failures, rate)
        if state.latency.totalCount > 0 {
            line += ", p50 \(format(state.latency.valueAtPercentile(50))) ms, p99 \(format(state.latency.valueAtPercentile(99))) ms"
        }
        return line
    }
}

/// The process's CPU time so far (user, system), in seconds.
func processCPUTime() -> (user: Double, system: Double) {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return (seconds(usage.ru_utime), seconds(usage.ru_stime))
}
