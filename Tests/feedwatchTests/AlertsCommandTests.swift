import Analysis
import Foundation
import Store
import Synchronization
import TestSupport
import Testing

/// `feedwatch alerts`: filters, JSON lines, and `--follow` reading new commits from the store.
@Suite struct AlertsCommandTests {
    let folder: URL
    let config: String
    let store: FeedStore

    init() throws {
        folder = try TestPaths.makeTemporaryFolder("alerts-cli")
        let shipped = TestPaths.packageRoot.appendingPathComponent("Config")
        config = folder.appendingPathComponent("feedwatch.yaml").path
        try Data(
            """
            database: feedwatch.sqlite
            alert_log: alerts.jsonl
            topics: \(shipped.appendingPathComponent("topics.yaml").path)
            entities: \(shipped.appendingPathComponent("entities.yaml").path)
            feeds:
              - url: https://a.example/rss
                name: alpha
            """.utf8
        ).write(to: URL(fileURLWithPath: config))
        store = try FeedStore(path: folder.appendingPathComponent("feedwatch.sqlite").path)
    }

    func commit(_ key: String, severity: String = "high") async throws {
        let feed = try #require(try await store.registerFeeds([("https://a.example/rss", "alpha")]).first)
        let match = TopicMatch(
            id: "militia-attack", score: 2, severity: severity, modality: .reportedFact,
            evidence: [Evidence(text: "A militia attacked the base.", start: 0, end: 28, terms: ["attacked"], field: "text")])
        let item = ProcessedItem(
            key: key, keySource: "guid", title: "Attack \(key)", link: nil, published: nil,
            analysis: Analysis(language: "en", topics: [match], entities: [], quantities: []), alertTopics: [match])
        let now = Date()
        _ = try await store.commit(
            FeedBatch(
                feedID: feed.feedID,
                fetch: FetchRecord(
                    fetchedAt: now, status: 200, error: nil, etag: nil, lastModified: nil, consecutiveFailures: 0,
                    nextDueAt: now, bytes: nil, duration: nil),
                items: [item]))
    }

    @Test func filtersAndPrintsTheLogsJSON() async throws {
        try await commit("1", severity: "low")
        try await commit("2", severity: "high")
        let all = try Feedwatch.run(["alerts", "--config", config, "--json"])
        #expect(all.status == 0, "\(all.standardError)")
        #expect(all.standardOutput.split(separator: "\n").count == 2)
        let high = try Feedwatch.run(["alerts", "--config", config, "--min-severity", "high", "--feed", "alpha"])
        #expect(high.standardOutput.contains("Attack 2"))
        #expect(!high.standardOutput.contains("Attack 1"))
        // Each alert names its story and the story's source count (each item here is its own story).
        #expect(high.standardOutput.contains("militia-attack  high  reported_fact  score 2.0  alpha  story 2 (1 source)"))
        let none = try Feedwatch.run(["alerts", "--config", config, "--topic", "protest"])
        #expect(none.standardOutput.contains("no alerts"))
        let bad = try Feedwatch.run(["alerts", "--config", config, "--min-severity", "urgent"])
        #expect(bad.status != 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func followPrintsAlertsCommittedAfterItStarted() async throws {
        try await commit("1")
        let process = Process()
        process.executableURL = TestPaths.executable
        process.arguments = ["alerts", "--config", config, "--json", "--follow"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let received = Mutex<String>("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            received.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
            output.fileHandleForReading.readabilityHandler = nil
        }
        func lines() -> Int { received.withLock { $0.split(separator: "\n").count } }
        let deadline = Date().addingTimeInterval(20)
        while lines() < 1 && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(lines() == 1)
        try await commit("2")
        while lines() < 2 && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(lines() == 2)
        #expect(received.withLock { $0.contains("\"guid\":\"2\"") })
    }
}
