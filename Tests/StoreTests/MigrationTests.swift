import Foundation
import GRDB
@testable import Store
import Testing

/// The schema migrates from an empty database and from every earlier version, keeping the data.
@Suite struct MigrationTests {
    /// A new database file with the migrations up to `migration` only, as an earlier release left it.
    static func database(migratedUpTo migration: String) throws -> (path: String, queue: DatabaseQueue) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("db.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: migration)
        return (path, queue)
    }

    @Test func anEmptyDatabaseMigratesToTheLatestSchema() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-\(UUID().uuidString)")
        let store = try FeedStore(path: folder.appendingPathComponent("db.sqlite").path)
        #expect(try await store.integrityCheck() == ["ok"])
        #expect(try await store.counts() == StoreCounts(feeds: 0, items: 0, analyses: 0, alerts: 0))
    }

    @Test func aVersionOneDatabaseKeepsItsFeedsItemsAndAlerts() async throws {
        // Build a database as the first release left it: only the v1 migration, with data in it.
        let (path, queue) = try Self.database(migratedUpTo: "v1: feeds, items, analyses, alerts")
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO feeds (url, name, etag) VALUES ('https://a.example/rss', 'a', '\"v1\"')")
            try db.execute(
                sql: """
                    INSERT INTO items (feed_id, item_key, key_source, title, first_seen_at)
                    VALUES (1, 'k1', 'guid', 'An old item', '2026-01-01 00:00:00.000')
                    """)
            try db.execute(
                sql: """
                    INSERT INTO analyses (item_id, language, topics, result, analyzed_at)
                    VALUES (1, 'en', 'protest', '{}', '2026-01-01 00:00:00.000')
                    """)
            try db.execute(
                sql: """
                    INSERT INTO alerts (created_at, topic, severity, score, modality, feed_id, item_id, story, sources,
                        language, evidence, entities, quantities)
                    VALUES ('2026-01-01 00:00:00.000', 'protest', 'medium', 1.5, 'reported_fact', 1, 1, 1, 1, 'en', '[]', '[]', '[]')
                    """)
        }
        try queue.close()

        let store = try FeedStore(path: path)
        let feed = try #require(try await store.feedStates().first)
        #expect(feed.url == "https://a.example/rss")
        #expect(feed.etag == "\"v1\"", "validators survive the migration")
        #expect(try await store.unseenKeys(feedID: feed.feedID, among: ["k1", "k2"]) == ["k2"])
        let alerts = try await store.alerts(after: 0)
        #expect(alerts.map(\.topic) == ["protest"])
        #expect(alerts.first?.item.title == "An old item")
        #expect(try await store.integrityCheck() == ["ok"])
        // And it keeps working: a new alert continues the ids.
        let next = try await store.commit(FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(), items: [Batches.item("k2")]))
        #expect(next.map(\.id) == [2])
    }

    @Test func aVersionTwoDatabaseGetsAStoryPerAlertedItemAndKeepsItsIDSequence() async throws {
        let (path, queue) = try Self.database(migratedUpTo: "v2: feeds moved by permanent redirects, last success, ttl")
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO feeds (url, name) VALUES ('https://a.example/rss', 'a')")
            for key in 1...2 {
                try db.execute(
                    sql: """
                        INSERT INTO items (feed_id, item_key, key_source, title, first_seen_at)
                        VALUES (1, 'k\(key)', 'guid', 'Item \(key)', '2026-06-01 00:00:00.000')
                        """)
                try db.execute(
                    sql: """
                        INSERT INTO analyses (item_id, language, topics, result, analyzed_at)
                        VALUES (\(key), 'ar', 'militia-attack', '{"fingerprint":{"simhash":"00ff00ff00ff00ff","entities":["erbil"],"quantities":[{"unit":"rockets","value":3}]}}', '2026-06-01 00:00:00.000')
                        """)
            }
            for (id, item, topic) in [(1, 1, "militia-attack"), (2, 1, "armed-attack"), (3, 2, "militia-attack")] {
                try db.execute(
                    sql: """
                        INSERT INTO alerts (id, created_at, topic, severity, score, modality, feed_id, item_id, story,
                            sources, language, evidence, entities, quantities)
                        VALUES (\(id), '2026-06-01 00:00:00.000', '\(topic)', 'high', 2, 'intent', 1, \(item), \(item), 1,
                            'ar', '[]', '[]', '[]')
                        """)
            }
            // The log once ran ahead of the store: the sequence is past the last row.
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = 7 WHERE name = 'alerts'")
        }
        try queue.close()

        let store = try FeedStore(path: path)
        #expect(try await store.integrityCheck() == ["ok"])
        let alerts = try await store.alerts(after: 0)
        #expect(alerts.map(\.id) == [1, 2, 3])
        #expect(alerts.allSatisfy { $0.kind == .new && $0.story == Int64($0.item.guid.dropFirst())! })
        let stories = try await store.stories()
        #expect(Set(stories.map(\.id)) == [1, 2])
        #expect(stories.first { $0.id == 1 }?.topics.sorted() == ["armed-attack", "militia-attack"])
        let feed = try #require(try await store.feedStates().first)
        let next = try await store.commit(FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(), items: [Batches.item("k3")]))
        #expect(next.map(\.id) == [8], "ids continue after the sequence, not after the last row")
    }
}
