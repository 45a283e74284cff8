/// What a pipeline's source buffer does when it is full (`source_buffer_filling_strategy`).
///
/// For a video **file** whose every frame matters, use ``wait`` with ``BufferConsumptionStrategy/lazy``:
/// with the defaults (`dropOldest`/`eager`) the server decodes the file as fast as it can and skips most frames.
public enum BufferFillingStrategy: String, Sendable, Codable, CaseIterable {
    /// Block the decoder until there is room: no frame is skipped.
    case wait = "WAIT"
    /// Drop the oldest buffered frame (the Python SDK's default).
    case dropOldest = "DROP_OLDEST"
    /// Drop the oldest frame, adapting to the processing speed.
    case adaptiveDropOldest = "ADAPTIVE_DROP_OLDEST"
    /// Drop the newest frame.
    case dropLatest = "DROP_LATEST"
    /// Drop the newest frame, adapting to the processing speed.
    case adaptiveDropLatest = "ADAPTIVE_DROP_LATEST"
}

/// How a pipeline takes frames from its source buffer (`source_buffer_consumption_strategy`).
public enum BufferConsumptionStrategy: String, Sendable, Codable, CaseIterable {
    /// Take every buffered frame in order.
    case lazy = "LAZY"
    /// Take the newest frame and discard older ones (the Python SDK's default).
    case eager = "EAGER"
}
