import Analysis
import Foundation
import GRDB
import Store
import Testing

/// The write-ahead log is copied into the database file beside the writer, and never grows without bound.
@Suite(.timeLimit(.minutes(1)))
struct CheckpointTests {
    let path: String
    let store: FeedStore

    init() throws {
        path = try Self.newPath()
        store = try FeedStore(path: path)
    }

    /// A path for a database file in a new folder of its own.
    static func newPath() throws -> String {
        let folder = try FileManager.default.url(
            for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: "/tmp"),
            create: true)
        return folder.appendingPathComponent("feedwatch.sqlite").path
    }

    /// The page size written in the header of the database file at `path`.
    static func pageSize(of path: String) throws -> Int? {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") }
    }

    /// Commits `count` batches of `size` items, each with an 18 KB title: about 370 KB of log per 20 items.
    func commitBatches(_ count: Int, of size: Int = 20) async throws {
        try await Self.commitBatches(count, of: size, to: store)
    }

    static func commitBatches(_ count: Int, of size: Int = 20, to store: FeedStore) async throws {
        let feed = try #require(try await store.registerFeeds([("https://big.example/rss", "big")]).first)
        for batch in 0..<count {
            let items = (0..<size).map { index -> ProcessedItem in
                var item = Batches.item("\(batch)-\(index)", topics: [])
                item.title = String(repeating: "Long headline \(batch) \(index). ", count: 700)
                return item
            }
            _ = try await store.commit(FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(), items: items))
        }
    }

    func size(_ file: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int) ?? 0
    }

    @Test func pagesReachTheDatabaseFileWithoutTheWriterCopyingThem() async throws {
        // One transaction of 6.5 MB: past the 4 MB mark for a background pass, below the writer's 16 MB, so
        // only a background pass copies it (and no later write can start the log over).
        try await commitBatches(1, of: 400)
        let deadline = Date().addingTimeInterval(20)
        while size(path) < 5_000_000 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(size(path) >= 5_000_000, "the log's pages were copied into the database file")
    }

    @Test func theLogStaysBoundedAndNothingIsLost() async throws {
        // About 55 MB, committed as fast as the writer goes. The writer's own checkpoint from 16 MB bounds the
        // log (a mark counted in pages of 16 KB would let it reach 64 MB); a background pass holding the
        // checkpoint lock may delay it a few commits.
        try await commitBatches(150)
        #expect(size(path + "-wal") < 40_000_000, "the log started over instead of growing with every commit")
        let reopened = try FeedStore(path: path)
        #expect(try await reopened.counts().items == 150 * 20)
    }

    @Test func aNewFileHasPagesOf16KB() throws {
        #expect(try Self.pageSize(of: path) == 16_384)
    }

    @Test func aFileWithSmallerPagesKeepsThemAndItsLogStaysBounded() async throws {
        // A file as releases before 16 KB pages made it: SQLite's default 4 KB pages, in WAL mode.
        let path = try Self.newPath()
        try await DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE made_before (x)")
        }
        let store = try FeedStore(path: path)
        // The marks are in bytes: about 55 MB is 13,500 pages of 4 KB, and the log is still bounded at 16 MB.
        try await Self.commitBatches(150, to: store)
        #expect(size(path + "-wal") < 40_000_000, "the log started over instead of growing with every commit")
        #expect(try Self.pageSize(of: path) == 4_096)
        #expect(try await store.counts().items == 150 * 20)
    }
}
