import Analysis
import Foundation
import Store
import Testing

/// Retention: old items, analyses and alerts go; what is still within retention stays; pruned items never
/// come back as new.
@Suite struct RetentionTests {
    @Test func pruningKeepsRecentAlertsAndRemembersRemovedItems() async throws {
        let folder = try FileManager.default.url(
            for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: "/tmp"),
            create: true)
        let store = try FeedStore(path: folder.appendingPathComponent("feedwatch.sqlite").path)
        let feed = try #require(try await store.registerFeeds([("https://a.example/rss", "a")]).first)
        let old = Date(timeIntervalSince1970: 1_790_000_000)
        let recent = old.addingTimeInterval(100 * 86400)
        var quiet = Batches.item("old-quiet", topics: [])
        quiet.alertTopics = []
        _ = try await store.commit(
            FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(at: old), items: [Batches.item("old-alert"), quiet]))
        _ = try await store.commit(
            FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(at: recent), items: [Batches.item("new-alert")]))

        // An alert the log does not hold yet is never pruned.
        let unlogged = try await store.prune(
            before: recent.addingTimeInterval(-90 * 86400), keepingAlertsAfter: 0, now: recent)
        #expect(unlogged.alerts == 0)
        #expect(try await store.alerts(after: 0).count == 2)
        let report = try await store.prune(
            before: recent.addingTimeInterval(-90 * 86400), keepingAlertsAfter: 2, now: recent)

        #expect(report == PruneReport(alerts: 1, items: 1, stories: 1), "the quiet item went in the first prune")
        let left = try await store.alerts(after: 0)
        #expect(left.map(\.item.guid) == ["new-alert"], "the alert within retention stays, with its item")
        let counts = try await store.counts()
        #expect(counts.items == 1 && counts.analyses == 1)
        #expect(try await store.unseenKeys(feedID: feed.feedID, among: ["old-alert", "old-quiet", "fresh"]) == ["fresh"])
        // The feed still lists the old items: committing them again adds nothing.
        let again = try await store.commit(
            FeedBatch(
                feedID: feed.feedID, fetch: Batches.fetch(at: recent.addingTimeInterval(60)),
                items: [Batches.item("old-alert"), quiet]))
        #expect(again.isEmpty)
        #expect(try await store.counts().items == 1)
        #expect(try await store.integrityCheck() == ["ok"])
        #expect(try await store.lastAlertID() == 2, "ids keep increasing after a prune")
    }
}
