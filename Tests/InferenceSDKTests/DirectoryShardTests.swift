import Testing
import InferenceJobs
@testable import InferenceSDK

/// `DirectoryShard`: a deterministic partition by relative path.
@Suite struct DirectoryShardTests {
    static let paths: [String] = (0..<2000).map { i in
        i % 3 == 0 ? "img_\(i).jpg" : i % 3 == 1 ? "cam\(i % 7)/frame-\(i).png" : "a/b/c/\(i).jpeg"
    }

    @Test(arguments: [1, 2, 3, 4, 7, 16])
    func everyPathIsInExactlyOneShard(_ count: Int) throws {
        var sizes: [Int] = []
        for path in Self.paths {
            var owners = 0
            for index in 1...count where try DirectoryShard(index: index, count: count).contains(relativePath: path) { owners += 1 }
            #expect(owners == 1, "\(path)")
        }
        for index in 1...count {
            let shard = try DirectoryShard(index: index, count: count)
            sizes.append(Self.paths.filter { shard.contains(relativePath: $0) }.count)
        }
        // Balanced enough to split work: every shard within 25 % of the even share.
        let even = Double(Self.paths.count) / Double(count)
        #expect(sizes.allSatisfy { abs(Double($0) - even) <= even * 0.25 }, "\(sizes)")
    }

    @Test func theHashIsStable() {
        // Pinned values (computed independently from the FNV-1a + fmix64 definition): a change here would move
        // images between the shards of jobs already under way on other machines.
        #expect(DirectoryShard.shardIndex(of: "a.jpg", count: 97) == 14)
        #expect(DirectoryShard.shardIndex(of: "dir/b.png", count: 97) == 39)
        #expect(DirectoryShard.shardIndex(of: "img_0.jpg", count: 1000) == 99)
        #expect(DirectoryShard.shardIndex(of: "a/b.png", count: 1) == 1)
    }

    @Test func parsing() throws {
        let shard = try DirectoryShard(parsing: "2/8")
        #expect(shard.index == 2 && shard.count == 8)
        #expect(shard.description == "2/8")
        for bad in ["0/3", "4/3", "1/0", "a/b", "3", "", "1/", "/3", "-1/3", "1/3/5", "+1/3", " 1/3"] {
            #expect(throws: InferenceError.self, "\(bad)") { try DirectoryShard(parsing: bad) }
        }
    }
}
