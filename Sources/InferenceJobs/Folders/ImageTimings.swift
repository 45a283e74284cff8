import InferenceSDK
/// The timing columns a directory job with ``DirectoryJob/Configuration/timings`` adds to each image's row of
/// the aggregates: the server's metadata headers (``ServerMetadata``) and the client's round trip.
///
/// Columns (seconds as numbers; a column is left out when the server did not send its header):
/// `client_round_trip_time` (reading the file to the decoded answer, retries included), `server_processing_time`,
/// `server_remote_processing_time`, `server_model_cold_start`, `server_model_cold_start_count`,
/// `server_model_load_time`, `server_model_ids` (comma-separated), `server_request_id`.
/// A batch split into several requests sums their times.
enum ImageTimings {
    /// The column names, in the order they are written.
    static let columns = [
        "client_round_trip_time", "server_processing_time", "server_remote_processing_time", "server_model_cold_start",
        "server_model_cold_start_count", "server_model_load_time", "server_model_ids", "server_request_id",
    ]

    /// The columns for a finished run that was sent at `sent`.
    static func row(_ result: WorkflowRunResult, since sent: ContinuousClock.Instant) -> JSONObject {
        var row = JSONObject()
        row["client_round_trip_time"] = .double((ContinuousClock.now - sent).seconds)
        let all = result.serverMetadata
        func sum(_ values: [Double?]) -> JSONValue? {
            let present = values.compactMap { $0 }
            return present.isEmpty ? nil : .double(present.reduce(0, +))
        }
        row["server_processing_time"] = sum(all.map(\.processingTime))
        row["server_remote_processing_time"] = sum(all.map(\.remoteProcessingTime))
        let coldStarts = all.compactMap(\.modelColdStart)
        if !coldStarts.isEmpty { row["server_model_cold_start"] = .bool(coldStarts.contains(true)) }
        let counts = all.compactMap(\.modelColdStartCount)
        if !counts.isEmpty { row["server_model_cold_start_count"] = .int(counts.reduce(0, +)) }
        row["server_model_load_time"] = sum(all.map(\.modelLoadTime))
        var models: [String] = []
        for id in all.flatMap(\.modelIDs) where !models.contains(id) { models.append(id) }
        if !models.isEmpty { row["server_model_ids"] = .string(models.joined(separator: ",")) }
        let ids = all.compactMap(\.requestID)
        if !ids.isEmpty { row["server_request_id"] = .string(ids.joined(separator: ",")) }
        return row
    }
}
