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

    @Test
    func aStopReleasesAProducerWaitingForRoomAndAConsumerWaitingForFrames() async {
        let handOff = FrameHandOff(capacity: 1)
        let stop = StopFlag()
        #expect(handOff.put(Self.item(1), dropOldest: false, stop: stop).accepted)
        let outcome = await withCheckedContinuation { continuation in
            let waiting = Thread { continuation.resume(returning: handOff.put(Self.item(2, picture: true), dropOldest: false, stop: stop)) }
            waiting.start()
            Thread.sleep(forTimeInterval: 0.2)
            stop.stop()
        }
        #expect(!outcome.accepted, "a stopped run takes no more frames")
        #expect(handOff.take(stop: stop) == nil, "nothing is handed out once stopped")
        let empty = FrameHandOff(capacity: 1)
        let later = StopFlag()
        let taken = await withCheckedContinuation { continuation in
            let waiting = Thread { continuation.resume(returning: empty.take(stop: later)?.number) }
            waiting.start()
            Thread.sleep(forTimeInterval: 0.2)
            later.stop()
        }
        #expect(taken == nil, "a consumer waiting for frames returns when the run stops")
    }
}
