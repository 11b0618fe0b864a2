# Sourced by instructions.sh and compare.sh. write_driver PACKAGE ANALYSIS writes a small package at PACKAGE:
# Sources/Analysis a symlink to ANALYSIS, Yams from ../Yams beside PACKAGE, and the start of
# Sources/driver/main.swift, which loads the topics and entities files named by its first two arguments
# into `analyzer` and declares `Input` ({"id", "title"?, "text", "language"?}) and `decoder`. The caller
# appends the rest of main.swift.
write_driver() {
    local package="$1" analysis="$2"
    mkdir -p "$package/Sources/driver"
    ln -s "$analysis" "$package/Sources/Analysis"
    cat > "$package/Package.swift" <<'SWIFT'
// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "driver",
    dependencies: [.package(path: "../Yams")],
    targets: [
        .target(name: "Analysis"),
        .executableTarget(name: "driver", dependencies: ["Analysis", .product(name: "Yams", package: "Yams")]),
    ],
    swiftLanguageModes: [.v6]
)
SWIFT
    cat > "$package/Sources/driver/main.swift" <<'SWIFT'
import Analysis
import Foundation
import Yams

struct Input: Decodable {
    var id: String
    var title: String?
    var text: String
    var language: String?
}

let arguments = CommandLine.arguments
let topics = try YAMLDecoder().decode(
    TopicsFile.self, from: String(contentsOfFile: arguments[1], encoding: .utf8)).topics
let entities = try YAMLDecoder().decode(
    EntitiesFile.self, from: String(contentsOfFile: arguments[2], encoding: .utf8)).entities
let analyzer = try Analyzer(topics: topics, entities: entities)
let decoder = JSONDecoder()
SWIFT
}
