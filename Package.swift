// swift-tools-version: 6.1
import PackageDescription

// Targets follow the pipeline: C wrappers -> storage -> cube model -> ingest -> query -> analysis -> CLI.
// Dependencies point one way, toward storage.
// The scan's state lives in class properties read per row and per group; checking exclusive
// access on each read costs a tenth of a grouped query. Debug builds, which run the tests, keep
// the checks; release builds of the two scanning targets leave them out.
let scanLoopSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "ChurnCube",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "churncube", targets: ["churncube"]),
    ],
    // `swift build --traits Spark` adds the Spark Connect client (gRPC over HTTP/2, with TLS):
    // minutes more to build, so the default build leaves it out.
    traits: [
        .trait(name: "Spark", description: "Run cubes on Apache Spark through Spark Connect (churncube --engine sc://...)"),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.0.0"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // readline's pkg-config file adds feature macros SwiftPM refuses; its headers are on the default path.
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),

        .target(name: "ChurnStorage", dependencies: ["CZstd"], swiftSettings: scanLoopSettings),
        .target(name: "ChurnSyntax"),
        .target(name: "ChurnModel", dependencies: ["ChurnStorage", "ChurnSyntax", .product(name: "Yams", package: "Yams")]),
        .target(name: "ChurnIngest", dependencies: ["ChurnModel", "ChurnStorage"]),
        // Arrow IPC streams: how a remote engine's results arrive.
        .target(name: "ChurnArrow"),
        .target(name: "ChurnQuery", dependencies: ["ChurnModel", "ChurnStorage", "ChurnSyntax", "ChurnArrow"], swiftSettings: scanLoopSettings),
        .target(name: "ChurnGenerator", dependencies: ["ChurnStorage"]),
        .target(name: "ChurnSnapshot", dependencies: ["ChurnModel", "ChurnStorage"], exclude: ["SNAPSHOT-FORMAT.md"]),
        // Hot-spot search: statistics over cells, fed by one grouped scan of the query engine.
        .target(name: "ChurnAnalysis", dependencies: ["ChurnQuery", "ChurnModel", "ChurnStorage", "ChurnSyntax"]),
        // Spark Connect: the protocol's messages (always built and tested), and the gRPC client
        // that sends them (compiled only with the Spark trait).
        .target(name: "ChurnSparkWire"),
        .target(
            name: "ChurnSpark",
            dependencies: [
                "ChurnSparkWire", "ChurnArrow", "ChurnQuery",
                .product(name: "GRPCCore", package: "grpc-swift-2", condition: .when(traits: ["Spark"])),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport", condition: .when(traits: ["Spark"])),
            ]
        ),

        .executableTarget(
            name: "churncube",
            dependencies: [
                "ChurnStorage", "ChurnModel", "ChurnIngest", "ChurnQuery", "ChurnGenerator", "ChurnSnapshot", "ChurnAnalysis", "ChurnSpark", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmarks/arrow.py: how fast the Arrow reader decodes result streams.
        .executableTarget(name: "arrow-decode", dependencies: ["ChurnArrow"], path: "Benchmarks/ArrowDecode"),

        // What the Spark integration tests of several targets share: where the server is, CSV
        // files as Spark views, running the blocking client off the cooperative pool.
        .target(name: "SparkTestSupport", dependencies: ["ChurnSpark", "ChurnQuery", "ChurnModel"], path: "Tests/SparkTestSupport"),
        .testTarget(name: "ChurnStorageTests", dependencies: ["ChurnStorage"]),
        .testTarget(name: "ChurnSyntaxTests", dependencies: ["ChurnSyntax"]),
        .testTarget(name: "ChurnModelTests", dependencies: ["ChurnModel"]),
        .testTarget(name: "ChurnIngestTests", dependencies: ["ChurnIngest"]),
        .testTarget(name: "ChurnGeneratorTests", dependencies: ["ChurnGenerator"]),
        .testTarget(name: "ChurnSnapshotTests", dependencies: ["ChurnSnapshot", "ChurnIngest", "ChurnModel", "ChurnStorage", "ChurnQuery"]),
        .testTarget(name: "ChurnAnalysisTests", dependencies: ["ChurnAnalysis", "ChurnGenerator", "ChurnIngest", "ChurnQuery"]),
        .testTarget(
            name: "ChurnQueryTests",
            dependencies: ["ChurnQuery", "ChurnIngest", "ChurnGenerator", "ChurnSyntax", "ChurnSpark", "ChurnAnalysis", "SparkTestSupport"],
            exclude: ["Oracle"],
            resources: [.copy("Behaviour")]
        ),
        .testTarget(name: "ChurnArrowTests", dependencies: ["ChurnArrow"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ChurnSparkWireTests", dependencies: ["ChurnSparkWire"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ChurnSparkTests", dependencies: ["ChurnSpark", "ChurnSparkWire", "SparkTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["churncube", "ChurnQuery", "ChurnSyntax", "ChurnModel", "ChurnIngest", "ChurnSpark", "SparkTestSupport"]),
    ]
)

// Fuzz targets (libFuzzer): compiled only when Tests/Fuzz/fuzz.sh builds them with
// CHURNCUBE_FUZZ set, so `swift build` and `swift test` never see them.
if Context.environment["CHURNCUBE_FUZZ"] != nil {
    package.targets += [
        // libFuzzer's driver, which -sanitize=fuzzer links in.
        .systemLibrary(name: "CFuzzer", path: "Tests/Fuzz/CFuzzer"),
        .executableTarget(name: "FuzzStatementParser", dependencies: ["CFuzzer", "ChurnSyntax"], path: "Tests/Fuzz/StatementParser"),
        .executableTarget(name: "FuzzCSVLoader", dependencies: ["CFuzzer", "ChurnIngest", "ChurnModel", "ChurnQuery"], path: "Tests/Fuzz/CSVLoader"),
        .executableTarget(name: "FuzzSnapshotReader", dependencies: ["CFuzzer", "ChurnSnapshot", "ChurnModel", "ChurnQuery", "ChurnStorage"],
                          path: "Tests/Fuzz/SnapshotReader"),
    ]
}
