public import Foundation
import GRDB

extension FeedStore {
    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound database, else the problems found.
    public func integrityCheck() async throws(StoreError) -> [String] {
        do {
            return try await pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        } catch {
            throw StoreError(path: path, operation: "integrity check", error: error)
        }
    }
}

extension FeedStore {
    /// How many alerts were committed at or after `date`.
    public func alertCount(since date: Date) async throws(StoreError) -> Int {
        do {
            return try await pool.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM alerts WHERE created_at >= ?", arguments: [StoredDate.value(date)])
                    ?? 0
            }
        } catch {
            throw StoreError(path: path, operation: "count alerts", error: error)
        }
    }

    /// Makes the next alert id greater than `id`, the last id in the alert log.
    ///
    /// The log never holds an alert the store lacks, unless the store lost a commit it had reported
    /// (a power loss with the disk lying about `fsync`). Then ids would be handed out again and the
    /// log would skip them as written; moving the sequence past the log keeps every new alert logged.
    /// - Returns: true when the store was behind the log and the sequence moved.
    @discardableResult
    public func ensureAlertIDsFollow(_ id: Int64) async throws(StoreError) -> Bool {
        do {
            return try await pool.write { db in
                // The sequence, not the last row: retention may have pruned every alert the log holds.
                let last = max(
                    try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM alerts") ?? 0,
                    try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'alerts'") ?? 0)
                guard id > last else { return false }
                let hasRow = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'alerts')") ?? false
                if hasRow {
                    try db.execute(
                        sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'alerts' AND seq < ?", arguments: [id, id])
                } else {
                    try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('alerts', ?)", arguments: [id])
                }
                return true
            }
        } catch {
            throw StoreError(path: path, operation: "align alert ids with the log", error: error)
        }
    }
}
