import Foundation
import TestSupport
import Testing

/// Generated test videos whose frame index is encoded in the pixels, so order is asserted, not assumed.
///
/// Frame `i` (0-based; its frame number is `i + 1`) is a flat colour: RGB = (160, 16·((i / 16) mod 16) + 8,
/// 16·(i mod 16) + 8). MPEG-4 and MJPEG clips are written by OpenCV in the inference venv's Python; H.264 clips are
/// the MJPEG clip re-encoded by the `ffmpeg` CLI (libx264).
enum Clips {
    enum Kind: String, CaseIterable, Sendable {
        case mpeg4Mp4 = "mpeg4.mp4", h264Mp4 = "h264.mp4", mjpegAvi = "mjpeg.avi"
    }

    static let python: String? = {
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["INFERENCE_PYTHON"], !path.isEmpty { candidates.append(path) }
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        candidates.append(cache + "/inference-sdk-swift/venv-1.8.3/bin/python")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let ffmpeg: String? = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static var available: Bool { python != nil && ffmpeg != nil }

    static let directory: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("video-tests-clips").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// The frame index (0-based) a dominant colour `[r, g, b]` encodes, or nil when it is not one of ours.
    static func frameIndex(fromRGB rgb: [Int]) -> Int? {
        guard rgb.count == 3, abs(rgb[0] - 160) <= 12 else { return nil }
        let high = Int((Double(rgb[1] - 8) / 16).rounded())
        let low = Int((Double(rgb[2] - 8) / 16).rounded())
        guard (0..<16).contains(low), (0..<16).contains(high) else { return nil }
        return high * 16 + low
    }

    /// A clip of `frames` frames (at most 256 distinct), cached by its parameters for the whole run.
    static func clip(_ kind: Kind, frames: Int, fps: Int = 30, width: Int = 96, height: Int = 64) async throws -> String {
        let path = directory + "/\(frames)-\(fps)-\(width)x\(height)-\(kind.rawValue)"
        if FileManager.default.fileExists(atPath: path) { return path }
        let python = try #require(python, "set INFERENCE_PYTHON to the inference venv's python (scripts/test.sh does)")
        let partial = directory + "/\(UUID().uuidString)-\(kind.rawValue)"
        let fourcc = kind == .mpeg4Mp4 ? "mp4v" : "MJPG"
        let written = kind == .h264Mp4 ? partial + ".avi" : partial
        let script = """
            import sys, cv2, numpy as np
            out, n, w, h, fps, fourcc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
            writer = cv2.VideoWriter(out, cv2.VideoWriter_fourcc(*fourcc), fps, (w, h))
            if fourcc == "MJPG":
                writer.set(cv2.VIDEOWRITER_PROP_QUALITY, 95)
            for i in range(n):
                f = np.zeros((h, w, 3), np.uint8)
                f[:] = (16 * (i % 16) + 8, 16 * ((i // 16) % 16) + 8, 160)
                writer.write(f)
            writer.release()
            count = int(cv2.VideoCapture(out).get(cv2.CAP_PROP_FRAME_COUNT))
            assert count == n, f"wrote {count} frames, wanted {n}"
            """
        let made = try await ChildProcess.run(
            python, ["-c", script, written, String(frames), String(width), String(height), String(fps), fourcc],
            environment: ProcessInfo.processInfo.environment, bound: .seconds(120)
        )
        try #require(made.status == 0, "making \(kind.rawValue) failed: \(String(decoding: made.stderr, as: UTF8.self))")
        if kind == .h264Mp4 {
            let ffmpeg = try #require(ffmpeg, "install Debian's ffmpeg (scripts/bootstrap.sh does)")
            let encoded = try await ChildProcess.run(
                ffmpeg, ["-v", "error", "-y", "-i", written, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "12", "-f", "mp4", partial],
                environment: ProcessInfo.processInfo.environment, bound: .seconds(120)
            )
            try? FileManager.default.removeItem(atPath: written)
            try #require(encoded.status == 0, "ffmpeg failed: \(String(decoding: encoded.stderr, as: UTF8.self))")
        }
        try #require(rename(partial, path) == 0, "could not move the clip into place")
        return path
    }
}
