import Foundation

/// A seeded pseudo-random generator (SplitMix64) for tests that draw random inputs: the seed is printed, and
/// `TEST_SEED=<n>` in the environment replays a run exactly.
public struct SeededRandom: RandomNumberGenerator, Sendable, CustomStringConvertible {
    /// The seed this generator started from.
    public let seed: UInt64
    private var state: UInt64

    /// A generator seeded from `TEST_SEED`, else from the system generator; prints the seed with `label`.
    public init(_ label: String) {
        let fromEnvironment = ProcessInfo.processInfo.environment["TEST_SEED"].flatMap { UInt64($0) }
        self.init(seed: fromEnvironment ?? UInt64.random(in: 0...UInt64.max))
        print("\(label): random seed \(seed) (TEST_SEED=\(seed) replays it)")
    }

    /// A generator with this seed.
    public init(seed: UInt64) {
        self.seed = seed
        self.state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `seed <n>`, for expectation messages.
    public var description: String { "seed \(seed)" }
}
