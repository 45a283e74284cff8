@testable import InferenceSDK
import Testing

/// The AIMD rules of ``AdaptiveLimit``, step by step (no clock, no server).
@Suite struct AdaptiveLimitTests {
    /// `count` requests started in the current epoch; returns their epochs.
    static func start(_ state: inout AdaptiveLimit, _ count: Int) -> [Int] {
        (0..<count).map { _ in state.start() }
    }

    @Test func nothingIsLimitedBeforeTheFirst429() {
        var state = AdaptiveLimit(policy: .default)
        let epochs = Self.start(&state, 16)
        #expect(state.mayStart)
        #expect(state.permits == nil)
        for epoch in epochs { state.finish(epoch: epoch, status: 200) }
        for epoch in Self.start(&state, 3) { state.finish(epoch: epoch, status: 500) }
        #expect(state.permits == nil)
        #expect(state.inFlight == 0)
        #expect(state.peak == 16)
        #expect(state.rateLimited == 0)
    }

    @Test func theFirst429CutsFromWhatTheServerAcceptedOfTheBurst() {
        var state = AdaptiveLimit(policy: .default)
        let epochs = Self.start(&state, 16)
        state.finish(epoch: epochs[0], status: 429)
        // 16 in flight × 0.7 = 11.2
        #expect(state.permits == 11)
        #expect(state.decreases == 1)
        // Three more of the same burst: each leaves the base (−0.7 each), no second decrease.
        for epoch in epochs[1...3] { state.finish(epoch: epoch, status: 429) }
        #expect(abs((state.limit ?? 0) - (11.2 - 2.1)) < 1e-9)
        #expect(state.permits == 9)
        #expect(state.decreases == 1)
        #expect(state.rateLimited == 4)
        #expect(state.inFlight == 12)
        #expect(!state.mayStart)
    }

    @Test func a429CutsAtMostOncePerWindow() {
        var state = AdaptiveLimit(policy: .default)
        let first = Self.start(&state, 10)
        state.finish(epoch: first[0], status: 429)  // 10 × 0.7 = 7, epoch 1
        for epoch in first[1...9] { state.finish(epoch: epoch, status: 200) }
        let limit = state.limit ?? 0
        let second = Self.start(&state, 3)  // sent in epoch 1
        state.finish(epoch: second[0], status: 429)  // a window's first 429: × 0.7, epoch 2
        #expect(abs((state.limit ?? 0) - limit * 0.7) < 1e-9)
        #expect(state.decreases == 2)
        // The rest of that window's 429s do nothing (the first period's burst rule is over too).
        state.finish(epoch: second[1], status: 429)
        state.finish(epoch: second[2], status: 429)
        #expect(abs((state.limit ?? 0) - limit * 0.7) < 1e-9)
        #expect(state.decreases == 2)
        #expect(state.rateLimited == 4)
    }

    @Test func twoXXAnswersGrowTheLimitByTheIncreasePerWindow() {
        var state = AdaptiveLimit(policy: AdaptiveConcurrency(increasePerWindow: 0.5))
        let epochs = Self.start(&state, 16)
        state.finish(epoch: epochs[0], status: 429)  // 11.2
        let before = state.limit ?? 0
        // A window's worth (11) of 2xx: +0.5 in all, a little less as the limit grows.
        for epoch in epochs[1...11] { state.finish(epoch: epoch, status: 200) }
        let grown = (state.limit ?? 0) - before
        #expect(grown > 0.45 && grown <= 0.5, "grew \(grown)")
        // Other statuses and failures leave it.
        let now = state.limit
        for epoch in epochs[12...14] { state.finish(epoch: epoch, status: epoch == 0 ? 503 : nil) }
        state.finish(epoch: epochs[15], status: 403)
        #expect(state.limit == now)
    }

    @Test func theLimitNeverExceedsThePeakAndStopsThereUntilTheNext429() {
        var state = AdaptiveLimit(policy: AdaptiveConcurrency(increasePerWindow: 4))
        let epochs = Self.start(&state, 8)
        state.finish(epoch: epochs[0], status: 429)  // 5.6, ceiling 8
        var maxPermits = 0
        for epoch in epochs[1...] {
            state.finish(epoch: epoch, status: 200)
            maxPermits = max(maxPermits, state.permits ?? 0)
        }
        for _ in 0..<10_000 where state.limit != nil {
            let epoch = state.start()
            state.finish(epoch: epoch, status: 200)
            maxPermits = max(maxPermits, state.permits ?? 0)
        }
        #expect(maxPermits < 8, "limited to \(maxPermits) with a ceiling of 8")
        #expect(state.permits == nil, "back at the ceiling: not limiting")
        #expect(Self.start(&state, 20).count == 20 && state.mayStart)
    }

    @Test func theLimitNeverGoesBelowOne() {
        var state = AdaptiveLimit(policy: AdaptiveConcurrency(decreaseFactor: 0.1))
        for _ in 0..<10 {
            let epoch = state.start()
            state.finish(epoch: epoch, status: 429)
            #expect(state.permits == 1)
            #expect(state.mayStart)
        }
        #expect(state.decreases == 10)
        let epoch = state.start()
        #expect(!state.mayStart)
        state.finish(epoch: epoch, status: 200)
        #expect(state.mayStart)
    }

    @Test func disabledCountsButNeverLimits() {
        var state = AdaptiveLimit(policy: .disabled)
        let epochs = Self.start(&state, 16)
        for epoch in epochs { state.finish(epoch: epoch, status: 429) }
        #expect(state.rateLimited == 16)
        #expect(state.permits == nil)
        #expect(state.decreases == 0)
        #expect(Self.start(&state, 16).count == 16 && state.mayStart)
    }

    @Test func settingsAreBroughtIntoRange() {
        let settings = AdaptiveConcurrency(decreaseFactor: 3, increasePerWindow: -1)
        #expect(settings.decreaseFactor == 0.95)
        #expect(settings.increasePerWindow == 0.01)
        #expect(AdaptiveConcurrency(decreaseFactor: .nan).decreaseFactor == 0.7)
        #expect(InferenceClientConfiguration().adaptiveConcurrency == .default)
        #expect(InferenceClientConfiguration().adaptiveConcurrency.isEnabled)
    }
}
