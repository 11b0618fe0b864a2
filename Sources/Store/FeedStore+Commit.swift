import Analysis
import Foundation
import GRDB
import Synchronization

/// What the store keeps for the alerting step between commits.
struct AlertingState: Sendable {
    var policy: AlertPolicy
    /// The open stories, when loaded and not lent to a commit in progress.
    var index: StoryIndex?
    /// SQLite's `data_version` when the index was last known to match the tables: another process writing
    /// (`feedwatch prune`) changes it, and the index is reloaded.
    var dataVersion: Int?

    init(policy: AlertPolicy) {
        self.policy = policy
    }
}

extension FeedStore {
    /// Replaces the alerting policy (on a config reload); open stories are kept unless the window changed.
    public func configure(_ policy: AlertPolicy) {
        alerting.withLock { state in
            if policy.storyWindow != state.policy.storyWindow { state.index = nil }
            state.policy = policy
            state.index?.policy = policy
        }
    }

    /// Commits one feed's fetch state, new items, analyses and alerts in ONE transaction, and returns the
    /// alerts it created, with their ids. An item the feed already has is skipped with its alerts, so a
    /// batch committed twice adds nothing.
    public func commit(_ batch: FeedBatch) async throws(StoreError) -> [Alert] {
        try await commit([batch]).first ?? []
    }

    /// Commits several feeds' batches in ONE transaction (a group commit: one write to the log instead of
    /// one per feed) and returns each batch's alerts, in order. Each batch is applied exactly as committing
    /// it alone would; if any fails, none is committed.
    ///
    /// Every alerting item joins an open story or starts one; a topic alerts once per story, and again only
    /// when a later report changes something material. Burst alerts, if any, come last in the last batch.
    public func commit(_ batches: [FeedBatch]) async throws(StoreError) -> [[Alert]] {
        guard !batches.isEmpty else { return [] }
        let (operation, durable) = Self.describe(batches)
        return try await write(operation, durable: durable) { db in try self.apply(batches, in: db, durable: durable) }
    }

    /// ``commit(_:)-([FeedBatch])``, blocking the calling thread until the transaction is committed: for a
    /// thread of the caller's own (a group committer's), never the cooperative pool.
    @available(*, noasync, message: "blocks its thread: use commit(_:) from async code")
    public func commitNow(_ batches: [FeedBatch]) throws(StoreError) -> [[Alert]] {
        guard !batches.isEmpty else { return [] }
        let (operation, durable) = Self.describe(batches)
        return try writeNow(operation, durable: durable) { db in try self.apply(batches, in: db, durable: durable) }
    }

    /// The commit's name for errors, and whether it must be durable: batches with alerts are synced to disk
    /// before they return (synchronous=FULL), because their alerts go to the log next, and the log must never
    /// hold an alert that a power loss could take out of the store.
    private static func describe(_ batches: [FeedBatch]) -> (operation: String, durable: Bool) {
        let operation =
            batches.count == 1
            ? "commit batch for feed \(batches[0].feedID)"
            : "commit batches for feeds \(batches.map { String($0.feedID) }.joined(separator: ","))"
        return (operation, batches.contains { $0.items.contains { !$0.alertTopics.isEmpty } })
    }

