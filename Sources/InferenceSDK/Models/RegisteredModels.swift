/// The models a server has loaded: what `GET /model/registry`, `POST /model/add`, `/model/remove` and
/// `/model/clear` answer (`ModelsDescriptions` on the server).
public struct RegisteredModels: Sendable {
    /// The loaded models.
    public var models: [ModelDescription]
    /// `total_vram_bytes`: estimated GPU memory of all loaded models.
    public var totalVRAMBytes: Int?
    /// `gpu_memory_used`: device-level GPU memory in use.
    public var gpuMemoryUsed: Int?
    /// `gpu_memory_total`.
    public var gpuMemoryTotal: Int?
    /// The body as sent.
    public var raw: JSONValue

    /// The loaded models' ids.
    public var modelIDs: [String] { models.map(\.modelID) }
}

/// One loaded model (`ModelDescriptionEntity`).
public struct ModelDescription: Sendable, Equatable {
    /// `model_id`, e.g. `some-project/3`.
    public var modelID: String
    /// `task_type`, e.g. `object-detection`, `classification`.
    public var taskType: String?
    /// `batch_size` (absent for dynamic batching).
    public var batchSize: Int?
    /// `input_height`.
    public var inputHeight: Int?
    /// `input_width`.
    public var inputWidth: Int?
    /// `vram_bytes`: estimated GPU memory measured while loading.
    public var vramBytes: Int?
    /// `request_aliases`: other ids that resolved to this model.
    public var requestAliases: [String]
    /// `request_paths`: HTTP paths that ran this model.
    public var requestPaths: [String]
}

extension RegisteredModels {
    init(parsing json: JSONValue) throws(InferenceError) {
        guard let list = json["models"]?.arrayValue else {
            throw InferenceError(.invalidResponse, "the model registry answer has no models list")
        }
        var models: [ModelDescription] = []
        for (index, item) in list.enumerated() {
            guard let id = item["model_id"]?.stringValue else {
                throw InferenceError(.invalidResponse, "models[\(index)] has no model_id")
            }
            models.append(ModelDescription(
                modelID: id, taskType: item["task_type"]?.stringValue, batchSize: item["batch_size"]?.intValue,
                inputHeight: item["input_height"]?.intValue, inputWidth: item["input_width"]?.intValue,
                vramBytes: item["vram_bytes"]?.intValue,
                requestAliases: (item["request_aliases"]?.arrayValue ?? []).compactMap(\.stringValue),
                requestPaths: (item["request_paths"]?.arrayValue ?? []).compactMap(\.stringValue)
            ))
        }
        self.init(
            models: models, totalVRAMBytes: json["total_vram_bytes"]?.intValue, gpuMemoryUsed: json["gpu_memory_used"]?.intValue,
            gpuMemoryTotal: json["gpu_memory_total"]?.intValue, raw: json
        )
    }
}
