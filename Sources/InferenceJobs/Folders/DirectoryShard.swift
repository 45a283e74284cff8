import InferenceSDK
/// One share of a folder, `K/N` (1-based, as `split -n K/N`): the images whose path relative to the folder
/// hashes to `K`. Shards `1/N … N/N` together hold every image exactly once, whatever machine computes
/// them, so N jobs (a Kubernetes Indexed Job, a Slurm array, GNU parallel) can split one folder without
/// talking to each other, each resumable in its own output folder.
///
/// The hash is 64-bit FNV-1a of the relative path's UTF-8 bytes (`/`-separated) with MurmurHash3's finaliser,
/// taken modulo `N`: stable
/// across runs, platforms and Swift versions (Swift's own `Hasher` is seeded per process), and independent
/// of the folder's listing order, so adding images does not move the others to another shard.
public struct DirectoryShard: Sendable, Hashable, CustomStringConvertible {
    /// The shard's number, 1…``count``.
    public let index: Int
    /// How many shards the folder is split into.
    public let count: Int

    /// Creates shard `index` of `count`; throws `.invalidInput` unless `1 ≤ index ≤ count`.
    public init(index: Int, count: Int) throws(InferenceError) {
        guard count >= 1 else {
            throw InferenceError(.invalidInput, "the shard count must be at least 1, got \(count)", input: "shard")
        }
        guard (1...count).contains(index) else {
            throw InferenceError(.invalidInput, "the shard number must be between 1 and \(count), got \(index)", input: "shard")
        }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`, e.g. `2/8`; throws `.invalidInput` naming the text for anything else.
    public init(parsing text: String) throws(InferenceError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else {
            throw InferenceError(.invalidInput, "'\(text)' is not a shard K/N (e.g. 1/4: the first of 4 shards)", input: "shard")
        }
        try self.init(index: index, count: count)
    }

    /// Whether the image at `relativePath` (relative to the folder, `/`-separated) belongs to this shard.
    public func contains(relativePath: String) -> Bool {
        Self.shardIndex(of: relativePath, count: count) == index
    }

    /// The shard (1…`count`) that `relativePath` belongs to.
    public static func shardIndex(of relativePath: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in relativePath.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        // MurmurHash3's 64-bit finaliser: spreads the last bytes (shared extensions) into the low bits.
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return Int(hash % UInt64(max(1, count))) + 1
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }
}
