import Foundation
import Tracing

/// The SDK's spans (swift-distributed-tracing), made only when a tracer is active: bootstrapped with
/// `InstrumentationSystem.bootstrap(_:)` (swift-otel, for example) or scoped with `withTracer(_:_:)`. With none, no
/// span is made and no header added.
///
/// - `inference.workflow.run`: one per ``InferenceHTTPClient/run(_:images:parameters:options:)`` call, with the
///   target, the route, the batch size and — when it ends — the outputs, request ids and error kind; each retry is
///   an event on it (`retry`: attempt, wait, cause).
/// - `POST /workflows/run` (method and route): one per attempt of every request the client sends, kind `client`, with
///   the OpenTelemetry HTTP attributes (method, server address and port, path, status, resend count) and the
///   server's request id; a redirect followed is an event on it (`redirect`: status, location's origin and path).
///   The attempt's context is injected into the request's headers by the tracer (`traceparent` with a W3C
///   propagator), so the server's spans join the trace.
///
/// Never an API key, a query string or image data in a span: URLs are reduced to host, port and path.
enum RequestTracing {
    /// The active tracer, or `nil` when none is (the no-op tracer): the one check that keeps tracing free when off.
    static var tracer: (any Tracer)? {
        let tracer = InstrumentationSystem.tracer
        return tracer is NoOpTracer ? nil : tracer
    }

    /// The run span of the current task, for retry events.
    @TaskLocal static var runSpan: (any Span)?
    /// The attempt span of the current task, for redirect events.
    @TaskLocal static var attemptSpan: (any Span)?

    /// Runs `operation` in a span named `name` (a child of the current context) when a tracer is active, `operation`
    /// alone otherwise. `describe` sets the span's attributes when it starts, `finish` when `operation` has returned.
    static func inSpan<T>(
        _ name: String, kind: SpanKind, isRun: Bool,
        describe: (inout SpanAttributes) -> Void,
        finish: (T, any Span) -> Void = { _, _ in },
        _ operation: () async throws(InferenceError) -> T
    ) async throws(InferenceError) -> T {
        guard let tracer else { return try await operation() }
        let span = tracer.startSpan(name, context: InstrumentationContext.current ?? .topLevel, ofKind: kind)
        defer { span.end() }
        describe(&span.attributes)
        let outcome: Result<T, InferenceError> = await InstrumentationContext.withValue(span.context) {
            await wrap(span, isRun: isRun, operation)
        }
        switch outcome {
        case .success(let value):
            finish(value, span)
            return value
        case .failure(let error):
            record(error, on: span)
            throw error
        }
    }

    private static func wrap<T>(
        _ span: any Span, isRun: Bool, _ operation: () async throws(InferenceError) -> T
    ) async -> Result<T, InferenceError> {
        func run() async -> Result<T, InferenceError> {
            do throws(InferenceError) { return .success(try await operation()) } catch { return .failure(error) }
        }
        return isRun ? await $runSpan.withValue(span) { await run() } : await $attemptSpan.withValue(span) { await run() }
    }

    /// An error on a span: its kind and status as attributes, its one-line (key-free) description as the message.
    static func record(_ error: InferenceError, on span: any Span) {
        span.attributes["error.type"] = error.kind.description
        if let status = error.status { span.attributes["http.response.status_code"] = status }
        if let id = error.requestID { span.attributes["inference.request_id"] = id }
        span.recordError(SpanError(description: error.description))
        span.setStatus(SpanStatus(code: .error, message: error.description))
    }

    /// Host, port and path of `url`, the only parts of a URL a span gets.
    static func describe(url: String, into attributes: inout SpanAttributes) {
        guard let components = URLComponents(string: url) else { return }
        if let host = components.host { attributes["server.address"] = host }
        let port = components.port ?? (components.scheme?.lowercased() == "http" ? 80 : 443)
        attributes["server.port"] = port
        attributes["url.path"] = components.path
        if let scheme = components.scheme { attributes["url.scheme"] = scheme }
    }

    /// Origin and path of `url` (no user, no query): what a redirect event shows of its location.
    static func originAndPath(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "(not a URL)" }
        let port = components.port.map { ":\($0)" } ?? ""
        return "\(components.scheme ?? "")://\(host)\(port)\(components.path)"
    }
}

/// An error as a span records it: its description only (already free of secrets).
struct SpanError: Error, CustomStringConvertible {
    let description: String
}

/// Writes a tracer's propagation values (e.g. `traceparent`) into a request's headers.
struct HeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout [(name: String, value: String)]) {
        headers.removeAll { $0.name.lowercased() == key.lowercased() }
        headers.append((key, value))
    }
}
