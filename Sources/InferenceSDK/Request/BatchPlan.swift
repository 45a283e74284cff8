/// Checks batch lengths and splits large batches into chunks that are sent separately and merged in order.
///
/// The server pairs the i-th elements of batched inputs and broadcasts a single image (or a batch of 1)
/// against longer batches; any other length mismatch is an error, reported here before sending.
///
/// The plan is made on the caller's inputs *before* they are resolved: a chunk's images are read, downloaded
/// and encoded only when that chunk is about to be sent, so memory is bounded by the chunk size times the
/// chunks in flight, not by the length of the batch.
struct BatchPlan: Sendable {
    /// The common batch length (1 when nothing is batched).
    let length: Int
    /// Element ranges of the batched inputs, one per request (one range covering everything when not split).
    let ranges: [Range<Int>]
    /// Inputs batched over the whole length, sorted by name: sliced per chunk.
    let batched: [(name: String, items: [ImageInput])]
    /// Every other image input (single images, batches of 1), sorted by name: the same in every chunk.
    let shared: [(name: String, input: ImageInput)]

    /// Plans `images` (sorted by name) in chunks of at most `maxBatchSize` elements.
    init(_ images: [String: ImageInput], maxBatchSize: Int?) throws(InferenceError) {
        let sorted = images.keys.sorted().compactMap { name in images[name].map { (name: name, input: $0) } }
        let length = try Self.batchLength(sorted.map { ($0.name, $0.input.batchCount) })
        var batched: [(name: String, items: [ImageInput])] = []
        var shared: [(name: String, input: ImageInput)] = []
        for image in sorted {
            if case .batch(let items) = image.input, items.count == length, length > 1 {
                batched.append((image.name, items))
            } else {
                shared.append(image)
            }
        }
        self.length = length
        self.batched = batched
        self.shared = shared
        if let maxBatchSize, maxBatchSize > 0, length > maxBatchSize, !batched.isEmpty {
            ranges = stride(from: 0, to: length, by: maxBatchSize).map { $0..<min($0 + maxBatchSize, length) }
        } else {
            ranges = [0..<length]
        }
    }

    /// Whether the batch goes out as more than one request.
    var isSplit: Bool { ranges.count > 1 }

    /// The common batch length of inputs with these element counts; a mismatch other than 1 is `.invalidInput`.
    static func batchLength(_ counts: [(name: String, count: Int)]) throws(InferenceError) -> Int {
        var length = 1
        var owner: String?
        for (name, count) in counts {
            guard count != 1 else { continue }
            if length == 1 {
                length = count
                owner = name
            } else if count != length {
                throw InferenceError(
                    .invalidInput,
                    "batch lengths differ: '\(owner ?? "?")' has \(length) images and '\(name)' has \(count); "
                        + "batched inputs must have the same length (or 1)",
                    input: name
                )
            }
        }
        return length
    }
}
