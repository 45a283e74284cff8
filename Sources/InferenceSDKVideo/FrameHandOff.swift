import CFFmpeg
import Foundation
import InferenceSDK

/// A frame chosen for sending, on its way from the decoding thread to the JPEG-encoding thread.
struct DecodedFrame {
    /// What the encoder gets.
    enum Payload {
        /// JPEG bytes taken from the source as they are.
        case jpeg([UInt8])
        /// A reference of its own to a decoded picture (`av_frame_clone`); whoever takes it frees it.
        case picture(UnsafeMutablePointer<AVFrame>)
    }

    var number: Int
    var pts: Double
    var payload: Payload
    var metadata: VideoMetadata

    /// Frees the picture reference, if any.
    func release() {
        guard case .picture(let picture) = payload else { return }
        var owned: UnsafeMutablePointer<AVFrame>? = picture
        av_frame_free(&owned)
    }
}

/// A small bounded queue between the decoding thread and the encoding thread, so that decoding the next frame and
/// encoding this one run side by side. A file waits for room; a live source drops the oldest waiting frame.
final class FrameHandOff: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [DecodedFrame] = []
    private var closed = false
    private let capacity: Int
    private var waiters = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    deinit {
        for item in items { item.release() }
    }

    /// Adds `item`: waits for room (`dropOldest == false`) or makes room by dropping the oldest waiting frame. Returns
    /// whether it was taken (not when the run stopped while waiting; the item is released then) and how many frames
    /// were dropped for it.
    func put(_ item: DecodedFrame, dropOldest: Bool, stop: StopFlag) -> (accepted: Bool, dropped: Int) {
        condition.lock()
        defer { condition.unlock() }
        var dropped = 0
        while items.count >= capacity {
            if dropOldest {
                items.removeFirst().release()
                dropped += 1
                continue
            }
            if closed || stop.isStopped {
                item.release()
                return (false, dropped)
            }
            waiters += 1
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.1))
            waiters -= 1
        }
        items.append(item)
        condition.broadcast()
        return (true, dropped)
    }

    /// The oldest waiting frame; `nil` once the queue is closed and empty, or the run stopped.
    func take(stop: StopFlag) -> DecodedFrame? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty {
            if closed || stop.isStopped { return nil }
            waiters += 1
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.1))
            waiters -= 1
        }
        if stop.isStopped { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// Whether a producer waits for room or a consumer for a frame (for tests: the event a stop must end).
    var hasWaiter: Bool {
        condition.lock()
        defer { condition.unlock() }
        return waiters > 0
    }

    /// No more frames will come.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
