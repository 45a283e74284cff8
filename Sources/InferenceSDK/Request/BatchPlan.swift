/// Checks batch lengths and splits large batches into chunks that are sent separately and merged in order.
///
/// The server pairs the i-th elements of batched inputs and broadcasts a single image (or a batch of 1)
/// against longer batches; any other length mismatch is an error, reported here before sending.
enum BatchPlan {
    /// The common batch length (1 when nothing is batched).
    static func batchLength(_ images: [(name: String, input: ResolvedInput)]) throws(InferenceError) -> Int {
        var length = 1
        var owner: String?
        for image in images {
            let count = image.input.batchCount
            guard count != 1 else { continue }
            if length == 1 {
                length = count
                owner = image.name
            } else if count != length {
                throw InferenceError(
                    .invalidInput,
                    "batch lengths differ: '\(owner ?? "?")' has \(length) images and '\(image.name)' has \(count); "
                        + "batched inputs must have the same length (or 1)",
                    input: image.name
                )
            }
        }
        return length
    }

    /// Splits into chunks of at most `maxBatchSize` elements; single images are repeated in every chunk.
    static func chunks(
        _ images: [(name: String, input: ResolvedInput)], length: Int, maxBatchSize: Int?
    ) -> [[(name: String, input: ResolvedInput)]] {
        guard let maxBatchSize, maxBatchSize > 0, length > maxBatchSize else { return [images] }
        var result: [[(name: String, input: ResolvedInput)]] = []
        var start = 0
        while start < length {
            let end = min(start + maxBatchSize, length)
            result.append(images.map { image in
                if case .batch(let items) = image.input, items.count == length {
                    return (image.name, .batch(Array(items[start..<end])))
                }
                return image
            })
            start = end
        }
        return result
    }
}
