// swift-tools-version: 6.0
import PackageDescription

// Targets follow the pipeline: C wrappers -> storage -> cube model -> ingest -> query -> analysis -> CLI.
// Dependencies point one way, toward storage.
let package = Package(
    name: "ChurnCube",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "churncube", targets: ["churncube"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CReadline", pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),

        .target(name: "ChurnStorage", dependencies: ["CZstd"]),
        .target(name: "ChurnSyntax"),

        .executableTarget(name: "churncube", dependencies: ["ChurnStorage"]),

        .testTarget(name: "ChurnStorageTests", dependencies: ["ChurnStorage"]),
        .testTarget(name: "ChurnSyntaxTests", dependencies: ["ChurnSyntax"]),
    ]
)
