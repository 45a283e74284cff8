/// The server's model registry: which models are loaded, load one, unload one or all.
/// Self-hosted servers only (the hosted API has no such routes).
extension InferenceHTTPClient {
    /// The loaded models: `GET /model/registry`.
    public func listModels() async throws(InferenceError) -> RegisteredModels {
        try RegisteredModels(parsing: try await getJSON("/model/registry").0)
    }

    /// Loads a model: `POST /model/add {model_id, api_key}`. Returns the registry afterwards.
    ///
    /// The server downloads the weights from Roboflow with the client's API key; an offline server answers
    /// HTTP 503 `{"message": "Internal error. Could not connect to Roboflow API."}` (a `.serverFailure` that is
    /// retried per the retry policy, then thrown with the server's message).
    public func loadModel(_ modelID: String, modelType: String? = nil) async throws(InferenceError) -> RegisteredModels {
        try Self.checkModelID(modelID)
        var body: JSONObject = ["model_id": .string(modelID)]
        if let modelType { body["model_type"] = .string(modelType) }
        if let key = apiKeyForBody { body["api_key"] = .string(key) }
        return try RegisteredModels(parsing: try await postJSON("/model/add", .object(body)).0)
    }

    /// Unloads a model: `POST /model/remove {model_id}`. Returns the registry afterwards.
    /// The 1.8.3 server answers success for a model that is not loaded.
    public func unloadModel(_ modelID: String) async throws(InferenceError) -> RegisteredModels {
        try Self.checkModelID(modelID)
        return try RegisteredModels(parsing: try await postJSON("/model/remove", ["model_id": .string(modelID)]).0)
    }

    /// Unloads every model: `POST /model/clear`. Returns the (empty) registry.
    public func unloadAllModels() async throws(InferenceError) -> RegisteredModels {
        let response = try await send(method: "POST", path: "/model/clear", body: nil)
        return try RegisteredModels(parsing: try Self.parseJSON(response))
    }

    static func checkModelID(_ modelID: String) throws(InferenceError) {
        if modelID.trimming(" \t\n").isEmpty {
            throw InferenceError(.invalidInput, "the model id is empty (e.g. some-project/3)", input: "model_id")
        }
    }
}
