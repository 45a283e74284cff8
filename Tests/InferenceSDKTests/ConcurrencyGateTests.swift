@testable import InferenceSDK
import Testing
import TestSupport

/// ``ConcurrencyGate``: requests over the limit wait in order, a cancelled wait ends at once and holds no place.
@Suite struct ConcurrencyGateTests {
    /// A gate limiting to `permits` after a 429 met with `inFlight` requests in flight (decrease ×0.5).
    static func limitedGate(inFlight: Int) async throws -> (ConcurrencyGate, [Int]) {
        let gate = ConcurrencyGate(policy: AdaptiveConcurrency(decreaseFactor: 0.5))
        var epochs: [Int] = []
        for _ in 0..<inFlight { epochs.append(try await gate.enter()) }
        gate.leave(epoch: epochs.removeFirst(), status: 429)  // limit inFlight × 0.5
        return (gate, epochs)
    }

    @Test func requestsOverTheLimitWaitAndAreAdmittedInOrder() async throws {
        let (gate, held) = try await Self.limitedGate(inFlight: 4)  // limit 2, 3 in flight
        #expect(gate.statistics.limit == 2)
        let order = Recorder()
        var waiters: [Task<Int, any Error>] = []
        for index in 0..<3 {
            waiters.append(Task {
                let epoch = try await gate.enter()
                await order.append(index)
                return epoch
            })
            // One at a time, so that their order of arrival is known.
            #expect(await eventually(timeout: .seconds(5), every: .milliseconds(5)) { gate.statistics.waiting == index + 1 })
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(await order.values.isEmpty, "admitted over the limit")
        for epoch in held { gate.leave(epoch: epoch, status: 200) }  // 3 → 0 in flight: 2 admitted
        #expect(await eventually(timeout: .seconds(5), every: .milliseconds(10)) { await order.values.count == 2 })
        #expect(await order.values == [0, 1])
        let first = try await waiters[0].value
        gate.leave(epoch: first, status: 200)
        let third = try await waiters[2].value
        #expect(await order.values == [0, 1, 2])
        gate.leave(epoch: try await waiters[1].value, status: 200)
        gate.leave(epoch: third, status: 200)
        #expect(gate.statistics.requestsInFlight == 0)
        #expect(gate.statistics.waiting == 0)
    }

    @Test func cancellingAWaitEndsItAndHoldsNoPlace() async throws {
        let (gate, held) = try await Self.limitedGate(inFlight: 2)  // limit 1, 1 in flight
        let waiter = Task { try await gate.enter() }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(gate.statistics.waiting == 0)
        #expect(gate.statistics.requestsInFlight == 1)
        gate.leave(epoch: held[0], status: 200)
        let next = try await gate.enter()
        #expect(gate.statistics.requestsInFlight == 1)
        gate.leave(epoch: next, status: 200)
    }

    @Test func anAlreadyCancelledTaskDoesNotWait() async throws {
        let (gate, _) = try await Self.limitedGate(inFlight: 2)
        let waiter = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await gate.enter()
        }
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(gate.statistics.waiting == 0)
    }
}

/// Values appended from several tasks.
actor Recorder {
    private(set) var values: [Int] = []
    func append(_ value: Int) { values.append(value) }
}
