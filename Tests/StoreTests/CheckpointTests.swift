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

    /// Commits `count` batches of 20 items, each with an 18 KB title: about 90 log pages per batch.
    func commitBatches(_ count: Int, from first: Int = 0) async throws {
        let feed = try #require(try await store.registerFeeds([("https://big.example/rss", "big")]).first)
        for batch in first..<(first + count) {
            let items = (0..<20).map { index -> ProcessedItem in
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
        // About 3,100 pages (12.5 MB): past the mark for a background pass, below the writer's own, so only
        // the background passes copy pages. When the log starts over, the pages after it stay in the log until
        // it reaches the mark again: up to 1,000 pages and a batch.
        try await commitBatches(36)
        let deadline = Date().addingTimeInterval(20)
        while size(path) < 8_000_000 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(size(path) >= 8_000_000, "the log's pages were copied into the database file")
    }

    @Test func theLogStaysBoundedAndNothingIsLost() async throws {
        // About 9,000 pages (36 MB), committed as fast as the writer goes.
        try await commitBatches(90)
        #expect(size(path + "-wal") < 24_000_000, "the log started over instead of growing with every commit")
        let reopened = try FeedStore(path: path)
        #expect(try await reopened.counts().items == 90 * 20)
    }
}
