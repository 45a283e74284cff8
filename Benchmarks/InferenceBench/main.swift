// InferenceBench: the Swift side of the benchmarks in Benchmarks/run-all (see BENCHMARKS.md).
//
//   InferenceBench http  --url URL --spec FILE (--image FILE | --dir DIR) [--requests N] [--concurrency C]
//                        [--validation magic]   (default: the SDK's default, a structure check of every image)
//   InferenceBench batch --url URL --spec FILE --dir DIR [--max-batch-size 8] [--concurrency 4]
//                        (one run of the folder's images as ONE batch input, split by maxBatchSize; peak RSS)
//   InferenceBench base64 --image FILE [--iterations N]
//   InferenceBench json --file FILE [--iterations N]
//   InferenceBench codec [--width 1920] [--height 1080] [--iterations N] [--only jpeg_q95|png_fast|png_default] [--out DIR]
//
// Each mode prints one JSON object on stdout: wall time and the process's user+sys CPU over the measured
// loop only (getrusage), so the figures compare with the Python peer measured the same way.
import ImageCodecs
import Foundation
import InferenceJobs
import InferenceSDK

/// Command-line options as `--name value` pairs.
struct Options {
    var values: [String: String] = [:]

    init(_ arguments: ArraySlice<String>) throws(BenchError) {
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard name.hasPrefix("--"), let value = iterator.next() else { throw BenchError("expected --name value, got \(name)") }
            values[String(name.dropFirst(2))] = value
        }
    }

    func string(_ name: String) throws(BenchError) -> String {
        guard let value = values[name] else { throw BenchError("missing --\(name)") }
        return value
    }

    func int(_ name: String, default fallback: Int) throws(BenchError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text), value > 0 else { throw BenchError("--\(name) must be a positive integer") }
        return value
    }
}

/// A usage or setup error, printed on stderr.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

