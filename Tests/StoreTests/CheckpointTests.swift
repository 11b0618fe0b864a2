import Analysis
import Foundation
import Store
import Testing

/// The write-ahead log is copied into the database file beside the writer, and never grows without bound.
@Suite(.timeLimit(.minutes(1)))
struct CheckpointTests {
    let path: String
    let store: FeedStore

    init() throws {
        let folder = try FileManager.default.url(
            for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: "/tmp"),
            create: true)
        path = folder.appendingPathComponent("feedwatch.sqlite").path
        store = try FeedStore(path: path)
    }

    /// Commits `count` batches of `size` items, each with an 18 KB title: about 90 log pages per 20 items.
    func commitBatches(_ count: Int, of size: Int = 20) async throws {
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
        // One transaction of about 1,600 pages (6.5 MB): past the mark for a background pass, below the writer's
        // own, so only a background pass copies them (and no later write can start the log over).
        try await commitBatches(1, of: 400)
        let deadline = Date().addingTimeInterval(20)
        while size(path) < 5_000_000 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(size(path) >= 5_000_000, "the log's pages were copied into the database file")
    }

    @Test func theLogStaysBoundedAndNothingIsLost() async throws {
        // About 13,500 pages (55 MB), committed as fast as the writer goes. The writer's own checkpoint from
        // 4,000 pages (16 MB) bounds the log; a background pass holding the checkpoint lock may delay it a
        // few commits.
        try await commitBatches(150)
        #expect(size(path + "-wal") < 40_000_000, "the log started over instead of growing with every commit")
        let reopened = try FeedStore(path: path)
        #expect(try await reopened.counts().items == 150 * 20)
    }
}
