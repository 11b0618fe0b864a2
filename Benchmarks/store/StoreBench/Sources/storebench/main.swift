// storebench: how many analysed items per second the store commits, with their stories and alerts, and
// with the alert log appended after each group commit, as the daemon does.
//
// Usage: storebench TOPICS ENTITIES FOLDER [ITEMS]
// Makes ITEMS (default 20,000) synthetic reports in Arabic and English, each a distinct event, a third of
// them repeated by other feeds (copies that join a story); analyses them all first (not timed), then commits
// them in batches of 25 items per feed, 16 feeds per transaction, into a new database in FOLDER.
import AlertLog
import Analysis
import Foundation
import Monitor
import Store

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: storebench TOPICS ENTITIES FOLDER [ITEMS]\n".utf8))
    exit(2)
}
let itemCount = arguments.count > 4 ? Int(arguments[4]) ?? 20_000 : 20_000
let folder = URL(fileURLWithPath: arguments[3])
try? FileManager.default.removeItem(at: folder)
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let analyzer = try ConfigurationLoader.loadAnalyzer(topicsPath: arguments[1], entitiesPath: arguments[2])

let places = ["Baghdad", "Erbil", "Basra", "Mosul", "Kirkuk", "Ramadi", "Fallujah", "Najaf", "Karbala", "Tikrit"]
let arabicPlaces = ["بغداد", "أربيل", "البصرة", "الموصل", "كركوك", "الرمادي", "الفلوجة", "النجف", "كربلاء", "تكريت"]
let words = [
    "market", "river", "council", "harvest", "station", "bridge", "school", "festival", "museum", "library",
    "garden", "airport", "hospital", "stadium", "factory", "harbour", "village", "orchard", "theatre", "bakery",
]
func report(_ event: Int) -> (title: String, text: String) {
    let place = event % places.count
    let rockets = 2 + event % 9
    var state = UInt64(event) &* 0x9E37_79B9_7F4A_7C15 | 1
    let filler = (0..<20).map { _ -> String in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return words[Int(state % UInt64(words.count))]
    }.joined(separator: " ")
    switch event % 4 {
    case 0:
        return (
            "\(rockets) rockets hit a base near \(places[place]), report \(event)",
            "\(rockets) rockets struck a base housing coalition troops near \(places[place]) on Monday night, officials said. "
                + "An armed group claimed the attack. Nearby: \(filler).")
    case 1:
        return (
            "سقوط \(rockets) صواريخ قرب \(arabicPlaces[place])",
            "قالت مصادر أمنية إن \(rockets) صواريخ سقطت قرب قاعدة عسكرية في \(arabicPlaces[place]) مساء اليوم دون إصابات. "
                + "وفتحت القوات الأمنية تحقيقا في الهجوم. \(filler)")
    case 2:
        return (
            "Thousands protest in \(places[place]) over power cuts, day \(event)",
            "Thousands of protesters rallied in \(places[place]) against power cuts, blocking roads and demanding "
                + "officials be held to account. Nearby: \(filler).")
    default:
        return (
            "Council approves a new park in \(places[place]), plan \(event)",
            "The council approved a new park with playgrounds and a lake, due to open next spring. Nearby: \(filler).")
    }
}

// A third of the events are reported by a second feed too: the copies join the first report's story.
var prepared: [(feed: Int, item: ProcessedItem)] = []
var event = 0
let analysisStart = Date()
while prepared.count < itemCount {
    let (title, text) = report(event)
    let analysis = analyzer.analyze(Article(id: "\(event)", title: title, text: text))
    let copies = event % 3 == 0 ? 2 : 1
    for copy in 0..<copies where prepared.count < itemCount {
        let feed = (event + copy * 7) % 200
        prepared.append(
            (
                feed,
                ProcessedItem(
                    key: "e\(event)c\(copy)", keySource: "guid", title: title, link: "https://example.org/\(event)/\(copy)",
                    published: nil, analysis: analysis, alertTopics: analysis.topics,
                    datelineLength: Dateline.length(of: text))
            ))
    }
    event += 1
}
let analysisSeconds = Date().timeIntervalSince(analysisStart)

let store = try FeedStore(path: folder.appendingPathComponent("bench.sqlite").path)
let log = try AlertLogWriter(path: folder.appendingPathComponent("alerts.jsonl").path)
let states = try await store.registerFeeds((0..<200).map { ("https://feed\($0).example/rss", "feed\($0)") })
// Batches of 25 items of one feed, 16 batches per transaction.
var batches: [FeedBatch] = []
var byFeed: [Int: [ProcessedItem]] = [:]
for (feed, item) in prepared {
    byFeed[feed, default: []].append(item)
    if byFeed[feed]!.count == 25 {
        batches.append(FeedBatch(feedID: states[feed].feedID, fetch: FetchRecord(
            fetchedAt: Date(), status: 200, error: nil, etag: nil, lastModified: nil, consecutiveFailures: 0,
            nextDueAt: Date().addingTimeInterval(900), bytes: 50_000, duration: 0.1), items: byFeed[feed]!))
        byFeed[feed] = []
    }
}
for (feed, items) in byFeed where !items.isEmpty {
    batches.append(FeedBatch(feedID: states[feed].feedID, fetch: FetchRecord(
        fetchedAt: Date(), status: 200, error: nil, etag: nil, lastModified: nil, consecutiveFailures: 0,
        nextDueAt: Date().addingTimeInterval(900), bytes: 50_000, duration: 0.1), items: items))
}

let clock = ContinuousClock()
var alerts = 0
var storeTime = Duration.zero
var logTime = Duration.zero
for start in stride(from: 0, to: batches.count, by: 16) {
    let group = Array(batches[start..<min(start + 16, batches.count)])
    let committedAt = clock.now
    let committed = try await store.commit(group).flatMap { $0 }
    let loggedAt = clock.now
    try log.append(committed.sorted { $0.id < $1.id })
    storeTime += loggedAt - committedAt
    logTime += clock.now - loggedAt
    alerts += committed.count
}
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
let stories = try await store.stories(limit: 1_000_000).count
let counts = try await store.counts()
print(
    String(
        format: "items %d  alerts %d  stories %d  analysis %.2f s (not timed)  commit %.2f s = %.0f items/s  "
            + "commit+log %.2f s = %.0f items/s",
        counts.items, alerts, stories, analysisSeconds, seconds(storeTime), Double(counts.items) / seconds(storeTime),
        seconds(storeTime + logTime), Double(counts.items) / seconds(storeTime + logTime)))
