// swift-tools-version: 6.0
//
// Janus: DeepSeek's Janus family (Janus-Pro, Janus, JanusFlow) served from Swift.
// The folders under Sources/ follow the architecture (see docs/ARCHITECTURE.md):
// native libraries, tensor kernels, checkpoint I/O, text, models, CLI.
import PackageDescription

/// C kernels are hot loops; build them optimised even in debug builds so the tests
/// exercise the same code paths at a usable speed.
let optimisedC: [CSetting] = [.unsafeFlags(["-O3", "-fno-math-errno"])]

let package = Package(
    name: "janus",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "janus", targets: ["janus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // MARK: Native libraries (Debian packages, see scripts/setup-debian.sh)
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq",
                       providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c",
                       providers: [.apt(["libprotobuf-c-dev"])]),

        // MARK: Our own C kernels (numeric hot loops, hashing)
        .target(name: "CJanusKernels", cSettings: optimisedC),
        .target(name: "CJanusImageCodecs", dependencies: ["CPNG", "CJPEG"], cSettings: optimisedC),

        // protobuf-c output of proto/janus.proto (scripts/generate-proto.sh), committed.
        .target(name: "CJanusWire", dependencies: ["CProtobufC"]),

        // MARK: Swift modules
        .target(name: "JanusTensor", dependencies: ["COpenBLAS", "CJanusKernels"]),
        .target(name: "JanusCheckpoint", dependencies: ["JanusTensor", "CJanusKernels"]),
        .target(name: "JanusText"),
        .target(name: "JanusImage", dependencies: ["CPNG", "CJPEG", "CJanusImageCodecs"]),
        .target(name: "JanusModels", dependencies: ["JanusTensor", "JanusCheckpoint", "JanusText"]),
        .target(name: "JanusInference",
                dependencies: ["JanusTensor", "JanusText", "JanusImage", "JanusModels"]),
        .target(name: "JanusWire", dependencies: ["CJanusWire", "CZeroMQ", "JanusTensor"]),
        // Cluster files, process plans and the supervisor; knows no model code.
        .target(name: "JanusCluster", dependencies: [
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "JanusServe",
                dependencies: ["JanusTensor", "JanusCheckpoint", "JanusText", "JanusImage", "JanusModels",
                               "JanusInference", "JanusWire", "JanusCluster"]),
        .executableTarget(
            name: "janus",
            dependencies: [
                "JanusTensor", "JanusCheckpoint", "JanusText", "JanusImage", "JanusModels", "JanusInference",
                "JanusCluster", "JanusWire", "JanusServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/DefaultModel")]
        ),

        // MARK: Tests
        .target(name: "JanusTestSupport", dependencies: ["JanusTensor", "JanusCheckpoint"],
                path: "Tests/JanusTestSupport"),
        .testTarget(name: "JanusTensorTests", dependencies: ["JanusTensor", "JanusTestSupport"]),
        .testTarget(name: "JanusCheckpointTests",
                    dependencies: ["JanusCheckpoint", "JanusTensor", "JanusTestSupport"]),
        .testTarget(name: "JanusTextTests", dependencies: ["JanusText", "JanusTestSupport"]),
        .testTarget(name: "JanusImageTests", dependencies: ["JanusImage", "JanusTestSupport"]),
        .testTarget(name: "JanusModelsTests",
                    dependencies: ["JanusModels", "JanusCheckpoint", "JanusTestSupport"]),
        .testTarget(name: "JanusInferenceTests",
                    dependencies: ["JanusInference", "JanusModels", "JanusImage", "JanusTestSupport"]),
        .testTarget(name: "JanusWireTests", dependencies: ["JanusWire", "JanusTensor", "JanusTestSupport"]),
        .testTarget(name: "JanusClusterTests", dependencies: [
            "JanusCluster", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "JanusServeTests",
                    dependencies: ["JanusServe", "JanusModels", "JanusCheckpoint", "JanusTestSupport",
                                   "JanusInference", "JanusText", "JanusImage"]),
        .testTarget(name: "NativeLibrariesTests",
                    dependencies: ["COpenBLAS", "CZeroMQ", "CPNG", "CJPEG", "CProtobufC"]),
        .testTarget(name: "JanusCLITests", dependencies: ["janus", "JanusTestSupport", "JanusTensor", "JanusImage"]),
        .testTarget(name: "JanusClusterIntegrationTests",
                    dependencies: ["janus", "JanusTestSupport", "JanusWire", "CJanusWire", "JanusServe", "JanusCluster",
                                   "JanusTensor"]),
    ]
)
