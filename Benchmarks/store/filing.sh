#!/usr/bin/env bash
# Story filing cost (StoryIndex.file: placing a report and recording it), in instructions and seconds.
#
# Usage: Benchmarks/store/filing.sh DATABASE [RUNS]
#   DATABASE  a feedwatch.sqlite written by a cold cycle (e.g. `feedwatch run --once` over the benchmark
#             feeds with poll concurrency 1); it is only read.
#   RUNS      timed runs of the filing, after the counted one (default 5); the median and best are printed.
#
# What it measures: the database's alerting items (story_sources joined with their items and analyses, in
# item order, which is the order they were filed in) are read back as the reports the writer filed: ids,
# language, times, SimHash, entities, figures and title from the rows, and the alert topics' modalities,
# places and casualty figures from the stored analysis. They are then filed, in order, into a fresh index,
# as one transaction's filing thread does. The script prints how many placements agree with the stored
# story ids and match kinds (all of them, for a database written by the same code), a digest of every
# decision (story, match, outcomes, changed topics, sources: compare it between two versions of the
# index), the instructions valgrind's callgrind counts in the filing alone, and its time over RUNS runs.
#
# As for Benchmarks/analyze/instructions.sh, the driver is a throwaway package in a temporary folder: its
# executable target is the Store's sources (symlinks, so the driver sees the internal API) plus a main.swift,
# with Sources/Analysis symlinked and GRDB copied from the checkouts of a scratch path that already resolved
# the package ($SCRATCH, default .build). Needs valgrind and callgrind_annotate (Debian package valgrind) and
# objcopy (binutils): debug info is stripped first, since valgrind 3.19 cannot read Swift 6's DWARF 5.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../checkouts.sh"
root="$(cd "$here/../.." && pwd)"
database="$(realpath "${1:?usage: filing.sh DATABASE [RUNS]}")"
runs="${2:-5}"
scratch="${SCRATCH:-$root/.build}"
grdb="$(checkout "$scratch" GRDB.swift)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -R "$grdb" "$work/GRDB.swift"
package="$work/driver"
mkdir -p "$package/Sources/filing"
ln -s "$root/Sources/Analysis" "$package/Sources/Analysis"
for file in "$root"/Sources/Store/*.swift; do ln -s "$file" "$package/Sources/filing/"; done
cat > "$package/Package.swift" <<'SWIFT'
// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "filing",
    dependencies: [.package(path: "../GRDB.swift")],
    targets: [
        .target(name: "Analysis"),
        .executableTarget(
            name: "filing",
            dependencies: [
                "Analysis", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
SWIFT
cat > "$package/Sources/filing/main.swift" <<'SWIFT'
import Analysis
import Foundation
import GRDB

// Reads a cold run's alerting items back from its database as the reports the writer filed, files them
// in a fresh index in the same order, and checks that every placement is the one the database holds.

struct Stored {
    var report: StoryReport
    var storyID: Int64
    var matchedBy: String
    var distance: Int?
}

func number(_ value: Any?) -> Int { (value as? NSNumber)?.intValue ?? 0 }

/// `report` with its topics (alert topics `topicIDs`, in order), places and casualty figures taken from the
/// analysis JSON, as `StoryReport(draftOf:)` takes them from the analysis itself.
func topics(_ topicIDs: [String], entities: Set<String>, json: String) -> ([StoryReport.Topic], Double, Double) {
    let analysis = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    let allTopics = analysis["topics"] as? [[String: Any]] ?? []
    let alertTopics = topicIDs.compactMap { id in allTopics.first { $0["id"] as? String == id } }
    func within(_ field: String?, _ start: Int, _ end: Int, _ evidence: [[String: Any]]) -> Bool {
        evidence.contains { $0["field"] as? String == field && start >= number($0["start"]) && end <= number($0["end"]) }
    }
    let places = (analysis["entities"] as? [[String: Any]] ?? []).filter {
        $0["type"] as? String == "place" && entities.contains($0["id"] as? String ?? "")
    }
    var result: [StoryReport.Topic] = []
    for topic in alertTopics {
        let evidence = topic["evidence"] as? [[String: Any]] ?? []
        var named: [String: String] = [:]
        for place in places {
            let mentions = place["mentions"] as? [[String: Any]] ?? []
            if mentions.contains(where: {
                within($0["field"] as? String, number($0["start"]), number($0["end"]), evidence)
            }) {
                named[place["id"] as! String] = place["name"] as? String ?? ""
            }
        }
        result.append(.init(id: topic["id"] as! String, modality: topic["modality"] as? String ?? "", places: named))
    }
    let evidence = alertTopics.flatMap { $0["evidence"] as? [[String: Any]] ?? [] }
    func figure(_ unit: String) -> Double {
        (analysis["quantities"] as? [[String: Any]] ?? []).filter {
            $0["unit"] as? String == unit && !($0["approximate"] as? Bool ?? false)
                && within($0["field"] as? String, number($0["start"]), number($0["end"]), evidence)
        }.compactMap { ($0["value"] as? NSNumber)?.doubleValue }.max() ?? 0
    }
    return (result, figure("killed"), figure("wounded"))
}

func list(_ text: String) -> Set<String> { Set(text.split(separator: ",").map(String.init)) }

func readReports(_ path: String) throws -> [Stored] {
    let queue = try DatabaseQueue(path: path)
    return try queue.read { db in
        try Row.fetchAll(
            db,
            sql: """
                SELECT ss.*, i.title AS item_title, i.published_at AS item_published, an.result AS analysis
                FROM story_sources ss JOIN items i ON i.id = ss.item_id JOIN analyses an ON an.item_id = ss.item_id
                ORDER BY ss.item_id
                """
        ).map { row in
            let entities = list(row["entities"])
            let (topicList, killed, wounded) = topics(
                (row["topics"] as String).split(separator: ",").map(String.init), entities: entities,
                json: row["analysis"])
            let figures = Set((row["quantities"] as String).split(separator: ";").compactMap { pair -> Fingerprint.QuantityKey? in
                let parts = pair.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, let value = Double(parts[0]) else { return nil }
                return Fingerprint.QuantityKey(value: value, unit: String(parts[1]))
            })
            let time: Date = row["joined_at"]
            let report = StoryReport(
                itemID: row["item_id"], feedID: row["feed_id"], language: row["language"], time: time,
                eventTime: StoryIndex.eventTime(published: row["item_published"], committed: time),
                simhash: UInt64(row["simhash"] as String, radix: 16) ?? 0,
                titlePairs: StoryIndex.titlePairs(row["item_title"]), entities: entities,
                keyEntities: list(row["key_entities"]), quantities: figures, figures: StoryIndex.figureHashes(figures),
                topics: topicList, killed: killed, wounded: wounded)
            return Stored(report: report, storyID: row["story_id"], matchedBy: row["matched_by"], distance: row["distance"])
        }
    }
}

/// Files `reports` in a fresh index, in order: what the benchmark measures.
@inline(never)
func fileAll(_ reports: [StoryReport]) -> [PlacedReport] {
    var index = StoryIndex(policy: AlertPolicy())
    var nextStoryID: Int64 = 1
    var placed: [PlacedReport] = []
    placed.reserveCapacity(reports.count)
    for report in reports { placed.append(index.file(report, nextStoryID: &nextStoryID)) }
    return placed
}

let arguments = CommandLine.arguments
let stored = try readReports(arguments[1])
let repeats = arguments.count > 2 ? Int(arguments[2])! : 1
let reports = stored.map(\.report)
var seconds: [Double] = []
var placed: [PlacedReport] = []
for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    placed = fileAll(reports)
    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
// A digest of every decision, to compare two versions of the index.
var digest: UInt64 = 0xcbf2_9ce4_8422_2325
var agree = 0
for (filed, row) in zip(placed, stored) {
    var distance: Int?
    if case .text(let d) = filed.placement.match { distance = d }
    if filed.storyID == row.storyID, filed.placement.match.label == row.matchedBy, distance == row.distance { agree += 1 }
    // Sets sorted: their own order changes from one process to the next.
    let topics = filed.changedTopics.map { topic, state in
        "\(topic) \(state.modalities.sorted()) \(state.lastModality) \(state.maxKilled) \(state.maxWounded) \(state.places.sorted())"
    }
    let line = "\(filed.storyID) \(filed.placement.match) \(filed.placement.outcomes) \(topics) \(filed.sources)"
    for byte in line.utf8 { digest = (digest ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
}
seconds.sort()
print("reports: \(reports.count)  stories: \((placed.map(\.storyID).max() ?? 0))  as stored: \(agree)/\(reports.count)")
print("decisions digest: \(String(digest, radix: 16))")
print(String(format: "filing: median %.3f s, best %.3f s over %d runs", seconds[seconds.count / 2], seconds[0], repeats))
SWIFT
(cd "$package" && swift build -c release --scratch-path "$work/build" >&2)
objcopy --strip-debug "$work/build/release/filing" "$work/filing-bin"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" --toggle-collect='*7fileAll*' \
    "$work/filing-bin" "$database" 1 > "$work/counted.txt" 2> "$work/valgrind.log"
head -2 "$work/counted.txt"
echo "instructions, filing (StoryIndex.file over every report): $(grep -E 'Collected' "$work/valgrind.log" | grep -oE '[0-9]+$')"
"$work/filing-bin" "$database" "$runs" | tail -1
echo "== heaviest functions in the filing (self)"
callgrind_annotate "$work/callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ ' | head -16 | cut -c1-170