#if os(Linux)
let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// CPU seconds (user, system) this process has used so far.
func cpuSeconds() -> (user: Double, system: Double) {
    var usage = rusage()
    getrusage(RUSAGE_SELF_WHO, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return (seconds(usage.ru_utime), seconds(usage.ru_stime))
}

/// Peak resident set size in MB.
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF_WHO, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Measures `body` and returns wall and CPU seconds.
func measure(_ body: () async throws -> Void) async rethrows -> (wall: Double, user: Double, system: Double) {
    let clock = ContinuousClock()
    let cpu0 = cpuSeconds()
    let start = clock.now
    try await body()
    let elapsed = clock.now - start
    let cpu1 = cpuSeconds()
    let (s, atto) = elapsed.components
    return (Double(s) + Double(atto) / 1e18, cpu1.user - cpu0.user, cpu1.system - cpu0.system)
}

func printJSON(_ fields: KeyValuePairs<String, Any>) {
    let parts = fields.map { key, value -> String in
        switch value {
        case let d as Double: return "\"\(key)\":\(String(format: "%.6f", d))"
        case let i as Int: return "\"\(key)\":\(i)"
        default: return "\"\(key)\":\"\(value)\""
        }
    }
    print("{" + parts.joined(separator: ",") + "}")
}

/// `http`: N workflow runs through ONE client, C tasks in flight, images cycled from a list.
func runHTTP(_ options: Options) async throws {
    let url = try options.string("url")
    let spec = try WorkflowSpecification(contentsOfFile: try options.string("spec"))
    var images: [String] = []
    if let image = options.values["image"] { images.append(image) }
    if let dir = options.values["dir"] {
        images += ImageFileWalker(root: dir).map { dir + "/" + $0 }
    }
    guard !images.isEmpty else { throw BenchError("give --image FILE or --dir DIR") }
    let requests = try options.int("requests", default: images.count)
    let concurrency = try options.int("concurrency", default: 1)
    var configuration = InferenceClientConfiguration(apiURL: url, apiKey: nil)
    configuration.maxConcurrentRequests = concurrency
    configuration.retry.maxAttempts = 1
    if options.values["validation"] == "magic" { configuration.imageValidation = .magicBytes }
    let client = try InferenceHTTPClient(configuration: configuration)
    // One warm-up request opens a connection, as curl/wrk/Python also pay their first connect outside the loop.
    _ = try await client.runWorkflow(specification: spec, images: ["image": .file(images[0])])
    let list = images
    let counter = Counter()
    let result = try await measure {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while let index = counter.next(below: requests) {
                        let output = try await client.runWorkflow(
                            specification: spec, images: ["image": .file(list[index % list.count])])
                        guard !output.outputs.isEmpty else { throw BenchError("empty outputs") }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
    try await client.shutdown()
    printJSON([
        "requests": requests, "concurrency": concurrency, "wall_s": result.wall,
        "cpu_s": result.user + result.system, "user_s": result.user, "sys_s": result.system,
        "rps": Double(requests) / result.wall, "peak_rss_mb": peakRSSMegabytes(),
    ])
}

/// `batch`: every image of a folder as one batch input of one `run`, split into `maxBatchSize` chunks with
/// `concurrency` chunks in flight: peak RSS shows whether images are held whole or chunk by chunk.
func runBatch(_ options: Options) async throws {
    let url = try options.string("url")
    let spec = try WorkflowSpecification(contentsOfFile: try options.string("spec"))
    let dir = try options.string("dir")
    let images = ImageFileWalker(root: dir).map { dir + "/" + $0 }.sorted()
    guard !images.isEmpty else { throw BenchError("no images under \(dir)") }
    let maxBatchSize = try options.int("max-batch-size", default: 8)
    let concurrency = try options.int("concurrency", default: 4)
    var configuration = InferenceClientConfiguration(apiURL: url, apiKey: nil)
    configuration.maxConcurrentRequests = concurrency
    configuration.retry.maxAttempts = 1
    let client = try InferenceHTTPClient(configuration: configuration)
    let before = peakRSSMegabytes()
    var outputs = 0
    let result = try await measure {
        let run = try await client.runWorkflow(
            specification: spec, images: ["image": .files(images)], options: WorkflowRunOptions(maxBatchSize: maxBatchSize))
        outputs = run.outputs.count
    }
    try await client.shutdown()
    printJSON([
        "images": images.count, "max_batch_size": maxBatchSize, "concurrency": concurrency, "requests": requestCount(images.count, maxBatchSize),
        "outputs": outputs, "wall_s": result.wall, "cpu_s": result.user + result.system,
        "peak_rss_before_mb": before, "peak_rss_mb": peakRSSMegabytes(),
    ])
}

func requestCount(_ images: Int, _ size: Int) -> Int { (images + size - 1) / size }

/// A lock-protected request counter shared by the tasks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// The benchmark image, identical to `pixels()` in Benchmarks/codec_opencv.py: a gradient with
/// checkerboard and hashed noise, RGB.
func syntheticPixels(width: Int, height: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: width * height * 3)
    bytes.withUnsafeMutableBufferPointer { out in
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 {
                    let ux = UInt32(x), uy = UInt32(y)
                    var h = (ux &* 73_856_093) ^ (uy &* 19_349_663) ^ (UInt32(c + 1) &* 83_492_791)
                    h = h &* 2_246_822_519
                    h ^= h >> 15
                    let noise = Int(h >> 24) * 22 / 256
                    let base = (x >> 3) + (y >> 2) + 60 * c + ((x / 40 + y / 40) % 2) * 50
                    out[(y * width + x) * 3 + c] = UInt8((base + noise) & 255)
                }
            }
        }
    }
    return bytes
}

/// `codec`: JPEG q95 and PNG encodes of the same pixels, best-of and mean per encode.
func runCodec(_ options: Options) throws {
    let width = try options.int("width", default: 1920)
    let height = try options.int("height", default: 1080)
    let iterations = try options.int("iterations", default: 20)
    let pixels = try PixelBuffer(width: width, height: height, format: .rgb8, bytes: syntheticPixels(width: width, height: height))
    let only = options.values["only"]
    func time(_ name: String, _ encode: () throws -> [UInt8]) throws {
        if let only, only != name { return }
        var size = try encode().count  // warm-up
        let clock = ContinuousClock()
        var samples: [Double] = []
        let cpu0 = cpuSeconds()
        for _ in 0..<iterations {
            let start = clock.now
            size = try encode().count
            let (s, atto) = (clock.now - start).components
            samples.append(Double(s) * 1000 + Double(atto) / 1e15)
        }
        let cpu1 = cpuSeconds()
        printJSON([
            "codec": name, "iterations": iterations, "best_ms": samples.min() ?? 0,
            "mean_ms": samples.reduce(0, +) / Double(samples.count), "bytes": size,
            "cpu_ms": (cpu1.user + cpu1.system - cpu0.user - cpu0.system) * 1000 / Double(iterations),
        ])
    }
    try time("jpeg_q95") { try JPEGCodec.encode(pixels, quality: 95) }
    try time("png_fast") { try PNGCodec.encode(pixels, fast: true) }
    try time("png_default") { try PNGCodec.encode(pixels, fast: false) }
    if let directory = options.values["out"] {  // for checking the files with another decoder
        for (name, bytes) in [
            ("swift.jpg", try JPEGCodec.encode(pixels, quality: 95)), ("swift-fast.png", try PNGCodec.encode(pixels, fast: true)),
            ("swift-default.png", try PNGCodec.encode(pixels, fast: false)),
        ] {
            _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes))
        }
    }
}

