// swift-tools-version:6.2
// storebench: the store's write throughput in items per second (see ../run.sh).
import PackageDescription

let package = Package(
    name: "StoreBench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "feedwatch", path: "../../..")],
    targets: [
        .executableTarget(
            name: "storebench",
            dependencies: [
                .product(name: "Store", package: "feedwatch"),
                .product(name: "AlertLog", package: "feedwatch"),
                .product(name: "Monitor", package: "feedwatch"),
                .product(name: "Analysis", package: "feedwatch"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
        )
    ],
    swiftLanguageModes: [.v6]
)
