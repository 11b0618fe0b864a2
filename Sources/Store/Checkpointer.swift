import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log into the database file on a thread and a connection of its own.
///
/// SQLite checkpoints in the committing thread: once the log passes 1,000 pages, the commit that crossed the
/// mark copies them all into the database file before it returns. In a busy cycle that copy was a quarter of
/// the commit time of the writer, which every feed waits for. Here the writer's log hook asks this thread for
/// a passive checkpoint instead (it copies what it can without waiting for the writer or readers), and the
/// writer checkpoints itself only when the log reaches four times the mark, by which time the background
/// passes have usually copied all but the last commit's pages, so the log can start over.
final class Checkpointer: @unchecked Sendable {
    // Unchecked: `connection` is only touched on `queue`, and the marks only on the writer's connection (set
    // before its first commit, read in its commits).

    /// Log bytes from which a background pass is asked for: SQLite's own automatic checkpoint mark, 1,000
    /// pages of 4 KB.
    static let backgroundBytes = 4_096_000
    /// Log bytes from which the writer checkpoints in its commit, as SQLite would.
    static let writerBytes = 4 * backgroundBytes

    /// The marks in pages of the database's own size (16 KB for a new file, 4 KB for one made before).
    private var backgroundMark = Int32.max
    private var writerMark = Int32.max

    private let path: String
    private let queue = DispatchQueue(label: "feedwatch.checkpoint", qos: .utility)
    /// Whether a pass is queued and has not started yet.
    private let pending = Atomic<Bool>(false)
    private var connection: OpaquePointer?

    /// A checkpointer for the database file at `path` (its connection opens on the first pass).
    init(path: String) {
        self.path = path
    }

    deinit {
        sqlite3_close_v2(connection)
    }

    /// Makes the writer connection `db` report its commits to this checkpointer instead of checkpointing at
    /// 1,000 pages itself; call it after setting the page size of a new file. The hook holds no reference:
    /// the checkpointer must outlive the connection (the store's `prepareDatabase` closure, which GRDB keeps
    /// with the connection's configuration, holds it).
    func hook(_ db: Database) throws {
        let pageSize = max(512, try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096)
        backgroundMark = Int32(Self.backgroundBytes / pageSize)
        writerMark = Int32(Self.writerBytes / pageSize)
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, { context, connection, name, pages in
            guard let context else { return SQLITE_OK }
            Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue()
                .logGrew(to: pages, connection: connection, name: name)
            return SQLITE_OK
        }, context)
    }

    /// Called by SQLite on the writer's thread after each commit, with the pages now in the log.
    private func logGrew(to pages: Int32, connection writer: OpaquePointer?, name: UnsafePointer<CChar>?) {
        if pages >= writerMark {
            // What SQLite's own hook does; errors (a reader in the way) leave it to the next commit.
            sqlite3_wal_checkpoint_v2(writer, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        } else if pages >= backgroundMark {
            if !pending.exchange(true, ordering: .acquiringAndReleasing) { queue.async { self.pass() } }
        }
    }

    /// One passive checkpoint on the checkpointer's own connection. A failure is left to the next pass, or to
    /// the writer at its mark.
    private func pass() {
        pending.store(false, ordering: .releasing)
        if connection == nil {
            var opened: OpaquePointer?
            guard sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
                sqlite3_close_v2(opened)
                return
            }
            // A connection learns that the file is in WAL mode on its first read; until then it has no log to copy.
            guard sqlite3_exec(opened, "SELECT count(*) FROM sqlite_schema", nil, nil, nil) == SQLITE_OK else {
                sqlite3_close_v2(opened)
                return
            }
            connection = opened
        }
        sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }
}
