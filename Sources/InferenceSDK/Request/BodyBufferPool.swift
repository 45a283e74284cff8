import Foundation
import NIOCore

/// Request-body buffers kept for reuse: workflow bodies are written (images base64-encoded) straight into
/// memory that is already mapped instead of freshly faulted-in pages (glibc unmaps a freed megabyte-sized
/// block, so a new one page-faults back in on every request: measured 30–35 % of client CPU at 1 MB bodies). AsyncHTTPClient lets go of a request's body a moment after the response is
/// complete, and `clear()` on a buffer still shared would allocate anew; so the buffer returned last is not
/// reused until another one has come back. At most `inFlight + 2` buffers and 32 MB are kept.
final class BodyBufferPool: @unchecked Sendable {
    static let maxRetainedBytes = 32 << 20
    private let minimumAge = 1
    private let maxKept: Int
    private let lock = NSLock()
    private var buffers: [ByteBuffer] = []
    private var retainedBytes = 0

    init(inFlight: Int) {
        self.maxKept = max(1, inFlight) + 2
    }

    /// An empty buffer with room for `capacity` bytes: the oldest pooled one when it is old enough, a new one otherwise.
    func take(capacity: Int) -> ByteBuffer {
        // Swapped out of the array, not copied: the buffer must stay uniquely referenced, or `clear()` would
        // allocate fresh storage instead of reusing the pooled one.
        var buffer = ByteBuffer()
        lock.lock()
        let reuse = buffers.count > minimumAge
        if reuse {
            swap(&buffer, &buffers[0])
            buffers.removeFirst()
            retainedBytes -= buffer.capacity
        }
        lock.unlock()
        guard reuse else { return ByteBufferAllocator().buffer(capacity: capacity) }
        buffer.clear(minimumCapacity: capacity)
        return buffer
    }

    /// Returns a buffer for reuse; dropped when the pool is full.
    func give(_ buffer: ByteBuffer) {
        lock.lock()
        defer { lock.unlock() }
        guard buffers.count < maxKept, retainedBytes + buffer.capacity <= Self.maxRetainedBytes else { return }
        buffers.append(buffer)
        retainedBytes += buffer.capacity
    }
}

