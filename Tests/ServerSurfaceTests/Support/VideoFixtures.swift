import Foundation
import TestSupport
import Testing

/// Test videos made with OpenCV in the inference venv's Python (`INFERENCE_PYTHON`, exported by scripts/test.sh).
///
/// Frame `i` (0-based; the server's `frame_id` is `i + 1`) is a flat colour that encodes `i`:
/// BGR = (16·(i mod 16) + 8, 16·((i / 16) mod 16) + 8, 160), with `i` drawn in small digits.
enum VideoFixtures {
    static let python: String? = {
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["INFERENCE_PYTHON"], !path.isEmpty { candidates.append(path) }
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].map { $0 } ?? (NSHomeDirectory() + "/.cache")
        candidates.append(cache + "/inference-sdk-swift/venv-1.8.3/bin/python")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let directory: String = {
        // Shared by runs (videos are cached by their parameters; each is written under a unique name, then moved).
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("server-surface-test-videos").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// The frame index a dominant colour `[r, g, b]` encodes (mod 256), or `nil` when it is not one of ours.
    static func frameIndex(fromRGB rgb: [Int]) -> Int? {
        guard rgb.count == 3, abs(rgb[0] - 160) <= 10 else { return nil }
        let low = Int((Double(rgb[2] - 8) / 16).rounded())
        let high = Int((Double(rgb[1] - 8) / 16).rounded())
        guard (0..<16).contains(low), (0..<16).contains(high) else { return nil }
        return high * 16 + low
    }

    static let drawScript = """
        import sys, cv2, numpy as np
        def frame(i, w, h):
            f = np.zeros((h, w, 3), np.uint8)
            f[:] = (16 * (i % 16) + 8, 16 * ((i // 16) % 16) + 8, 160)
            cv2.putText(f, str(i), (2, h - 4), cv2.FONT_HERSHEY_PLAIN, 0.6, (255, 255, 255), 1)
            return f
        """

    /// Writes an MP4 (mp4v) of `frames` frames; cached by its parameters for the whole run.
    static func video(frames: Int, width: Int = 64, height: Int = 48, fps: Int = 30) async throws -> String {
        let path = directory + "/video-\(frames)-\(width)x\(height)-\(fps).mp4"
        if FileManager.default.fileExists(atPath: path) { return path }
        let partial = path + ".\(UUID().uuidString).part.mp4"
        let script = drawScript + """

            out, n, w, h, fps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
            writer = cv2.VideoWriter(out, cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
            for i in range(n):
                writer.write(frame(i, w, h))
            writer.release()
            count = int(cv2.VideoCapture(out).get(cv2.CAP_PROP_FRAME_COUNT))
            assert count == n, f"wrote {count} frames, wanted {n}"
            """
        let python = try #require(python, "set INFERENCE_PYTHON to the inference venv's python (scripts/test.sh does)")
        let result = try await ChildProcess.run(
            python, ["-c", script, partial, String(frames), String(width), String(height), String(fps)],
            environment: ProcessInfo.processInfo.environment, bound: .seconds(120)
        )
        #expect(result.status == 0, "making the test video failed: \(String(decoding: result.stderr, as: UTF8.self))")
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        return path
    }

    /// A live MJPEG stream over HTTP (`multipart/x-mixed-replace`) at `fps`, served on 127.0.0.1 by a Python
    /// child for at most `lifetime`: a video source that never ends by itself, like a camera. The child prints, after
    /// each frame it has written, how many it has written on that connection (``LiveStream/framesWritten``).
    static func liveStream(fps: Int = 20, lifetime: Duration = .seconds(120)) async throws -> LiveStream {
        let python = try #require(python, "set INFERENCE_PYTHON to the inference venv's python (scripts/test.sh does)")
        let urlFile = directory + "/stream-\(UUID().uuidString).url"
        let script = drawScript + """

            import threading, time
            from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
            url_file, fps, lifetime = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
            class Handler(BaseHTTPRequestHandler):
                def log_message(self, *args): pass
                def do_GET(self):
                    self.send_response(200)
                    self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
                    self.end_headers()
                    start, i = time.monotonic(), 0
                    try:
                        while True:
                            jpg = cv2.imencode(".jpg", frame(i, 64, 48))[1].tobytes()
                            self.wfile.write(b"--frame\\r\\nContent-Type: image/jpeg\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(jpg) + jpg + b"\\r\\n")
                            self.wfile.flush()
                            i += 1
                            print(i, flush=True)
                            time.sleep(max(0.0, start + i / fps - time.monotonic()))
                    except (BrokenPipeError, ConnectionResetError):
                        pass
            server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            server.daemon_threads = True
            with open(url_file + ".tmp", "w") as f:
                f.write("http://127.0.0.1:%d/stream.mjpg" % server.server_address[1])
            import os
            os.rename(url_file + ".tmp", url_file)
            threading.Timer(lifetime, server.shutdown).start()
            server.serve_forever()
            """
        let child = try ChildProcess.spawn(
            python, ["-c", script, urlFile, String(fps), String(Int(lifetime.components.seconds))], environment: ProcessInfo.processInfo.environment)
        var url: String?
        let deadline = ContinuousClock.now + .seconds(30)
        while url == nil, ContinuousClock.now < deadline, child.isRunning {
            url = try? String(contentsOfFile: urlFile, encoding: .utf8)
            if url == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        try? FileManager.default.removeItem(atPath: urlFile)
        guard let url else {
            let message = String(decoding: child.stderrSoFar, as: UTF8.self)
            child.send(SIGKILL)
            _ = await child.wait(bound: .seconds(10))
            throw ChildProcessError(message: "the MJPEG stream did not start: \(message)")
        }
        return LiveStream(url: url, process: child)
    }
}

/// A running MJPEG stream; ``stop()`` kills its process.
struct LiveStream: Sendable {
    let url: String
    let process: ChildProcess

    /// Frames written so far on the connection that wrote last (0 before the first): the child's last line on stdout.
    var framesWritten: Int {
        let text = String(decoding: process.stdoutSoFar, as: UTF8.self)
        return text.split(separator: "\n").dropLast(text.hasSuffix("\n") ? 0 : 1).last.flatMap { Int($0) } ?? 0
    }

    /// Kills the stream's process and reaps it in the background.
    func stop() {
        process.send(SIGKILL)
        let process = self.process
        Task { _ = await process.wait(bound: .seconds(10)) }
    }
}
