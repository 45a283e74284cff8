import CVideoKernels
import ImageCodecs
import Foundation
import InferenceJobs
import InferenceSDK
@testable import InferenceSDKVideo
import Testing

/// The pure parts of the video path, without a server: subsampling, MJPEG frame checks, the results merge,
/// placeholders.
struct VideoLogicTests {
    @Test
    func subsamplingKeepsSourceNumbers() {
        let kept = (1...30).filter { FrameSubsampling.keeps($0, fps: 30, maxFPS: 10) }
        #expect(kept == Array(stride(from: 1, through: 30, by: 3)))
        let pal = (1...25).filter { FrameSubsampling.keeps($0, fps: 25, maxFPS: 10) }
        #expect(pal.count == 10 && pal.first == 1)
        #expect((1...30).allSatisfy { FrameSubsampling.keeps($0, fps: 30, maxFPS: 30) })
        #expect((1...30).allSatisfy { FrameSubsampling.keeps($0, fps: 30, maxFPS: nil) })
    }

    static func jpeg() throws -> [UInt8] {
        try JPEGCodec.encode(PixelBuffer(width: 16, height: 8, format: .rgb8, bytes: [UInt8](repeating: 90, count: 16 * 8 * 3)), quality: 90)
    }

    @Test
    func mjpegFramesAreCheckedBeforeBeingSentAsTheyAre() throws {
        let good = try Self.jpeg()
        #expect(MJPEGFrame.check(good) == .complete)
        #expect(MJPEGFrame.check(good + [0, 0, 0]) == .complete, "AVI padding after end-of-image")
        #expect(MJPEGFrame.check(Array(good.dropLast(2))) == .corrupt, "no end-of-image")
        #expect(MJPEGFrame.check(Array(good.prefix(good.count / 2))) == .corrupt)
        #expect(MJPEGFrame.check([0x00, 0x01, 0x02, 0x03]) == .corrupt)
        // Without its Huffman tables (as V4L2 cameras send MJPEG): decode and re-encode.
        var withoutTables: [UInt8] = [0xFF, 0xD8]
        var i = 2
        while i + 3 < good.count {
            let marker = good[i + 1]
            if marker == 0xDA { withoutTables += good[i...]; break }
            let length = Int(good[i + 2]) << 8 | Int(good[i + 3])
            if marker != 0xC4 { withoutTables += good[i..<(i + 2 + length)] }
            i += 2 + length
        }
        #expect(MJPEGFrame.check(withoutTables) == .needsTables)
    }

