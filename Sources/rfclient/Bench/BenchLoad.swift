import Foundation
import InferenceSDK
import NIOConcurrencyHelpers
import RFClientCommon

/// What `rfclient bench` sends: the workflow, the images each request takes (cycling), the parameters.
struct BenchWorkload: Sendable {
    var target: WorkflowTarget
    /// Image inputs by name, each with the images it cycles through (request `i` takes image `i mod count`).
    var images: [(name: String, cycle: [ImageInput])]
    var parameters: [String: JSONValue]
    var options: WorkflowRunOptions

    /// The inputs of request number `index`.
    func images(for index: Int) -> [String: ImageInput] {
        var inputs: [String: ImageInput] = [:]
        for input in images where !input.cycle.isEmpty { inputs[input.name] = input.cycle[index % input.cycle.count] }
        return inputs
    }

    /// Sends request number `index` once (the client is configured without retries).
    func send(_ index: Int, with client: InferenceHTTPClient) async -> Result<WorkflowRunResult, InferenceError> {
        do throws(InferenceError) {
            return .success(try await client.run(target, images: images(for: index), parameters: parameters, options: options))
        } catch {
            return .failure(error)
        }
    }
}

/// How long a measured phase runs.
enum BenchStop: Sendable {
    case requests(Int)
    case duration(Duration)
}

/// Drives requests: a closed loop (C workers, each sending its next request when the last one answers) or an
/// open loop (a constant arrival rate, latency measured from each request's intended start, so a stalled
/// server shows up in the percentiles instead of slowing the sender down and hiding it).
struct BenchLoad: Sendable {
    var workload: BenchWorkload
    var client: InferenceHTTPClient

    /// A request that failed before anything was sent (bad image, bad definition): the run stops on it.
    struct InputFailure: Error {
        var error: InferenceError
    }

    /// Closed loop: `concurrency` workers; returns when `stop` is reached and every request has answered.
    func closedLoop(
        concurrency: Int, stop: BenchStop, firstIndex: Int = 0, recorder: BenchRecorder
    ) async throws(InputFailure) {
        let clock = ContinuousClock()
        let started = clock.now
        let counter = NIOLockedValueBox(0)
        let inputFailure = NIOLockedValueBox<InferenceError?>(nil)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, concurrency) {
                group.addTask {
                    while inputFailure.withLockedValue({ $0 == nil }), !Task.isCancelled {
                        let index: Int? = counter.withLockedValue { next in
                            switch stop {
                            case .requests(let n): guard next < n else { return nil }
                            case .duration(let d): guard clock.now - started < d else { return nil }
                            }
                            defer { next += 1 }
                            return next
                        }
                        guard let index else { return }
                        let start = clock.now
                        let outcome = await workload.send(firstIndex + index, with: client)
                        if case .failure(let error) = outcome, error.attempts == 0, error.kind == .invalidInput || error.kind == .requestTooLarge {
                            inputFailure.withLockedValue { $0 = $0 ?? error }
                            return
                        }
                        if Task.isCancelled { return }  // interrupted: an abandoned request is not an outcome
                        recorder.record(latency: clock.now - start, outcome: outcome)
                    }
                }
            }
        }
        if let error = inputFailure.withLockedValue({ $0 }) { throw InputFailure(error: error) }
    }

    /// Open loop: request `i` is due at `start + i / rps`; at most `maxInFlight` are in flight (a due request
    /// waits for a free slot, and the wait counts in its latency).
    func openLoop(rps: Double, maxInFlight: Int, stop: BenchStop, recorder: BenchRecorder) async throws(InputFailure) {
        let clock = ContinuousClock()
        let started = clock.now
        let interval = Duration.nanoseconds(Int64((1e9 / rps).rounded()))
        let inputFailure = NIOLockedValueBox<InferenceError?>(nil)
        await withTaskGroup(of: Void.self) { group in
            var index = 0
            var inFlight = 0
            while inputFailure.withLockedValue({ $0 == nil }), !Task.isCancelled {
                let due = started + interval * index
                if case .requests(let n) = stop, index >= n { break }
                if case .duration(let d) = stop, due - started >= d { break }
                if clock.now < due { try? await clock.sleep(until: due, tolerance: .microseconds(100)) }
                if Task.isCancelled { break }
                while inFlight >= max(1, maxInFlight) {
                    _ = await group.next()
                    inFlight -= 1
                }
                let requestIndex = index
                group.addTask {
                    let outcome = await workload.send(requestIndex, with: client)
                    if case .failure(let error) = outcome, error.attempts == 0, error.kind == .invalidInput || error.kind == .requestTooLarge {
                        inputFailure.withLockedValue { $0 = $0 ?? error }
                        return
                    }
                    if Task.isCancelled { return }
                    recorder.record(latency: clock.now - due, outcome: outcome)
                }
                inFlight += 1
                index += 1
            }
            await group.waitForAll()
        }
        if let error = inputFailure.withLockedValue({ $0 }) { throw InputFailure(error: error) }
    }
}