    /// Applies `batches` in the transaction `db` is in.
    private func apply(_ batches: [FeedBatch], in db: Database, durable: Bool) throws -> [[Alert]] {
        let now = Self.now(batches)
        guard durable else {
            // No alerting item: the stories are not touched, so the index is neither needed nor loaded
            // (an all-304 cycle commits only fetch states).
            var writer = CommitWriter(db: db, policy: self.alerting.withLock { $0.policy }, index: nil)
            return try batches.map { try writer.apply($0) }
        }
        // Take the index (the writer is serial: nobody else uses it meanwhile), unless another process
        // changed the database since it was built.
        let version = try Int.fetchOne(db, sql: "PRAGMA data_version")
        let (policy, lent) = self.alerting.withLock { state in
            let index = state.dataVersion == version ? state.index : nil
            state.index = nil
            return (state.policy, index)
        }
        // Consumed: the filing thread must hold the only reference, or its first change copies the index.
        let index = try (consume lent) ?? StoryIndex.load(from: db, policy: policy, now: now)
        let encoded = batches.map { batch in batch.items.map { $0.encoded ?? EncodedItem($0) } }
        var writer = CommitWriter(db: db, policy: policy, index: nil)
        let fresh = try writer.freshItems(of: batches)
        // Their alerting ones are filed on another thread while this one inserts the items.
        var reports: [StoryReport] = []
        for (batch, (encoded, fresh)) in zip(batches, zip(encoded, fresh)) {
            for index in fresh {
                guard let draft = encoded[index].storyDraft else { continue }
                reports.append(
                    draft.placed(
                        itemID: 0, feedID: batch.feedID, time: batch.fetch.fetchedAt,
                        published: batch.items[index].published))
            }
        }
        let firstStoryID = try CommitWriter.nextStoryID(db)
        let placing = StoryPlacing(index: consume index, reports: reports, firstStoryID: firstStoryID)
        // Stops the filing when an insert throws before it is used.
        defer { placing.cancel() }
        let inserted = try batches.indices.map { batch in
            try writer.insertRows(batches[batch], encoded: encoded[batch], fresh: fresh[batch])
        }
        // New alerting items are a subset of those filed, in the same order: the filing holds when the
        // counts agree. Otherwise an item was committed meanwhile (the same batch twice, another process):
        // file again from the tables, which hold no story row of this transaction yet.
        let filingHolds = inserted.reduce(0) { $0 + $1.alerting } == reports.count
        if !filingHolds {
            placing.cancel()
            writer.index = try StoryIndex.load(from: db, policy: policy, now: now)
        }
        var results: [[Alert]] = []
        var position = 0
        var nextStoryID = firstStoryID
        for ((batch, encoded), rows) in zip(zip(batches, encoded), inserted) {
            var alerts: [Alert] = []
            for row in rows.items {
                guard encoded[row.index].storyDraft != nil else { continue }
                let filed: PlacedReport
                if filingHolds {
                    filed = placing.filing(at: position)
                    position += 1
                } else {
                    // Unwrapped in place (the guard above checked it): bound with `guard let`, the draft is a copy.
                    let report = encoded[row.index].storyDraft!.placed(
                        itemID: row.id, feedID: batch.feedID, time: rows.time,
                        published: batch.items[row.index].published)
                    filed = writer.index!.file(report, nextStoryID: &nextStoryID)
                }
                alerts += try writer.writeStoryRows(
                    of: batch, at: row.index, encoded: encoded, id: row.id, filed: filed, in: rows)
            }
            results.append(alerts)
        }
        if filingHolds { writer.index = placing.filedIndex() }
        try writer.writeStories()
        results[results.count - 1] += try writer.bursts(now: now)
        // Back to the store only once the transaction is committed.
        guard let index = writer.index else { return results }
        db.afterNextTransaction { _ in
            self.alerting.withLock { state in
                state.index = index
                state.dataVersion = version
            }
        }
        return results
    }

    private static func now(_ batches: [FeedBatch]) -> Date {
        batches.map(\.fetch.fetchedAt).max() ?? Date()
    }
}

/// Writes one transaction's batches: feed states, items, analyses, story membership and alerts.
struct CommitWriter {
    let db: Database
    let policy: AlertPolicy
    /// The open stories; nil for a transaction without alerting items, which never reaches `alert`.
    var index: StoryIndex?
    /// The last `new` alert of each topic in this transaction: where a burst alert points.
    private var newestNewAlert: [String: Alert] = [:]
    /// Stories that took a report in this transaction: their rows are written once, at the end, however many
    /// reports they took.
    private var touchedStories: Set<Int64> = []
    /// The topic states that reports changed in this transaction, by story: each is written once, at the end,
    /// in its last state (a story's topics change with most of the reports it takes).
    private var changedTopics: [Int64: [String: StoryIndex.TopicState]] = [:]
    /// Whether `removed_items` holds any key, once asked (once per transaction; empty until a prune).
    private var holdsRemovedItems: Bool?
    /// The statements of the rows the transaction writes, each found once.
    private var statements = RowStatements()

    private struct RowStatements {
        var item, analysis, story, source, alert, storyUpdate, storyTopic, burst: Statement?
    }

    init(db: Database, policy: AlertPolicy, index: StoryIndex?) {
        self.db = db
        self.policy = policy
        self.index = index
    }

