public import Foundation
import GRDB
import Synchronization

/// What one prune removed.
public struct PruneReport: Sendable, Equatable {
    /// Alerts committed before the cutoff.
    public var alerts: Int
    /// Items first seen before the cutoff and no longer behind any alert, with their analyses; their keys stay
    /// in `removed_items`, so a feed that still lists one does not bring it back as new.
    public var items: Int
    /// Stories whose last report is before the cutoff and that no remaining alert names.
    public var stories: Int

    /// Creates a report.
    public init(alerts: Int, items: Int, stories: Int) {
        self.alerts = alerts
        self.items = items
        self.stories = stories
    }
}

extension FeedStore {
    /// Removes alerts committed before `cutoff`, the items first seen before it that no remaining alert
    /// points at (with their analyses and story memberships; their keys are kept), and the stories left
    /// without reports or alerts. One transaction: a crash leaves all or nothing.
    ///
    /// Only on request: the daemon calls it when the config sets `retention`, and `feedwatch prune` does.
    /// Alerts above `loggedID` (not in the alert log yet) are never pruned, nor the items they point at.
    public func prune(before cutoff: Date, keepingAlertsAfter loggedID: Int64, now: Date = Date()) async throws(StoreError)
        -> PruneReport
    {
        return try await write("prune before \(StoredDate.iso8601(cutoff))") { db in
            // The open stories are reloaded from what is left, by the next commit.
            self.alerting.withLock { $0.index = nil }
            try db.execute(
                sql: "DELETE FROM alerts WHERE created_at < ? AND id <= ?", arguments: [StoredDate.value(cutoff), loggedID])
            let alerts = db.changesCount
            let stale = "first_seen_at < ? AND id NOT IN (SELECT item_id FROM alerts)"
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO removed_items (feed_id, item_key, removed_at)
                    SELECT feed_id, item_key, ? FROM items WHERE \(stale)
                    """,
                arguments: [StoredDate.value(now), StoredDate.value(cutoff)])
            // Their analyses and story memberships go with them (ON DELETE CASCADE).
            try db.execute(sql: "DELETE FROM items WHERE \(stale)", arguments: [StoredDate.value(cutoff)])
            let items = db.changesCount
            // Their topic states go with them (ON DELETE CASCADE).
            try db.execute(
                sql: "DELETE FROM stories WHERE last_seen_at < ? AND id NOT IN (SELECT story FROM alerts)",
                arguments: [StoredDate.value(cutoff)])
            let stories = db.changesCount
            // Keys of removed items are kept four retentions long: a feed that still lists an item after
            // that is rare, and the table must not grow forever.
            let keepKeysSince = cutoff.addingTimeInterval(-3 * now.timeIntervalSince(cutoff))
            try db.execute(
                sql: "DELETE FROM removed_items WHERE removed_at < ?", arguments: [StoredDate.value(keepKeysSince)])
            return PruneReport(alerts: alerts, items: items, stories: stories)
        }
    }
}
