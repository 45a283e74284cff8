import NIOCore

/// Builds the JSON body of a workflow run, in the key order the Python SDK uses
/// (`api_key, use_cache, enable_profiling, disable_sinks, inputs, excluded_fields, specification | workflow_version_id`).
/// Images are base64-encoded straight into the body buffer, a pooled NIO buffer the transport sends as is.
enum WorkflowRequestBody {
    static func build(
        target: WorkflowTarget,
        images: [(name: String, input: ResolvedInput)],
        parameters: [(name: String, value: JSONValue)],
        options: WorkflowRunOptions,
        apiKeyInBody: String?,
        in pool: BodyBufferPool
    ) -> ByteBuffer {
        // The definition is serialised first so the body buffer is reserved once at its final size: growing a
        // megabyte-sized buffer after the images are in would copy them again (measured: 12 % of client CPU).
        var specificationBytes: [UInt8] = []
        if case .inline(let specification) = target {
            var specWriter = JSONWriter()
            specWriter.write(.object(specification.json))
            specificationBytes = specWriter.bytes
        }
        var estimate = 256 + specificationBytes.count + images.reduce(0) { $0 + $1.name.utf8.count + $1.input.wireSize }
        for parameter in parameters {
            estimate += parameter.name.utf8.count + 16
            if case .string(let text) = parameter.value { estimate += text.utf8.count }
        }
        var writer = JSONWriter(into: pool.take(capacity: estimate))
        writer.appendASCII("{")
        if let apiKeyInBody {
            writer.writeKey("api_key")
            writer.writeString(apiKeyInBody)
            writer.appendASCII(",")
        }
        writer.writeKey("use_cache")
        writer.write(.bool(options.useCache))
        writer.appendASCII(",")
        writer.writeKey("enable_profiling")
        writer.write(.bool(options.enableProfiling))
        if options.debug {
            writer.appendASCII(",")
            writer.writeKey("debug")
            writer.write(.bool(true))
        }
        if options.disableSinks {
            writer.appendASCII(",")
            writer.writeKey("disable_sinks")
            writer.write(.bool(true))
        }
        writer.appendASCII(",")
        writer.writeKey("inputs")
        writer.appendASCII("{")
        var first = true
        for image in images {
            if !first { writer.appendASCII(",") }
            first = false
            writer.writeKey(image.name)
            write(image.input, into: &writer)
        }
        for parameter in parameters {
            if !first { writer.appendASCII(",") }
            first = false
            writer.writeKey(parameter.name)
            writer.write(parameter.value)
        }
        writer.appendASCII("}")
        if !options.excludedFields.isEmpty {
            writer.appendASCII(",")
            writer.writeKey("excluded_fields")
            writer.write(.array(options.excludedFields.map { .string($0) }))
        }
        switch target {
        case .inline:
            writer.appendASCII(",")
            writer.writeKey("specification")
            writer.appendRaw(specificationBytes)
        case .saved:
            if let version = options.workflowVersionID {
                writer.appendASCII(",")
                writer.writeKey("workflow_version_id")
                writer.writeString(version)
            }
        }
        writer.appendASCII("}")
        return writer.bytes
    }

    static func write(_ input: ResolvedInput, into writer: inout JSONWriter<ByteBuffer>) {
        switch input {
        case .batch(let items):
            writer.appendASCII("[")
            for (i, item) in items.enumerated() {
                if i > 0 { writer.appendASCII(",") }
                write(item, into: &writer)
            }
            writer.appendASCII("]")
        case .image(.encoded(let bytes)):
            writer.appendASCII("{\"type\":\"base64\",\"value\":")
            bytes.withUnsafeBytes { writer.writeBase64String(of: $0) }
            writer.appendASCII("}")
        case .image(.frame(let bytes, let metadata)):
            writer.appendASCII("{\"type\":\"base64\",\"value\":")
            bytes.withUnsafeBytes { writer.writeBase64String(of: $0) }
            writer.appendASCII(",\"video_metadata\":")
            writer.write(metadata.wireJSON)
            writer.appendASCII("}")
        case .image(.reference(let url)):
            writer.appendASCII("{\"type\":\"url\",\"value\":")
            writer.writeString(url)
            writer.appendASCII("}")
        }
    }
}

extension VideoMetadata {
    /// The `video_metadata` object the server's `VideoMetadata` model reads (absent fields are left out).
    var wireJSON: JSONValue {
        var object = JSONObject()
        object["video_identifier"] = .string(videoIdentifier ?? "video")
        object["frame_number"] = .int(frameNumber ?? 0)
        if let frameTimestamp { object["frame_timestamp"] = .string(frameTimestamp) }
        if let fps { object["fps"] = .double(fps) }
        if let measuredFPS { object["measured_fps"] = .double(measuredFPS) }
        if let comesFromVideoFile { object["comes_from_video_file"] = .bool(comesFromVideoFile) }
        if let totalFrames { object["total_frames"] = .int(totalFrames) }
        return .object(object)
    }
}
