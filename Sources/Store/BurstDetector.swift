import Foundation
import GRDB

/// Decides whether a topic is bursting: the last hour's distinct new stories against an EWMA of the hourly
/// counts before it, with a floor of distinct sources and a cooldown. Reads only committed alerts and story
/// sources, inside the writing transaction, so the decision survives a restart unchanged. Its statements are
/// GRDB's cached ones: it runs for each topic with a new story in every transaction.
enum BurstDetector {
    /// The burst's figures when `topic` bursts at `now`, or nil.
    static func check(topic: String, now: Date, policy: BurstPolicy, in db: Database) throws -> Alert.Burst? {
        let thresholds = policy.thresholds(for: topic)
        guard thresholds.enabled else { return nil }
        let hour: TimeInterval = 3600
        let windowStart = now.addingTimeInterval(-hour)
        let historyStart = now.addingTimeInterval(-hour * Double(policy.baselineHours + 1))
        // Not before the store has a baseline's worth of history: a new database's first cycle is no burst.
        guard
            let first = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT first_seen_at FROM items ORDER BY id LIMIT 1")),
            let firstSeen: Date = StoredDate.read(first, "first_seen_at"),
            firstSeen <= historyStart
        else { return nil }
        if thresholds.cooldown > 0,
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM alerts WHERE topic = ? AND kind = 'burst' AND created_at > ?)"),
                arguments: [topic, StoredDate.value(now.addingTimeInterval(-thresholds.cooldown))]) ?? false
        {
            return nil
        }
        let stories =
            try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT COUNT(DISTINCT story) FROM alerts
                        WHERE topic = ? AND kind = 'new' AND created_at > ? AND created_at <= ?
                        """),
                arguments: [topic, StoredDate.value(windowStart), StoredDate.value(now)]) ?? 0
        guard stories > 0 else { return nil }
        let sources =
            try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT COUNT(DISTINCT ss.feed_id) FROM story_sources ss
                        WHERE ss.joined_at > ? AND ss.joined_at <= ? AND ss.story_id IN (
                            SELECT story FROM alerts
                            WHERE topic = ? AND kind = 'new' AND created_at > ? AND created_at <= ?)
                        """),
                arguments: [
                    StoredDate.value(windowStart), StoredDate.value(now), topic, StoredDate.value(windowStart),
                    StoredDate.value(now),
                ]) ?? 0
        // Hourly counts of new stories before the window, oldest hour first; hours without one count 0.
        var hourly = [Int](repeating: 0, count: policy.baselineHours)
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT created_at, story FROM alerts
                    WHERE topic = ? AND kind = 'new' AND created_at > ? AND created_at <= ?
                    """),
            arguments: [topic, StoredDate.value(historyStart), StoredDate.value(windowStart)])
        var seen = Set<Int64>()
        for row in rows {
            let story: Int64 = row["story"]
            guard seen.insert(story).inserted else { continue }
            let created: Date = StoredDate.read(row, "created_at")
            let hoursBefore = Int(windowStart.timeIntervalSince(created) / hour)
            guard hoursBefore >= 0, hoursBefore < hourly.count else { continue }
            hourly[hourly.count - 1 - hoursBefore] += 1
        }
        let alpha = 2 / (Double(policy.baselineHours) + 1)
        var ewma = Double(hourly.first ?? 0)
        for count in hourly.dropFirst() { ewma = alpha * Double(count) + (1 - alpha) * ewma }
        let baseline = max(ewma, policy.minimumBaseline)
        let ratio = Double(stories) / baseline
        guard ratio >= thresholds.ratio, sources >= thresholds.minSources else { return nil }
        return Alert.Burst(
            stories: stories, baseline: (baseline * 100).rounded() / 100, ratio: (ratio * 100).rounded() / 100,
            sources: sources)
    }
}
