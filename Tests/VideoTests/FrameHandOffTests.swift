import CFFmpeg
import Foundation
import InferenceSDK
@testable import InferenceSDKVideo
import Testing

/// The queue between the decoding and the encoding thread: order kept, a file's frames never dropped, a live source's
/// oldest waiting frame dropped, a stop or the end releases whoever waits, and every picture reference freed.
struct FrameHandOffTests {
    static func item(_ number: Int, picture: Bool = false) -> DecodedFrame {
        let payload: DecodedFrame.Payload
        if picture, let frame = av_frame_alloc() {
            frame.pointee.width = 4
            frame.pointee.height = 4
            frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
            _ = av_frame_get_buffer(frame, 0)
            payload = .picture(frame)
        } else {
            payload = .jpeg([UInt8(number)])
        }
        return DecodedFrame(number: number, pts: Double(number - 1) / 30, payload: payload, metadata: VideoMetadata(frameNumber: number))
    }

    @Test
    func aLiveSourceDropsTheOldestWaitingFrameAndKeepsOrder() {
        let handOff = FrameHandOff(capacity: 2)
        let stop = StopFlag()
        var dropped = 0
        for number in 1...5 {
            let put = handOff.put(Self.item(number, picture: true), dropOldest: true, stop: stop)
            #expect(put.accepted)
            dropped += put.dropped
        }
        #expect(dropped == 3)
        handOff.close()
        var numbers: [Int] = []
        while let item = handOff.take(stop: stop) {
            numbers.append(item.number)
            item.release()
        }
        #expect(numbers == [4, 5], "the newest frames are kept, in order")
    }

    @Test
    func aFileWaitsForRoomInsteadOfDropping() async {
        let handOff = FrameHandOff(capacity: 2)
        let stop = StopFlag()
        let producer = Thread {
            for number in 1...20 { _ = handOff.put(Self.item(number), dropOldest: false, stop: stop) }
            handOff.close()
        }
        producer.start()
        var numbers: [Int] = []
        while let item = handOff.take(stop: stop) { numbers.append(item.number) }
        #expect(numbers == Array(1...20))
    }

    /// Polls `condition` (on this thread) for up to 10 s.
    static func waitUntil(_ condition: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return condition()
    }

    /// A value set once by another thread.
    final class Outcome<Value: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value??
        func set(_ value: Value?) { lock.withLock { stored = .some(value) } }
        /// nil until set; then the value set (itself optional).
        var value: Value?? { lock.withLock { stored } }
    }

    @Test
    func aStopReleasesAProducerWaitingForRoomAndAConsumerWaitingForFrames() async {
        let handOff = FrameHandOff(capacity: 1)
        let stop = StopFlag()
        #expect(handOff.put(Self.item(1), dropOldest: false, stop: stop).accepted)
        let put = Outcome<Bool>()
        Thread { put.set(handOff.put(Self.item(2, picture: true), dropOldest: false, stop: stop).accepted) }.start()
        // The producer is waiting for room (not a fixed sleep, which may end before it got there), then the stop.
        #expect(Self.waitUntil { handOff.hasWaiter }, "the producer never waited for room")
        stop.stop()
        #expect(Self.waitUntil { put.value != nil }, "a stop did not release the producer waiting for room")
        #expect(put.value == .some(false), "a stopped run takes no more frames")
        #expect(handOff.take(stop: stop) == nil, "nothing is handed out once stopped")
        let empty = FrameHandOff(capacity: 1)
        let later = StopFlag()
        let taken = Outcome<Int>()
        Thread { taken.set(empty.take(stop: later)?.number) }.start()
        #expect(Self.waitUntil { empty.hasWaiter }, "the consumer never waited for a frame")
        later.stop()
        #expect(Self.waitUntil { taken.value != nil }, "a stop did not release the consumer waiting for frames")
        #expect(taken.value == .some(nil), "a consumer waiting for frames returns nothing when the run stops")
    }
}
