import Foundation
import InferenceSDK
import TestSupport

/// An in-process server used as the API URL of bad-input tests (it must receive no workflow request) that
/// also serves the image URLs of the matrix: `/missing.png` (404), `/page.html` (an HTML page),
/// `/big.png` (a 3 MB body), `/huge.png` (32 MiB + 4 KiB), `/image.png` (a real PNG).
enum BadInputServer {
    static let bigBody = [UInt8](repeating: 0x41, count: 3 << 20)
    /// Beyond the CLI's default 32 MiB download limit.
    static let hugeBody = [UInt8](repeating: 0x41, count: (32 << 20) + 4096)

    static func start() async throws -> TestHTTPServer {
        let png = try Images.png(seed: 9)
        return try await TestHTTPServer.start { request in
            let path = request.uri.split(separator: "?").first.map(String.init) ?? request.uri
            switch (request.method, path) {
            case ("GET", "/missing.png"):
                return .respond(status: 404, headers: [("Content-Type", "text/plain")], body: Array("Not Found".utf8))
            case ("GET", "/page.html"):
                return .respond(status: 200, headers: [("Content-Type", "text/html")], body: Array("<html><body>hello</body></html>".utf8))
            case ("GET", "/big.png"):
                return .respond(status: 200, headers: [("Content-Type", "image/png")], body: bigBody)
            case ("GET", "/huge.png"):
                return .respond(status: 200, headers: [("Content-Type", "image/png")], body: hugeBody)
            case ("GET", "/image.png"):
                return .respond(status: 200, headers: [("Content-Type", "image/png")], body: png)
            default:
                return TestHTTPServer.json(200, #"{"outputs":[{"ok":true}],"profiler_trace":[]}"#)
            }
        }
    }

    /// Workflow requests received (anything but the image downloads).
    static func workflowRequests(_ server: TestHTTPServer) -> [TestHTTPServer.Request] {
        server.requests.filter { $0.method != "GET" }
    }
}

/// The bad files of the matrix, written into one folder.
struct BadFiles {
    let missing: String
    let directory: String
    let unreadable: String
    let empty: String
    let textAsJPEG: String
    let truncatedJPEG: String
    let badCRC: String
    let badCRCOffset: Int
    let hugePNG: String
    let hugeJPEG: String
    let good: String
    let nonJSONSpec: String
    let arraySpec: String

    init(in folder: TemporaryDirectory) throws {
        missing = folder.file("no-such-photo.jpg")
        directory = folder.file("a-folder.jpg")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        unreadable = try folder.write("locked.png", try Images.png(seed: 2))
        chmod(unreadable, 0)
        empty = try folder.write("empty.jpg", [])
        textAsJPEG = try folder.write("notes.jpg", Array("this is a shopping list, not a photo\n".utf8))
        truncatedJPEG = try folder.write("cut.jpg", try Images.truncatedJPEG())
        let crc = try Images.pngWithBadCRC()
        badCRC = try folder.write("bad-crc.png", crc.bytes)
        badCRCOffset = crc.idatOffset
        hugePNG = try folder.write("huge.png", Images.pngDeclaring(width: 100_000, height: 100_000))
        hugeJPEG = try folder.write("huge.jpg", try BadFiles.jpegDeclaring(width: 65_535, height: 65_535))
        good = try folder.write("good.png", try Images.png(seed: 5))
        nonJSONSpec = try folder.write("spec.yaml.json", Array("version: 1.0\nsteps: []\n".utf8))
        arraySpec = try folder.write("list.json", Array(#"[{"version":"1.0"}]"#.utf8))
    }

    /// A real JPEG whose SOF0 header is patched to declare `width × height`.
    static func jpegDeclaring(width: Int, height: Int) throws -> [UInt8] {
        var bytes = try Images.jpeg(seed: 6, width: 16, height: 16)
        var index = 2
        while index + 9 < bytes.count {
            guard bytes[index] == 0xFF else { break }
            let marker = bytes[index + 1]
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if marker == 0xC0 || marker == 0xC2 {
                bytes[index + 5] = UInt8(height >> 8); bytes[index + 6] = UInt8(height & 0xFF)
                bytes[index + 7] = UInt8(width >> 8); bytes[index + 8] = UInt8(width & 0xFF)
                return bytes
            }
            index += 2 + length
        }
        throw POSIXError(.EINVAL)
    }
}
