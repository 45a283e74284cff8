// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "inference-sdk-swift",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "InferenceSDK", targets: ["InferenceSDK"]),
        .library(name: "InferenceSDKURLSession", targets: ["InferenceSDKURLSession"]),
        .library(name: "InferenceSDKTesting", targets: ["InferenceSDKTesting"]),
        // Resumable jobs over a client: folders (`DirectoryJob`), the pipeline frame writer, the shared job core.
        .library(name: "InferenceJobs", targets: ["InferenceJobs"]),
        .executable(name: "rfclient", targets: ["rfclient"]),
        // Video on the client's side (FFmpeg); separate so that still-image users and rfclient do not load FFmpeg.
        .library(name: "InferenceSDKVideo", targets: ["InferenceSDKVideo"]),
        .executable(name: "rfclient-video", targets: ["rfclient-video"]),
        // Typed workflows at build time: `X.interface.json` + `X.json` in a target → the `TypedWorkflow` type `X`.
        .plugin(name: "TypedWorkflowGenerator", targets: ["TypedWorkflowGenerator"]),
        // `swift package refresh-workflow-interfaces`: those interface files, refreshed from a server.
        .plugin(name: "RefreshWorkflowInterfaces", targets: ["RefreshWorkflowInterfaces"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // TLS settings (trust roots, client certificates) for the AsyncHTTPClient transport; already AHC's dependency.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Spans per workflow run and per attempt (the SDK's Tracing/); already AHC's dependency.
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Latency histograms for `rfclient bench` (only rfclient depends on it).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        // `swift package generate-documentation` (the DocC catalogs; scripts/docs.sh, run by scripts/test.sh).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System codecs: TurboJPEG API (errors as return codes) and libpng's simplified API.
        .systemLibrary(
            name: "CTurboJPEG",
            pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"]), .brew(["jpeg-turbo"])]
        ),
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]
        ),
        // Hot byte loops in C (base64, JPEG entropy-data scan), AVX2 when the CPU has it.
        .target(name: "CByteKernels"),
        // Pixel buffers, image format sniffing and the JPEG/PNG codecs; no networking.
        .target(
            name: "ImageCodecs",
            dependencies: ["CTurboJPEG", "CPNG", "CByteKernels"]
        ),
        // The client library: inputs → encoder → request body → transport → response decoder → typed result.
        .target(
            name: "InferenceSDK",
            dependencies: [
                "ImageCodecs",
                "CByteKernels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        // Resumable jobs on one core (resume log, failures file, local-I/O policy, atomic writes, CSV/JSONL
        // aggregates): folder jobs and the pipeline writer here, the video job in InferenceSDKVideo on the same core.
        .target(
            name: "InferenceJobs",
            dependencies: ["InferenceSDK", .product(name: "OrderedCollections", package: "swift-collections")]
        ),
        // An optional URLSession transport, in its own module so that the library and rfclient do not load
        // FoundationNetworking (libcurl and ~40 shared libraries: ~6 ms of process start-up on Linux).
        .target(name: "InferenceSDKURLSession", dependencies: ["InferenceSDK"]),
        // For users' unit tests: a scripted transport that records requests, reply and result builders.
        .target(
            name: "InferenceSDKTesting",
            dependencies: [
                "InferenceSDK",
                "ImageCodecs",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // FFmpeg 5.1 (libavformat/libavcodec/libswscale/libavutil/libavdevice) with a shim for the macros Swift cannot import.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev", "libavdevice-dev"]), .brew(["ffmpeg"])]
        ),
        // Per-pixel loops of the video path (limited → full range) and its JPEG encoder: libjpeg-turbo's raw-data
        // interface (libjpeg62-turbo-dev, which Debian's FFmpeg -dev packages pull in too), an MCU row at a time.
        .target(name: "CVideoKernels", linkerSettings: [.linkedLibrary("jpeg")]),
        // Video sources decoded on the client, every frame run through a remote workflow (`processVideo`).
        .target(name: "InferenceSDKVideo", dependencies: ["InferenceSDK", "InferenceJobs", "ImageCodecs", "CFFmpeg", "CVideoKernels"]),
        // What both shell front ends share (rfclient, rfclient-video): connection/workflow/input options, exit codes,
        // terminal output, Ctrl-C handling. No FFmpeg here: rfclient must not load it.
        .target(
            name: "RFClientCommon",
            dependencies: [
                "InferenceSDK",
                "InferenceJobs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Swift types from a workflow's interface (`rfclient codegen`): Foundation only, so that a build plugin's tool
        // needs neither the SDK's networking stack nor FFmpeg.
        .target(name: "WorkflowCodegen"),
        // The build plugin's tool: the generator, from saved interface files only (no server, no networking stack).
        .executableTarget(name: "workflow-codegen", dependencies: ["WorkflowCodegen"]),
        .plugin(name: "TypedWorkflowGenerator", capability: .buildTool(), dependencies: ["workflow-codegen"]),
        .plugin(
            name: "RefreshWorkflowInterfaces",
            capability: .command(
                intent: .custom(verb: "refresh-workflow-interfaces", description: "Refresh *.interface.json files from a server"),
                permissions: [
                    .writeToPackageDirectory(reason: "writes the refreshed *.interface.json files"),
                    .allowNetworkConnections(scope: .all(), reason: "asks the inference server for each workflow's interface"),
                ]
            ),
            dependencies: ["rfclient"]
        ),
        // The shell front end: parsing and printing only.
        .executableTarget(
            name: "rfclient",
            dependencies: [
                "InferenceSDK",
                "WorkflowCodegen",
                "InferenceJobs",
                "RFClientCommon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // `rfclient process-video`, exec-ed by rfclient so that rfclient itself never loads FFmpeg.
        .executableTarget(
            name: "rfclient-video",
            dependencies: [
                "InferenceSDKVideo", "RFClientCommon", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Examples/QuickStart: the README's quick start, runnable with `swift run QuickStart`.
        .executableTarget(name: "QuickStart", dependencies: ["InferenceSDK"], path: "Examples/QuickStart"),
        // Examples/TypedWorkflow: a type generated at build time by the plugin from a saved interface, used in a few lines.
        .executableTarget(
            name: "TypedWorkflow", dependencies: ["InferenceSDK"], path: "Examples/TypedWorkflow",
            plugins: [.plugin(name: "TypedWorkflowGenerator")]
        ),
        // Examples/TestingYourCode: application code tested without a server through InferenceSDKTesting (README).
        .target(name: "CarCounter", dependencies: ["InferenceSDK"], path: "Examples/TestingYourCode/CarCounter"),
        .testTarget(
            name: "CarCounterTests", dependencies: ["CarCounter", "InferenceSDK", "InferenceSDKTesting"],
            path: "Examples/TestingYourCode/CarCounterTests"
        ),
        // Benchmarks/run-all: the Swift side of the side-by-side benchmarks (see BENCHMARKS.md).
        .executableTarget(name: "InferenceBench", dependencies: ["InferenceSDK", "InferenceJobs", "ImageCodecs"], path: "Benchmarks/InferenceBench"),
        // Shared by the test targets: the in-process fault/stub HTTP server and the real-server fixture.
        .target(
            name: "TestSupport",
            dependencies: [
                "InferenceSDK",
                "ImageCodecs",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "ImageCodecsTests", dependencies: ["ImageCodecs", "CByteKernels", "TestSupport"]),
        .testTarget(
            name: "InferenceSDKTests",
            dependencies: [
                "InferenceSDK", "InferenceSDKTesting", "InferenceJobs", "ImageCodecs", "TestSupport",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ]
        ),
        // Against the real inference server started by scripts/test.sh.
        .testTarget(name: "IntegrationTests", dependencies: ["InferenceSDK", "InferenceSDKURLSession", "TestSupport", "ImageCodecs"]),
        // Drive the built rfclient binary end to end (RFClientCommon for its Ctrl-C rule on chosen instants).
        .testTarget(name: "RFClientTests", dependencies: ["InferenceSDK", "InferenceJobs", "RFClientCommon", "TestSupport", "ImageCodecs"]),
        // Faults, bad input, secrets.
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["InferenceSDK", "TestSupport", "ImageCodecs", .product(name: "Logging", package: "swift-log")]
        ),
        // Video on the client (processVideo, rfclient process-video) against the real server, on generated clips.
        .testTarget(
            name: "VideoTests",
            dependencies: ["InferenceSDK", "InferenceSDKVideo", "InferenceJobs", "CVideoKernels", "CTurboJPEG", "TestSupport", "ImageCodecs"],
            exclude: ["Fixtures"]
        ),
        // Pipelines, workflow tooling, models, info.
        .testTarget(name: "ServerSurfaceTests", dependencies: ["InferenceSDK", "TestSupport", "ImageCodecs"]),
        // Typed workflows: the generated types of every workflow fixture (Generated/, checked byte for byte against the
        // generator) run against the real server.
        .testTarget(
            name: "TypedWorkflowTests", dependencies: ["InferenceSDK", "WorkflowCodegen", "TestSupport", "ImageCodecs"]
        ),
        // TLS (private CA, mutual TLS) through nginx and forward proxies (tinyproxy), on loopback: scripts/network-fixtures.sh.
        .testTarget(name: "NetworkTests", dependencies: ["InferenceSDK", "TestSupport"]),
        // Real ONNX models made here (scripts/model-fixtures.sh), served offline by the real server.
        .testTarget(name: "ModelTests", dependencies: ["InferenceSDK", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