/// `base64`: the SDK's encoder (appending into a reserved array, as the request body does) against
/// Foundation's `base64EncodedString()`, on a file's bytes; GB/s of base64 text.
func runBase64(_ options: Options) throws {
    let path = try options.string("image")
    guard let data = FileManager.default.contents(atPath: path) else { throw BenchError("cannot read \(path)") }
    let bytes = [UInt8](data)
    let iterations = try options.int("iterations", default: 200)
    let clock = ContinuousClock()
    func rate(_ body: () -> Int) -> Double {
        var best = Double.infinity
        var size = 0
        for _ in 0..<iterations {
            let start = clock.now
            size = body()
            let (s, atto) = (clock.now - start).components
            best = min(best, Double(s) + Double(atto) / 1e18)
        }
        return Double(size) / best / 1e9
    }
    var body: [UInt8] = []
    body.reserveCapacity(Base64.encodedLength(bytes.count) + 64)
    let ours = rate {
        body.removeAll(keepingCapacity: true)
        bytes.withUnsafeBytes { Base64.encode($0, appendingTo: &body) }
        return body.count
    }
    let foundation = rate { data.base64EncodedString().utf8.count }
    // Decoding (what every image in a response costs): GB/s of base64 text read.
    let text = body
    let textString = String(decoding: text, as: UTF8.self)
    let decodeOurs = rate {
        let decoded = text.withUnsafeBytes { try? Base64.decode($0, limit: nil) }
        return decoded == nil ? 0 : text.count
    }
    let decodeFoundation = rate { Data(base64Encoded: textString) == nil ? 0 : text.count }
    printJSON([
        "input_bytes": bytes.count, "sdk_gb_per_s": ours, "foundation_gb_per_s": foundation,
        "sdk_decode_gb_per_s": decodeOurs, "foundation_decode_gb_per_s": decodeFoundation,
    ])
}

/// `json`: parsing a JSON file (a workflow answer) with the SDK's parser; GB/s of JSON text.
func runJSON(_ options: Options) throws {
    let path = try options.string("file")
    guard let data = FileManager.default.contents(atPath: path) else { throw BenchError("cannot read \(path)") }
    let bytes = [UInt8](data)
    let iterations = try options.int("iterations", default: 200)
    let clock = ContinuousClock()
    var best = Double.infinity
    for _ in 0..<iterations {
        let start = clock.now
        guard (try? JSONValue(parsing: bytes)) != nil else { throw BenchError("\(path) is not JSON") }
        let (s, atto) = (clock.now - start).components
        best = min(best, Double(s) + Double(atto) / 1e18)
    }
    printJSON(["input_bytes": bytes.count, "parse_gb_per_s": Double(bytes.count) / best / 1e9])
}

let arguments = CommandLine.arguments
do {
    guard arguments.count >= 2 else { throw BenchError("usage: InferenceBench http|codec [--name value ...]") }
    let options = try Options(arguments.dropFirst(2))
    switch arguments[1] {
    case "http": try await runHTTP(options)
    case "codec": try runCodec(options)
    case "batch": try await runBatch(options)
    case "base64": try runBase64(options)
    case "json": try runJSON(options)
    default: throw BenchError("unknown mode \(arguments[1]); use http, batch, codec, base64 or json")
    }
} catch {
    FileHandle.standardError.write(Data("InferenceBench: \(error)\n".utf8))
    exit(1)
}
