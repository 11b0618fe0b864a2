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
