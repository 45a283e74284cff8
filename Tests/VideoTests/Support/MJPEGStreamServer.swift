import Foundation
import ImageCodecs

/// A live MJPEG stream over HTTP (`multipart/x-mixed-replace`) from an in-process loopback server: a camera-like
/// source that sends `frames` JPEGs at `fps`, frame `i` encoding `i` in its colour (see ``Clips``), then ends.
final class MJPEGStreamServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let frames: Int
    private let fps: Double
    private let lock = NSLock()
    private var stopped = false
    private var sentFrames = 0
    private var starts: [Date?]

    var url: String { "http://127.0.0.1:\(port)/stream.mjpg" }

    /// Frames written to clients so far.
    var sent: Int {
        lock.lock()
        defer { lock.unlock() }
        return sentFrames
    }

    /// When the first write of each frame began (`nil`: not yet written), by 0-based index. A client cannot have
    /// read a frame before this time: a lower bound on its arrival, on the clock `Date` reads.
    var writeStarts: [Date?] {
        lock.lock()
        defer { lock.unlock() }
        return starts
    }

    init(frames: Int, fps: Double, width: Int = 96, height: Int = 64) throws {
        self.frames = frames
        starts = Array(repeating: nil, count: frames)
        self.fps = fps
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        var jpegs: [[UInt8]] = []
        for i in 0..<frames {
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for p in 0..<(width * height) {
                pixels[p * 3] = 160
                pixels[p * 3 + 1] = UInt8(16 * ((i / 16) % 16) + 8)
                pixels[p * 3 + 2] = UInt8(16 * (i % 16) + 8)
            }
            jpegs.append(try JPEGCodec.encode(PixelBuffer.validated(width: width, height: height, format: .rgb8, bytes: pixels), quality: 95))
        }
        let encoded = jpegs
        let thread = Thread { [self] in serve(encoded) }
        thread.start()
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func serve(_ jpegs: [[UInt8]]) {
        while !isStopped {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            Thread { [self] in stream(jpegs, to: client) }.start()
        }
    }

    private func stream(_ jpegs: [[UInt8]], to client: Int32) {
        defer { close(client) }
        var request = [UInt8](repeating: 0, count: 4096)
        _ = recv(client, &request, request.count, 0)
        guard write(client, Array("HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=frame\r\nCache-Control: no-cache\r\n\r\n".utf8)) else { return }
        let start = Date()
        for (i, jpeg) in jpegs.enumerated() {
            if isStopped { return }
            let due = start.addingTimeInterval(Double(i) / fps)
            let wait = due.timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            let head = "--frame\r\nContent-Type: image/jpeg\r\nContent-Length: \(jpeg.count)\r\n\r\n"
            lock.lock()
            if starts[i] == nil { starts[i] = Date() }
            lock.unlock()
            guard write(client, Array(head.utf8) + jpeg + Array("\r\n".utf8)) else { return }
            lock.lock()
            sentFrames += 1
            lock.unlock()
        }
        _ = write(client, Array("--frame--\r\n".utf8))
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
