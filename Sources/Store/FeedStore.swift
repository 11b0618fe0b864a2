import Analysis
import Foundation
import GRDB
import Synchronization

/// The SQLite store, the source of truth: feeds and their fetch state, items, analyses and alerts.
///
/// One `FeedStore` per database file and process. WAL mode, `synchronous=NORMAL`, a busy timeout;
/// all access goes through GRDB's serialized writer and concurrent readers, off the cooperative pool.
public final class FeedStore: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    /// The alerting policy and the open stories (loaded from the tables on the first commit). A commit takes
    /// the index out under the lock, works on it without the lock (the writer is serial), and puts it back
    /// when its transaction commits; a rolled-back transaction leaves none, so the next commit reloads it.
    let alerting: Mutex<AlertingState>
    /// The page size of a new database file, in bytes (an existing file keeps its own).
    static let newFilePageSize = 16_384

    /// Opens (creating if needed) the database at `path` and brings its schema up to date; commits
    /// cluster alerts into stories by `policy`.
    /// - Throws: ``StoreError`` naming the file when it cannot be opened or migrated.
    public init(path: String, policy: AlertPolicy = AlertPolicy()) throws(StoreError) {
        self.path = path
        alerting = Mutex(AlertingState(policy: policy))
        // Copies the write-ahead log into the database file beside the writer; the `prepareDatabase` closure,
        // kept with the connection, holds it.
        let checkpointer = Checkpointer(path: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // Readers look up a feed's item keys and page through alerts: short reads, for which two connections
        // are enough (GRDB opens up to five, each with its own page cache).
        configuration.maximumReaderCount = 2
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                // Before the file has its first page: a cold cycle over 1,000 feeds writes 80 MB, and with
                // SQLite's 4 KB pages it made three times the reads and writes (each page goes to the log, then
                // to the file). 64 KB pages were no faster: a small commit rewrites whole pages.
                try db.execute(sql: "PRAGMA page_size = \(Self.newFilePageSize)")
            }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Page cache: 1 MB for the writer (SQLite's default 2 MB made a 1,000-feed cycle no faster, median
            // of 6 alternating, and its peak 1.2 MB bigger; 4 MB no faster still), 512 KB for each reader.
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -512" : "PRAGMA cache_size = -1024")
            if !db.configuration.readonly { try checkpointer.hook(db) }
        }
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError(path: path, operation: "open", error: error)
        }
    }

    // MARK: Feeds

    /// Makes sure each configured feed has a row (matched by URL; names follow the config) and returns their
    /// states, in the order of `feeds`.
    ///
    /// A configured URL without a row adopts the row of a feed that moved there: one whose ``FeedFetchState/fetchURL``
    /// is that URL and whose own URL is no longer configured. So editing the config to a feed's new address, as
    /// the move's log line suggests, keeps its items and state instead of starting over (and re-alerting).
    public func registerFeeds(_ feeds: [(url: String, name: String)]) async throws(StoreError) -> [FeedFetchState] {
        try await write("register feeds") { db in
            let configured = Set(feeds.map(\.url))
            let rows = try Self.feedStates(db)
            let existing = Dictionary(rows.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
            // Feeds that moved and whose old URL left the config, by the URL they moved to.
            var adoptable: [String: FeedFetchState] = [:]
            for row in rows where !configured.contains(row.url) {
                if let fetchURL = row.fetchURL, adoptable[fetchURL] == nil { adoptable[fetchURL] = row }
            }
            var changed = false
            for feed in feeds {
                if let row = existing[feed.url] {
                    guard row.name != feed.name else { continue }
                    try db.cachedStatement(sql: "UPDATE feeds SET name = ? WHERE id = ?")
                        .execute(arguments: [feed.name, row.feedID])
                } else if let moved = adoptable.removeValue(forKey: feed.url) {
                    try db.execute(
                        sql: "UPDATE feeds SET url = ?, name = ?, fetch_url = NULL WHERE id = ?",
                        arguments: [feed.url, feed.name, moved.feedID])
                } else {
                    // One statement for every insert: compiling it anew per feed was most of registering 1,000.
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO feeds (url, name) VALUES (?, ?)
                            ON CONFLICT(url) DO UPDATE SET name = excluded.name
                            """
                    ).execute(arguments: [feed.url, feed.name])
                }
                changed = true
            }
            let states = changed ? try Self.feedStates(db) : rows
            let byURL = Dictionary(states.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
            return feeds.compactMap { byURL[$0.url] }
        }
    }

    /// Every feed the store knows, in id order.
    public func feedStates() async throws(StoreError) -> [FeedFetchState] {
        try await read("read feeds") { db in try Self.feedStates(db) }
    }

    /// Each feed's state with its item and alert counts, in id order.
    public func feedSummaries() async throws(StoreError) -> [FeedSummary] {
        try await read("read feed summaries") { db in
            let states = try Self.feedStates(db)
            let items = try Self.countsByFeed(db, sql: "SELECT feed_id, COUNT(*) FROM items GROUP BY feed_id")
            let alerts = try Self.countsByFeed(db, sql: "SELECT feed_id, COUNT(*) FROM alerts GROUP BY feed_id")
            return states.map {
                FeedSummary(state: $0, items: items[$0.feedID] ?? 0, alerts: alerts[$0.feedID] ?? 0)
            }
        }
    }

    // MARK: Items

    /// The keys among `keys` that the feed has not stored yet, so only those are analysed.
    public func unseenKeys(feedID: Int64, among keys: [String]) async throws(StoreError) -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try await read("look up seen items") { db in
            // One cached statement run per key: compiling an IN list of a feed's keys cost more than the lookups.
            var statement: Statement?
            var unseen = Set<String>(minimumCapacity: keys.count)
            for key in keys {
                var lookup = try BoundRow(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM items WHERE feed_id = ? AND item_key = ?)",
                    reusing: &statement)
                lookup.bind(feedID)
                lookup.bind(key)
                if try !lookup.exists() { unseen.insert(key) }
            }
            // Items pruned by retention stay seen (the table is empty until a prune).
            guard !unseen.isEmpty,
                try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM removed_items WHERE feed_id = ?)"),
                    arguments: [feedID]) ?? false
            else { return unseen }
            return try unseen.filter { key in try !Self.retentionRemoved(key, of: feedID, in: db) }
        }
    }

    /// Whether retention removed item `key` of feed `feedID` (its key is kept in `removed_items`).
    static func retentionRemoved(_ key: String, of feedID: Int64, in db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM removed_items WHERE feed_id = ? AND item_key = ?)"),
            arguments: [feedID, key]) ?? false
    }

    // MARK: Alerts

    /// Alerts with an id above `id`, oldest first: what the alert log lacks after its last line. Each carries
    /// the source count it was raised with, as its log line does however it gets there.
    public func alerts(after id: Int64, limit: Int = 10_000) async throws(StoreError) -> [Alert] {
        try await read("read alerts after id \(id)") { db in
            try Self.fetchAlerts(
                db, where: "a.id > ?", arguments: [id], order: "a.id ASC", limit: limit, sources: .whenRaised)
        }
    }

    /// The alerts that match `query`, oldest first: with `afterID`, the first `limit` after it (page through
    /// by moving `afterID`); without, the newest `limit`. Each carries its story's source count now.
    public func alerts(matching query: AlertQuery, limit: Int = 1_000) async throws(StoreError) -> [Alert] {
        try await read("read alerts") { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let afterID = query.afterID {
                conditions.append("a.id > ?")
                arguments += [afterID]
            }
            if let since = query.since {
                conditions.append("a.created_at >= ?")
                arguments += [since]
            }
            if let topic = query.topic {
                conditions.append("a.topic = ?")
                arguments += [topic]
            }
            if let feed = query.feed {
                conditions.append("(f.name = ? OR f.url = ?)")
                arguments += [feed, feed]
            }
            if let minimum = query.minimumSeverity {
                conditions.append("\(AlertQuery.severityRankSQL) >= ?")
                arguments += [AlertQuery.rank(of: minimum)]
            }
            let clause = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
            if query.afterID != nil {
                return try Self.fetchAlerts(
                    db, where: clause, arguments: arguments, order: "a.id ASC", limit: limit, sources: .now)
            }
            let newestFirst = try Self.fetchAlerts(
                db, where: clause, arguments: arguments, order: "a.id DESC", limit: limit, sources: .now)
            return newestFirst.reversed()
        }
    }

    /// The highest alert id committed, 0 when there is none.
    public func lastAlertID() async throws(StoreError) -> Int64 {
        try await read("read last alert id") { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM alerts") ?? 0
        }
    }

    /// Row counts of the main tables.
    public func counts() async throws(StoreError) -> StoreCounts {
        try await read("count rows") { db in
            func count(_ table: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return StoreCounts(
                feeds: try count("feeds"), items: try count("items"),
                analyses: try count("analyses"), alerts: try count("alerts"))
        }
    }

    // MARK: Private

    func write<T: Sendable>(
        _ operation: String, durable: Bool = false, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            guard durable else { return try await pool.write(body) }
            return try await pool.writeWithoutTransaction { db in try Self.durably(db, body) }
        } catch {
            throw StoreError(path: path, operation: operation, error: error)
        }
    }

    /// ``write(_:durable:_:)``, blocking the calling thread (never a thread of the cooperative pool).
    func writeNow<T>(
        _ operation: String, durable: Bool = false, _ body: (Database) throws -> T
    ) throws(StoreError) -> T {
        do {
            guard durable else { return try pool.write(body) }
            return try pool.writeWithoutTransaction { db in try Self.durably(db, body) }
        } catch {
            throw StoreError(path: path, operation: operation, error: error)
        }
    }

    /// Runs `body` in a transaction that is synced to disk before it returns.
    private static func durably<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA synchronous = FULL")
        defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
        var result: T?
        try db.inTransaction {
            result = try body(db)
            return .commit
        }
        return result!
    }

    func read<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError(path: path, operation: operation, error: error)
        }
    }

    private static func feedStates(_ db: Database) throws -> [FeedFetchState] {
        // Columns by position: GRDB finds a column by name by lowercasing it and every column's name, which
        // made reading 1,000 feeds a third of the start of a cycle.
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT id, url, name, etag, last_modified, last_fetch_at, last_status, last_error,
                        consecutive_failures, next_due_at, last_bytes, last_duration, fetch_url, pending_redirect_url,
                        pending_redirect_seen, last_success_at, ttl_minutes
                    FROM feeds ORDER BY id
                    """))
        var states: [FeedFetchState] = []
        while let row = try rows.next() {
            states.append(
                FeedFetchState(
                    feedID: row[0],
                    url: row[1],
                    name: row[2],
                    etag: row[3],
                    lastModified: row[4],
                    lastFetchAt: StoredDate.read(row, at: 5),
                    lastStatus: row[6],
                    lastError: row[7],
                    consecutiveFailures: row[8],
                    nextDueAt: StoredDate.read(row, at: 9),
                    lastBytes: row[10],
                    lastDuration: row[11],
                    fetchURL: row[12],
                    pendingRedirect: (row[13] as String?).map { PendingRedirect(url: $0, seen: row[14]) },
                    lastSuccessAt: StoredDate.read(row, at: 15),
                    ttlMinutes: row[16]
                ))
        }
        return states
    }

    private static func countsByFeed(_ db: Database, sql: String) throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for row in try Row.fetchAll(db, sql: sql) {
            counts[row[0]] = row[1]
        }
        return counts
    }

    /// Which source count an alert read from the store carries.
    private enum SourceCount {
        /// The count when the alert was raised (`alerts.sources`): what its log line says.
        case whenRaised
        /// The story's count now (`stories.sources`); burst alerts keep theirs, the feeds of the burst.
        case now
    }

    private static func fetchAlerts(
        _ db: Database, where clause: String, arguments: StatementArguments, order: String, limit: Int,
        sources: SourceCount
    ) throws -> [Alert] {
        let decoder = JSONDecoder()
        let sourcesColumn =
            switch sources {
            case .whenRaised: "a.sources"
            case .now: "CASE WHEN a.kind = 'burst' THEN a.sources ELSE COALESCE(s.sources, a.sources) END"
            }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.*, f.name AS feed_name, f.url AS feed_url,
                       i.title AS item_title, i.link AS item_link, i.published_at AS item_published, i.item_key,
                       \(sourcesColumn) AS sources_shown
                FROM alerts a JOIN feeds f ON f.id = a.feed_id JOIN items i ON i.id = a.item_id
                    LEFT JOIN stories s ON s.id = a.story
                WHERE \(clause) ORDER BY \(order) LIMIT \(limit)
                """,
            arguments: arguments
        )
        return try rows.map { row in
            func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
                let text: String = row[column]
                return try decoder.decode(type, from: Data(text.utf8))
            }
            return Alert(
                id: row["id"],
                time: StoredDate.read(row, "created_at"),
                topic: row["topic"],
                severity: row["severity"],
                score: row["score"],
                modality: row["modality"],
                feed: Alert.Feed(name: row["feed_name"], url: row["feed_url"]),
                item: Alert.Item(
                    title: row["item_title"], link: row["item_link"], published: StoredDate.read(row, "item_published"),
                    guid: row["item_key"]),
                language: row["language"],
                evidence: try json("evidence", as: [Evidence].self),
                entities: try json("entities", as: [EntityMatch].self),
                quantities: try json("quantities", as: [Quantity].self),
                story: row["story"],
                sources: row["sources_shown"],
                kind: Alert.Kind(rawValue: row["kind"]) ?? .new,
                change: row["change"],
                burst: try (row["burst"] as String?).map { try decoder.decode(Alert.Burst.self, from: Data($0.utf8)) }
            )
        }
    }
}

extension StoreError {
    /// Wraps a GRDB or SQLite error, recognising a full disk.
    init(path: String, operation: String, error: any Error) {
        if let error = error as? StoreError {
            self = error
            return
        }
        var diskFull = false
        if let dbError = error as? DatabaseError {
            // ENOSPC and EFBIG (a file size limit) surface as SQLITE_FULL or as an I/O error on write.
            let writeErrors: [ResultCode] = [
                .SQLITE_IOERR_WRITE, .SQLITE_IOERR_FSYNC, .SQLITE_IOERR_TRUNCATE, .SQLITE_IOERR_SHMSIZE,
            ]
            diskFull = dbError.resultCode == .SQLITE_FULL || writeErrors.contains(dbError.extendedResultCode)
        }
        self.init(path: path, operation: operation, message: "\(error)", isDiskFull: diskFull)
    }
}
