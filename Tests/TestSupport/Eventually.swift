/// Polls `condition` until it holds or `timeout` passes; returns whether it held (checked once more at the end).
public func eventually(
    timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(200), _ condition: () async -> Bool
) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return await condition()
}
