public import Foundation
import GRDB

/// One story: the reports of one event across feeds and languages.
public struct StorySummary: Sendable, Equatable, Codable {
    /// One report of the story.
    public struct Source: Sendable, Equatable, Codable {
        /// The feed's name.
        public var feed: String
        /// The item's stable key in its feed.
        public var guid: String
        /// The item's title.
        public var title: String?
        /// The item's link.
        public var link: String?
        /// The item's language.
        public var language: String
        /// When the item joined the story.
        public var joined: Date
        /// How it matched: `first` (started the story), `text` (near-identical text), `title` (the same
        /// headline in the same language) or `entities` (the same names and figures, in either language).
        public var matchedBy: String
        /// For a text match, how many SimHash bits apart.
        public var distance: Int?
    }

    /// The story id (the `story` of its alerts).
    public var id: Int64
    /// When its first report arrived.
    public var firstSeen: Date
    /// When its latest report arrived.
    public var lastSeen: Date
    /// The first report's title.
    public var title: String?
    /// The topics it alerted on.
    public var topics: [String]
    /// The languages it was reported in.
    public var languages: [String]
    /// How many distinct feeds reported it.
    public var feeds: Int
    /// Its reports, oldest first.
    public var sources: [Source]
}

extension FeedStore {
    /// Stories whose latest report is at or after `since` (all when nil), optionally only those that alerted
    /// on `topic`, the most recently active first, at most `limit`.
    public func stories(since: Date? = nil, topic: String? = nil, limit: Int = 100) async throws(StoreError)
        -> [StorySummary]
    {
        try await read("read stories") { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let since {
                conditions.append("s.last_seen_at >= ?")
                arguments += [since]
            }
            if let topic {
                conditions.append("EXISTS (SELECT 1 FROM story_topics st WHERE st.story_id = s.id AND st.topic = ?)")
                arguments += [topic]
            }
            let clause = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
            let stories = try Row.fetchAll(
                db,
                sql: "SELECT * FROM stories s WHERE \(clause) ORDER BY s.last_seen_at DESC, s.id DESC LIMIT \(limit)",
                arguments: arguments)
            return try stories.map { row in
                let id: Int64 = row["id"]
                let sources = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT f.name AS feed, i.item_key, i.title, i.link, ss.language, ss.joined_at, ss.matched_by,
                            ss.distance
                        FROM story_sources ss JOIN items i ON i.id = ss.item_id JOIN feeds f ON f.id = ss.feed_id
                        WHERE ss.story_id = ? ORDER BY ss.joined_at, ss.item_id
                        """,
                    arguments: [id]
                ).map { source in
                    StorySummary.Source(
                        feed: source["feed"], guid: source["item_key"], title: source["title"], link: source["link"],
                        language: source["language"], joined: StoredDate.read(source, "joined_at"),
                        matchedBy: source["matched_by"], distance: source["distance"])
                }
                func list(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
                return StorySummary(
                    id: id, firstSeen: StoredDate.read(row, "first_seen_at"),
                    lastSeen: StoredDate.read(row, "last_seen_at"), title: row["title"],
                    topics: list(row["topics"]), languages: list(row["languages"]), feeds: row["feeds"],
                    sources: sources)
            }
        }
    }
}
