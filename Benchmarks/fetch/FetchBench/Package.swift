// swift-tools-version:6.2
// fetchbench: FeedFetch alone over a URL list, to compare the fetcher with `curl --parallel` (see ../run.sh).
import PackageDescription

let package = Package(
    name: "FetchBench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "feedwatch", path: "../../..")],
    targets: [
        .executableTarget(
            name: "fetchbench",
            dependencies: [.product(name: "FeedFetch", package: "feedwatch")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
        )
    ],
    swiftLanguageModes: [.v6]
)