    /// Writes one batch without alerting items: the feed's new state, its new items and their analyses.
    mutating func apply(_ batch: FeedBatch) throws -> [Alert] {
        let fresh = try freshItems(of: [batch])[0]
        _ = try insertRows(batch, encoded: batch.items.map { $0.encoded ?? EncodedItem($0) }, fresh: fresh)
        return []
    }

    /// The items of `batches` to insert, as indices per batch: a feed's key once (where it is first listed),
    /// and none that retention removed (an item pruned by retention stays seen: the feed may still list it).
    /// The inserts still skip an item stored meanwhile.
    mutating func freshItems(of batches: [FeedBatch]) throws -> [[Int]] {
        var keys: [Int64: Set<String>] = [:]
        var fresh: [[Int]] = []
        for batch in batches {
            var indices: [Int] = []
            // By index: `enumerated()` hands out copies of the items, each of their references retained.
            for index in batch.items.indices
            where keys[batch.feedID, default: []].insert(batch.items[index].key).inserted {
                if try !isRemoved(batch.items[index].key, of: batch.feedID) { indices.append(index) }
            }
            fresh.append(indices)
        }
        return fresh
    }

    /// What ``insertRows(_:encoded:fresh:)`` wrote of a batch.
    struct InsertedRows {
        var feed: Alert.Feed
        var feedID: Int64
        /// The fetch time, and as SQLite stores it (formatted once for every row of the batch).
        var time: Date
        var stamp: DatabaseValue
        /// The batch's new items: their index in the batch and their row id, in batch order.
        var items: [(index: Int, id: Int64)] = []
        /// How many of them alert.
        var alerting = 0
    }