    @Test
    func rerunMergesNewFramesIntoResultsInOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("video-merge-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/results.jsonl"
        func record(_ n: Int) -> VideoResultRecord { VideoResultRecord(frameNumber: n, timestamp: Double(n - 1) / 30, outputs: ["n": .int(n)]) }
        var earlier: [UInt8] = []
        for n in [1, 2, 4, 5, 8] { earlier += record(n).line + [0x0A] }
        earlier += Array("{\"frame_number\":9,\"timest".utf8)  // the partial last line of a killed run
        try Data(earlier).write(to: URL(fileURLWithPath: path))

        let done = DoneFrames.read(path)
        #expect(done.numbers == [1, 2, 4, 5, 8])
        let writer = try ResultsWriter(path: path, existing: done)
        for n in [3, 6, 7, 9] { try writer.append(record(n)) }
        try writer.finish()
        let numbers = LineReader(path: path).compactMap(VideoResultRecord.frameNumber(of:))
        #expect(numbers == Array(1...9))
        try VideoCSV.write(results: path, to: folder + "/results.csv")
        let csv = try String(contentsOfFile: folder + "/results.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "frame_number,timestamp,n")
        #expect(csv.count == 10 && csv[3] == "3,0.06666666666666667,3")
    }

    @Test
    func imageOutputsBecomePlaceholders() throws {
        let image = try Self.jpeg()
        let value: JSONValue = ["type": "base64", "value": .string(Data(image).base64EncodedString())]
        let placeholder = VideoResultRecord.placeholders(value, path: "blurred.mp4")
        #expect(placeholder == ["type": "image", "format": "jpeg", "width": 16, "height": 8, "path": "blurred.mp4"])
        let crops = VideoResultRecord.placeholders(.array([value, value]), path: nil)
        #expect(crops[1]?["width"] == 16 && crops[1]?["path"] == .null)
        #expect(VideoResultRecord.placeholders(.int(3), path: nil) == .int(3))
    }

    @Test
    func sourcesAreParsedFromTheCommandLine() {
        #expect(VideoSource(parsing: "/dev/video0").kind == .device)
        #expect(VideoSource(parsing: "rtsp://cam/live").kind == .stream)
        #expect(VideoSource(parsing: "file:///tmp/a.mp4") == .file("/tmp/a.mp4"))
        #expect(VideoSource(parsing: "clip.mp4") == .file("clip.mp4"))
        #expect(VideoSource(parsing: "rtsp://user:secret@cam/live").description == "rtsp://user:***@cam/live")
        #expect(Timestamp.naiveISO8601(Date(timeIntervalSince1970: 1_764_547_200.25)) == "2025-12-01T00:00:00.250000")
    }

    /// Every implementation of the range expansion (SSE2; AVX2 where the CPU has it) gives the reference's bytes for
    /// every input value, in full 32- and 16-byte blocks and in the tail of a row, with a stride wider than the row.
    @Test(arguments: [Int32(0), Int32(1)])
    func rangeExpansionMatchesTheReferenceForEveryByte(chroma: Int32) {
        let width = 256 + 16 + 7, height = 3, stride = 288
        var source = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            for x in 0..<width { source[y * stride + x] = UInt8((x + 97 * y) & 0xFF) }
        }
        #expect(rf_range_kernels() >= 1)
        for kernel in 0..<rf_range_kernels() {
            var out = [UInt8](repeating: 0xAA, count: stride * height)
            source.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    rf_expand_plane_range_kernel(src.baseAddress, stride, dst.baseAddress, stride, Int32(width), Int32(height), chroma, kernel)
                }
            }
            for y in 0..<height {
                let row = (0..<width).map { out[y * stride + $0] }
                #expect(row == (0..<width).map { rf_range_reference(source[y * stride + $0], chroma) }, "kernel \(kernel), row \(y)")
                #expect((width..<stride).allSatisfy { out[y * stride + $0] == 0xAA }, "bytes past the row are left alone")
            }
        }
        // Anchors: limited range's ends map to 0 and 255, the middle stays.
        if chroma == 0 {
            #expect([16, 126, 235, 0, 255].map { rf_range_reference($0, 0) } == [0, 128, 255, 0, 255])
        } else {
            #expect([16, 128, 240, 0, 255].map { rf_range_reference($0, 1) } == [0, 128, 255, 0, 255])
        }
    }
}

/// `StarvationDetector`: yielding to a server is not starvation; being starved over the window is, even when the
/// kernel reports the waiting in bursts.
@Suite
struct StarvationDetectorTests {
    @Test
    func yieldingToAServerOrIdlingNeverCounts() {
        var detector = StarvationDetector(window: 4)
        // Measured yielding to a server on the same cores (~0.5 s of CPU per second against 1.1–1.6 s of waiting),
        // at normal priority (0.46 against 0.56), then a process with nothing to do.
        let samples = [(0.51, 1.09), (0.48, 1.62), (0.49, 1.43), (0.49, 1.49), (0.46, 0.56), (0.0, 0.3), (0.0, 0.0), (0.0, 0.0), (0.01, 0.02)]
        let verdicts = samples.map { detector.observe(run: $0.0, wait: $0.1) }
        #expect(verdicts == Array(repeating: false, count: samples.count))
    }

    @Test
    func starvationOverTheWindowCountsEvenWithSecondsWithoutWaiting() {
        var detector = StarvationDetector(window: 4)
        // Measured starved by two busy processes (0.5 s windows, doubled): CPU ~0.00–0.02 per second, the waiting
        // reported in bursts — some seconds none at all.
        let samples = [(0.9, 1.0), (0.0, 1.9), (0.0, 0.02), (0.02, 3.3), (0.0, 0.0), (0.02, 3.6)]
        let verdicts = samples.map { detector.observe(run: $0.0, wait: $0.1) }
        // The first window still holds a second with CPU enough (0.9 s of it); from the fifth sample on, not.
        #expect(verdicts == [false, false, false, false, true, true])
    }
}
