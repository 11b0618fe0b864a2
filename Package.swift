// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every Swift target: Swift 6 mode plus the upcoming features the project keeps on.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "feedwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "feedwatch", targets: ["feedwatch"]),
        .library(name: "Analysis", targets: ["Analysis"]),
        .library(name: "FeedParse", targets: ["FeedParse"]),
        .library(name: "FeedFetch", targets: ["FeedFetch"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "AlertLog", targets: ["AlertLog"]),
        .library(name: "Monitor", targets: ["Monitor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C at the edge: one system library per C library, with a shim header for variadic calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // jemalloc as the process's allocator, with feedwatch's settings (a C file: jemalloc reads them from a
        // global the program defines).
        .target(
            name: "CJemalloc",
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),

        // Pipeline stages.
        .target(name: "FeedFetch", dependencies: ["CCurl"], swiftSettings: strictSettings),
        .target(name: "FeedParse", dependencies: ["CLibXML2"], swiftSettings: strictSettings),
        .target(name: "Analysis", swiftSettings: strictSettings),
        .target(
            name: "Store",
            dependencies: [
                "Analysis", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "AlertLog", dependencies: ["Analysis", "Store"], swiftSettings: strictSettings),
        .target(
            name: "Monitor",
            dependencies: [
                "FeedFetch", "FeedParse", "Analysis", "Store", "AlertLog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "feedwatch",
            dependencies: [
                "CJemalloc", "Monitor", "FeedParse", "FeedFetch", "Analysis", "Store", "AlertLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),

        // Tests mirror modules; TestSupport holds the loopback HTTP server and paths they share.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(name: "FeedFetchTests", dependencies: ["FeedFetch", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "FeedParseTests", dependencies: ["FeedParse"], swiftSettings: strictSettings),
        .testTarget(
            name: "AnalysisTests",
            dependencies: ["Analysis", "TestSupport", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "Analysis", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "AlertLogTests", dependencies: ["AlertLog", "Analysis", "Store"], swiftSettings: strictSettings),
        .testTarget(
            name: "MonitorTests",
            dependencies: [
                "Monitor", "Store", "AlertLog", "Analysis", "FeedFetch", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "feedwatchTests",
            dependencies: ["feedwatch", "Store", "Analysis", "FeedParse", "TestSupport"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