    /// Writes the feed's new state, and the items at `fresh` with their analyses; `encoded` holds each item's
    /// columns.
    mutating func insertRows(_ batch: FeedBatch, encoded: [EncodedItem], fresh: [Int]) throws -> InsertedRows {
        let fetch = batch.fetch
        let stamp = StoredDate.value(fetch.fetchedAt)
        try db.cachedStatement(
            sql: """
                UPDATE feeds SET etag = ?, last_modified = ?, last_fetch_at = ?, last_status = ?, last_error = ?,
                    consecutive_failures = ?, next_due_at = ?, last_bytes = ?, last_duration = ?,
                    fetch_url = ?, pending_redirect_url = ?, pending_redirect_seen = ?, ttl_minutes = ?,
                    last_success_at = CASE WHEN ? IS NULL THEN ? ELSE last_success_at END
                WHERE id = ?
                """
        ).execute(
            arguments: [
                fetch.etag, fetch.lastModified, stamp, fetch.status, fetch.error,
                fetch.consecutiveFailures, StoredDate.value(fetch.nextDueAt), fetch.bytes, fetch.duration,
                fetch.fetchURL, fetch.pendingRedirect?.url, fetch.pendingRedirect?.seen ?? 0, fetch.ttlMinutes,
                fetch.error, stamp, batch.feedID,
            ]
        )
        guard
            let feedRow = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT name, url FROM feeds WHERE id = ?"), arguments: [batch.feedID])
        else {
            throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "no feed with id \(batch.feedID)")
        }
        var rows = InsertedRows(
            feed: Alert.Feed(name: feedRow[0], url: feedRow[1]), feedID: batch.feedID, time: fetch.fetchedAt,
            stamp: stamp)
        // Fields are read through the arrays (`batch.items[index].key`): an item bound to a local is a copy of
        // the whole struct, a retain and a release of each of its thirty-odd references.
        for index in fresh {
            var itemRow = try BoundRow(
                db,
                sql: """
                    INSERT OR IGNORE INTO items (feed_id, item_key, key_source, title, link, published_at, first_seen_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                reusing: &statements.item)
            itemRow.bind(batch.feedID)
            itemRow.bind(batch.items[index].key)
            itemRow.bind(batch.items[index].keySource)
            itemRow.bind(batch.items[index].title)
            itemRow.bind(batch.items[index].link)
            itemRow.bind(encoded[index].published)
            itemRow.bind(stamp)
            try itemRow.run()
            guard db.changesCount == 1 else { continue }
            let itemID = db.lastInsertedRowID
            var analysisRow = try BoundRow(
                db, sql: "INSERT INTO analyses (item_id, language, topics, result, analyzed_at) VALUES (?, ?, ?, ?, ?)",
                reusing: &statements.analysis)
            analysisRow.bind(itemID)
            analysisRow.bind(batch.items[index].analysis.language)
            analysisRow.bind(encoded[index].topics)
            analysisRow.bind(utf8: encoded[index].analysis[...])
            analysisRow.bind(stamp)
            try analysisRow.run()
            rows.items.append((index, itemID))
            if encoded[index].storyDraft != nil { rows.alerting += 1 }
        }
        return rows
    }

    /// Whether retention removed item `key` of feed `feedID` (asking the table only once it holds any key).
    mutating func isRemoved(_ key: String, of feedID: Int64) throws -> Bool {
        if holdsRemovedItems == nil {
            holdsRemovedItems = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM removed_items)") ?? false
        }
        guard holdsRemovedItems == true else { return false }
        return try FeedStore.retentionRemoved(key, of: feedID, in: db)
    }

    /// The id the next new story takes: what AUTOINCREMENT would give it, so that the story index can number
    /// stories before their rows are written.
    static func nextStoryID(_ db: Database) throws -> Int64 {
        let last = try Int64.fetchOne(
            db,
            sql: """
                SELECT MAX(COALESCE((SELECT MAX(id) FROM stories), 0),
                    COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'stories'), 0))
                """) ?? 0
        return last + 1
    }

    /// Writes the story rows of the alerting item at `index` of `batch` (the story itself when the item starts
    /// it, and its membership) and the alerts its placement calls for; the topic states it changed are written
    /// by ``writeStories()``. `encoded` holds the batch's encoded items.
    ///
    /// The item's fields are read through the arrays, never the item bound to a local: that would copy the
    /// whole struct, a retain and a release of each of its thirty-odd references.
    mutating func writeStoryRows(
        of batch: FeedBatch, at index: Int, encoded: [EncodedItem], id itemID: Int64, filed: PlacedReport,
        in rows: InsertedRows
    ) throws -> [Alert] {
        let (feedID, time, stamp, feed) = (rows.feedID, rows.time, rows.stamp, rows.feed)
        let (placement, storyID) = (filed.placement, filed.storyID)
        if filed.startsStory {
            var storyRow = try BoundRow(
                db,
                sql: """
                    INSERT INTO stories (id, first_seen_at, last_seen_at, title, topics, languages, sources, feeds)
                    VALUES (?, ?, ?, ?, '', '', 0, 0)
                    """,
                reusing: &statements.story)
            storyRow.bind(storyID)
            storyRow.bind(stamp)
            storyRow.bind(stamp)
            storyRow.bind(batch.items[index].title)
            try storyRow.run()
        }
        touchedStories.insert(storyID)
        let distance: Int? = if case .text(let bits) = placement.match { bits } else { nil }
        var sourceRow = try BoundRow(
            db,
            sql: """
                INSERT INTO story_sources (item_id, story_id, feed_id, language, joined_at, matched_by, distance,
                    simhash, entities, key_entities, quantities, topics)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            reusing: &statements.source)
        sourceRow.bind(itemID)
        sourceRow.bind(storyID)
        sourceRow.bind(feedID)
        sourceRow.bind(batch.items[index].analysis.language)
        sourceRow.bind(stamp)
        sourceRow.bind(placement.match.label)
        sourceRow.bind(distance)
        sourceRow.bind(encoded[index].storySource.simhash)
        sourceRow.bind(encoded[index].storySource.entities)
        sourceRow.bind(encoded[index].storySource.keyEntities)
        sourceRow.bind(encoded[index].storySource.quantities)
        sourceRow.bind(encoded[index].storySource.topics)
        try sourceRow.run()
        for (topic, state) in filed.changedTopics {
            changedTopics[storyID, default: [:]][topic] = state
        }
        var alerts: [Alert] = []
        for (topicID, outcome) in placement.outcomes {
            guard let position = batch.items[index].alertTopics.firstIndex(where: { $0.id == topicID }) else {
                continue
            }
            let topic = batch.items[index].alertTopics[position]
            let kind: Alert.Kind
            let change: String?
            switch outcome {
            case .repeated: continue
            case .first: (kind, change) = (.new, nil)
            case .changed(let what): (kind, change) = (.update, what)
            }
            var alertRow = try BoundRow(
                db,
                sql: """
                    INSERT INTO alerts (created_at, topic, kind, severity, score, modality, feed_id, item_id, story,
                        sources, language, change, evidence, entities, quantities)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                reusing: &statements.alert)
            alertRow.bind(stamp)
            alertRow.bind(topic.id)
            alertRow.bind(kind.rawValue)
            alertRow.bind(topic.severity)
            alertRow.bind(topic.score)
            alertRow.bind(topic.modality.rawValue)
            alertRow.bind(feedID)
            alertRow.bind(itemID)
            alertRow.bind(storyID)
            alertRow.bind(filed.sources)
            alertRow.bind(batch.items[index].analysis.language)
            alertRow.bind(change)
            alertRow.bind(utf8: encoded[index].evidence[position])
            alertRow.bind(utf8: encoded[index].entities)
            alertRow.bind(utf8: encoded[index].quantities)
            try alertRow.run()
            var alert = Alert(
                id: db.lastInsertedRowID, time: time, topic: topic.id, severity: topic.severity, score: topic.score,
                modality: topic.modality.rawValue, feed: feed,
                item: Alert.Item(
                    title: batch.items[index].title, link: batch.items[index].link,
                    published: batch.items[index].published, guid: batch.items[index].key),
                language: batch.items[index].analysis.language, evidence: topic.evidence,
                entities: batch.items[index].analysis.entities, quantities: batch.items[index].analysis.quantities,
                story: storyID, sources: filed.sources, kind: kind, change: change)
            alert.encoded = Alert.EncodedLists(
                json: (encoded[index].evidence[position], encoded[index].entities, encoded[index].quantities))
            if kind == .new { newestNewAlert[topic.id] = alert }
            alerts.append(alert)
        }
        return alerts
    }

    /// Writes the rows of the stories that took reports in this transaction (counts, languages, topics), and
    /// the last state of each topic that reports changed.
    mutating func writeStories() throws {
        for storyID in touchedStories.sorted() {
            guard let story = index?.stories[storyID] else { continue }
            var storyRow = try BoundRow(
                db,
                sql: """
                    UPDATE stories SET last_seen_at = ?, topics = ?, languages = ?, sources = ?, feeds = ?
                    WHERE id = ?
                    """,
                reusing: &statements.storyUpdate)
            storyRow.bind(StoredDate.value(story.lastSeen))
            storyRow.bind(story.topics.keys.commaSeparated)
            storyRow.bind(story.languages.commaSeparated)
            storyRow.bind(story.sources)
            storyRow.bind(story.feeds.count)
            storyRow.bind(storyID)
            try storyRow.run()
        }
        touchedStories = []
        for (storyID, topics) in changedTopics.sorted(by: { $0.key < $1.key }) {
            for (topic, state) in topics.sorted(by: { $0.key < $1.key }) {
                var topicRow = try BoundRow(
                    db,
                    sql: """
                        INSERT INTO story_topics (story_id, topic, modalities, last_modality, max_killed, max_wounded,
                            places)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (story_id, topic) DO UPDATE SET modalities = excluded.modalities,
                            last_modality = excluded.last_modality, max_killed = excluded.max_killed,
                            max_wounded = excluded.max_wounded, places = excluded.places
                        """,
                    reusing: &statements.storyTopic)
                topicRow.bind(storyID)
                topicRow.bind(topic)
                topicRow.bind(state.modalities.commaSeparated)
                topicRow.bind(state.lastModality)
                topicRow.bind(state.maxKilled)
                topicRow.bind(state.maxWounded)
                topicRow.bind(state.places.commaSeparated)
                try topicRow.run()
            }
        }
        changedTopics = [:]
    }

    /// Burst alerts for the topics that got a new story in this transaction, written after everything else.
    mutating func bursts(now: Date) throws -> [Alert] {
        var alerts: [Alert] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for topic in newestNewAlert.keys.sorted() {
            guard let latest = newestNewAlert[topic],
                let burst = try BurstDetector.check(topic: topic, now: now, policy: policy.bursts, in: db)
            else { continue }
            let figures = String(decoding: try encoder.encode(burst), as: UTF8.self)
            // The arrays as the latest alert's row holds them.
            let lists =
                latest.encoded.json
                ?? (AnalysisJSON.encode(evidence: latest.evidence)[...],
                    AnalysisJSON.encode(entities: latest.entities)[...],
                    AnalysisJSON.encode(quantities: latest.quantities)[...])
            guard let row = try Row.fetchOne(db, sql: "SELECT feed_id, item_id FROM alerts WHERE id = ?", arguments: [latest.id])
            else { continue }
            var burstRow = try BoundRow(
                db,
                sql: """
                    INSERT INTO alerts (created_at, topic, kind, severity, score, modality, feed_id, item_id, story,
                        sources, language, burst, evidence, entities, quantities)
                    VALUES (?, ?, 'burst', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                reusing: &statements.burst)
            burstRow.bind(StoredDate.value(now))
            burstRow.bind(topic)
            burstRow.bind(latest.severity)
            burstRow.bind(burst.ratio)
            burstRow.bind(latest.modality)
            burstRow.bind(row["feed_id"] as Int64)
            burstRow.bind(row["item_id"] as Int64)
            burstRow.bind(latest.story)
            burstRow.bind(burst.sources)
            burstRow.bind(latest.language)
            burstRow.bind(figures)
            burstRow.bind(utf8: lists.evidence)
            burstRow.bind(utf8: lists.entities)
            burstRow.bind(utf8: lists.quantities)
            try burstRow.run()
            var alert = latest
            alert.id = db.lastInsertedRowID
            alert.time = now
            alert.kind = .burst
            alert.change = nil
            alert.score = burst.ratio
            alert.sources = burst.sources
            alert.burst = burst
            alerts.append(alert)
        }
        return alerts
    }
}

