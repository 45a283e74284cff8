import NIOCore

/// Builds the JSON body of a direct model call (`/infer/{task}`): `api_key` (when it travels in the body),
/// `model_id`, the task's options, then `image` — one object for one image, a list for several — base64-encoded
/// straight into a pooled buffer.
enum ModelRequestBody {
    static func build(
        modelID: String, task: ModelTask, images: [ResolvedImage], options: ModelInferenceOptions, apiKeyInBody: String?,
        in pool: BodyBufferPool
    ) -> ByteBuffer {
        let estimate = 512 + images.reduce(0) { $0 + $1.wireSize }
        var writer = JSONWriter(into: pool.take(capacity: estimate))
        writer.appendASCII("{")
        if let apiKeyInBody {
            writer.writeKey("api_key")
            writer.writeString(apiKeyInBody)
            writer.appendASCII(",")
        }
        writer.writeKey("model_id")
        writer.writeString(modelID)
        for (name, value) in options.fields(for: task) {
            writer.appendASCII(",")
            writer.writeKey(name)
            writer.write(value)
        }
        writer.appendASCII(",")
        writer.writeKey("image")
        if images.count == 1, let image = images.first {
            WorkflowRequestBody.write(.image(image), into: &writer)
        } else {
            WorkflowRequestBody.write(.batch(images.map { .image($0) }), into: &writer)
        }
        writer.appendASCII("}")
        return writer.bytes
    }
}
