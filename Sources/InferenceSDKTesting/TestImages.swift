import Foundation
import ImageCodecs
import InferenceSDK

/// Small valid images for tests: the SDK checks every image before sending (magic bytes and structure), with a
/// scripted transport as with a real one, so fixtures must be real JPEG/PNG bytes.
public enum TestImages {
    /// A `width`×`height` PNG of one grey level.
    public static func png(width: Int = 8, height: Int = 8, grey: UInt8 = 128) -> [UInt8] {
        (try? PNGCodec.encode(pixels(width: width, height: height, grey: grey))) ?? []
    }

    /// A `width`×`height` JPEG (quality 90) of one grey level.
    public static func jpeg(width: Int = 8, height: Int = 8, grey: UInt8 = 128) -> [UInt8] {
        (try? JPEGCodec.encode(pixels(width: width, height: height, grey: grey), quality: 90)) ?? []
    }

    /// Writes `bytes` to a new file under the temporary directory and returns its path.
    public static func temporaryFile(_ bytes: [UInt8], extension pathExtension: String = "png") throws -> String {
        let path = NSTemporaryDirectory() + "inference-sdk-testing-\(UUID().uuidString).\(pathExtension)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private static func pixels(width: Int, height: Int, grey: UInt8) throws -> PixelBuffer {
        try PixelBuffer(width: max(1, width), height: max(1, height), format: .gray8,
                        bytes: [UInt8](repeating: grey, count: max(1, width) * max(1, height)))
    }
}
