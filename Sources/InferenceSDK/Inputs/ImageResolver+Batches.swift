/// What the resolver checks before anything is read, and batches of URL images downloaded concurrently.
extension ImageResolver {
    /// URL downloads in flight at once while resolving one batch.
    static let concurrentDownloads = 8

    /// Refuses, without reading any image, what can be known to be bad: files that are missing, unreadable, empty,
    /// too large or folders, base64 that does not decode, malformed URLs, empty byte arrays (empty batches are
    /// refused before, by ``checkNoEmptyBatch(_:path:)``).
    /// A split batch is checked this way as a whole before its first chunk is sent; reading, decoding checks,
    /// downloads and pixel encoding then happen chunk by chunk.
    func precheck(_ input: ImageInput, path: String) throws(InferenceError) {
        switch input {
        case .batch(let items):
            for (index, item) in items.enumerated() { try precheck(item, path: "\(path)[\(index)]") }
        case .image(let image):
            func refuse(_ reason: String) -> InferenceError {
                InferenceError(.invalidInput, "\(image.label) \(reason)", input: path)
            }
            switch image.source {
            case .file(let file):
                do {
                    try FileReader.probe(file, maxBytes: maxImageBytes)
                } catch {
                    throw refuse(error.reason)
                }
            case .encoded(let bytes):
                guard !bytes.isEmpty else { throw refuse("is empty") }
            case .base64(let text):
                _ = try decodeBase64(text, refuse)
            case .url(let url, _):
                _ = try parseURL(url, refuse)
            case .pixels:
                break
            }
        }
    }

    /// Checks that no batch is empty (before the batch lengths are compared).
    func checkNoEmptyBatch(_ input: ImageInput, path: String) throws(InferenceError) {
        guard case .batch(let items) = input else { return }
        guard !items.isEmpty else { throw InferenceError(.invalidInput, "empty batch: give at least one image", input: path) }
        for (index, item) in items.enumerated() { try checkNoEmptyBatch(item, path: "\(path)[\(index)]") }
    }

    /// Resolves the elements of a batch with up to ``concurrentDownloads`` at once, in order; the error of the
    /// lowest-numbered failing element is the one thrown.
    func resolveConcurrently(_ items: [ImageInput], path: String, offset: Int) async throws(InferenceError) -> [ResolvedInput] {
        let results: [Result<ResolvedInput, InferenceError>?] = await withTaskGroup(
            of: (Int, Result<ResolvedInput, InferenceError>).self
        ) { group in
            var results = [Result<ResolvedInput, InferenceError>?](repeating: nil, count: items.count)
            var next = 0
            func schedule() {
                let index = next
                next += 1
                group.addTask {
                    do throws(InferenceError) {
                        return (index, .success(try await self.resolve(items[index], path: "\(path)[\(offset + index)]")))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            while next < min(Self.concurrentDownloads, items.count) { schedule() }
            while let (index, result) = await group.next() {
                results[index] = result
                if case .failure = result { group.cancelAll() } else if next < items.count { schedule() }
            }
            return results
        }
        // Elements cancelled because another failed are not the cause: report the first real failure.
        let failures = results.compactMap { result -> InferenceError? in
            if case .failure(let error) = result { return error }
            return nil
        }
        if let failure = failures.first(where: { $0.kind != .cancelled }) ?? failures.first { throw failure }
        var out: [ResolvedInput] = []
        out.reserveCapacity(items.count)
        for case .success(let value)? in results { out.append(value) }
        guard out.count == items.count else { throw InferenceError(.cancelled, "cancelled while downloading \(path)") }
        return out
    }
}

extension ImageInput {
    /// Whether this is one image that the client downloads (a URL not sent by reference).
    var isDownload: Bool {
        guard case .image(let image) = self, case .url(_, let mode) = image.source else { return false }
        return mode != .reference
    }
}