extension StoryReport {
    /// What the story index needs of an analysed item, but its ids and times: ``placed(itemID:feedID:time:published:)``
    /// gives those at commit.
    init(draftOf item: ProcessedItem) {
        let analysis = item.analysis
        // Names matched only through a typo or a spelling variant do not decide what a story is.
        // Nor do places in the dateline, where the report was filed.
        var entities = Set<String>(minimumCapacity: analysis.entities.count)
        var keyEntities = Set<String>(minimumCapacity: analysis.entities.count)
        var places: [EntityMatch] = []
        for entity in analysis.entities {
            let confident = entity.mentions.contains {
                $0.confidence == "high" && ($0.field != "text" || $0.start >= item.datelineLength)
            }
            guard confident else { continue }
            entities.insert(entity.id)
            if entity.type != "country" { keyEntities.insert(entity.id) }
            if entity.type == "place" { places.append(entity) }
        }
        // Casualty figures from the evidence sentences only: a background toll ("a war that has killed
        // thousands") is not this event's.
        let evidence = item.alertTopics.flatMap(\.evidence)
        func figure(_ unit: String) -> Double {
            analysis.quantities.filter { quantity in
                quantity.unit == unit && !quantity.approximate
                    && evidence.contains {
                        $0.field == quantity.field && quantity.start >= $0.start && quantity.end <= $0.end
                    }
            }.map(\.value).max() ?? 0
        }
        let figures = Set(analysis.fingerprint.quantities.filter { $0.unit != "killed" && $0.unit != "wounded" })
        self.init(
            itemID: 0,
            feedID: 0,
            language: analysis.language,
            time: .distantPast,
            eventTime: .distantPast,
            simhash: analysis.fingerprint.simhash,
            titlePairs: StoryIndex.titlePairs(item.title),
            entities: entities,
            keyEntities: keyEntities,
            quantities: figures,
            figures: StoryIndex.figureHashes(figures),
            topics: item.alertTopics.map { topic in
                // Places named inside the topic's own evidence sentences: where the event happened.
                var named: [String: String] = [:]
                for place in places {
                    let inEvidence = place.mentions.contains { mention in
                        (mention.field != "text" || mention.start >= item.datelineLength) &&
                        topic.evidence.contains {
                            $0.field == mention.field && mention.start >= $0.start && mention.end <= $0.end
                        }
                    }
                    if inEvidence { named[place.id] = place.name }
                }
                return Topic(id: topic.id, modality: topic.modality.rawValue, places: named)
            },
            killed: figure("killed"),
            wounded: figure("wounded")
        )
    }

    /// This report as item `itemID` of feed `feedID`, committed at `time`.
    func placed(itemID: Int64, feedID: Int64, time: Date, published: Date?) -> StoryReport {
        var report = self
        report.itemID = itemID
        report.feedID = feedID
        report.time = time
        report.eventTime = StoryIndex.eventTime(published: published, committed: time)
        return report
    }
}

