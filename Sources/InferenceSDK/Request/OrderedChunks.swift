/// Runs `count` pieces of work (the chunks of a split batch, the requests of a long `infer` list) with at most `limit`
/// in flight, keeping each result at its index. The first failure cancels the work in flight and schedules no more;
/// the results finished before it are kept.
enum OrderedChunks {
    /// The piece that failed first and its error.
    struct Failure: Sendable {
        let index: Int
        let error: InferenceError
    }

    static func run<T: Sendable>(
        count: Int, limit: Int, _ work: @escaping @Sendable (Int) async throws(InferenceError) -> T
    ) async -> (results: [T?], failure: Failure?) {
        await withTaskGroup(of: (Int, Result<T, InferenceError>).self) { group in
            var results = [T?](repeating: nil, count: count)
            var next = 0
            func schedule() {
                let index = next
                next += 1
                group.addTask {
                    do throws(InferenceError) { return (index, .success(try await work(index))) } catch { return (index, .failure(error)) }
                }
            }
            while next < min(max(1, limit), count) { schedule() }
            while let (index, outcome) = await group.next() {
                switch outcome {
                case .success(let value):
                    results[index] = value
                    if next < count { schedule() }
                case .failure(let error):
                    group.cancelAll()
                    return (results, Failure(index: index, error: error))
                }
            }
            return (results, nil)
        }
    }
}
