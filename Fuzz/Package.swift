// swift-tools-version:6.0
// libFuzzer targets for the parsers in InferenceSDK and ImageCodecs. Build and run with `Fuzz/run.sh [seconds]`.
// The library sources are symlinked from ../Sources (only the files the parsers need), so the fuzz build
// never compiles AsyncHTTPClient/NIO/BoringSSL.
import PackageDescription

let fuzzTargets = ["FuzzJSON", "FuzzResponseDecoder", "FuzzServerError", "FuzzBase64", "FuzzImageHeader", "FuzzImageDecode"]

let package = Package(
    name: "inference-sdk-fuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),  // NIOCore: ByteBuffer in JSONWriter
    ],
    targets: [
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg"),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng"),
        .target(name: "CByteKernels"),
        .target(name: "ImageCodecs", dependencies: ["CTurboJPEG", "CPNG", "CByteKernels"]),
        .target(
            name: "InferenceSDK",
            dependencies: [
                "ImageCodecs", "CByteKernels",
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ] + fuzzTargets.map { name in
        .executableTarget(name: name, dependencies: ["InferenceSDK", "ImageCodecs"])
    },
    swiftLanguageModes: [.v6]
)
