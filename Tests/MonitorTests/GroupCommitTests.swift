import AlertLog
import Foundation
import GRDB
@testable import Monitor
@testable import Store
import Synchronization
import TestSupport
import Testing

/// Group commit and the alert log under concurrency: batches that arrive together share a transaction, a bad
/// batch fails alone, and every alert reaches the log once, in id order.
@Suite(.timeLimit(.minutes(1)))
struct GroupCommitTests {
    @Test func concurrentCommitsAllLandAndABadBatchFailsAlone() async throws {
        let folder = try TestPaths.makeTemporaryFolder("groupcommit")
        let store = try FeedStore(path: folder.appendingPathComponent("feedwatch.sqlite").path)
        let log = try AlertLogWriter(path: folder.appendingPathComponent("alerts.jsonl").path)
        let feeds = try await store.registerFeeds((0..<40).map { ("https://example.org/\($0)", "feed\($0)") })
        let committer = GroupCommitter(store: store, publisher: AlertPublisher(store: store, log: log))
        let now = Date()
        func batch(_ feedID: Int64) -> FeedBatch {
            FeedBatch(
                feedID: feedID,
                fetch: FetchRecord(
                    fetchedAt: now, status: 304, error: nil, etag: "\"e\(feedID)\"", lastModified: nil,
                    consecutiveFailures: 0, nextDueAt: now.addingTimeInterval(900), bytes: 0, duration: 0.01),
                items: [])
        }
        let missingFeed: Int64 = 999_999

        let outcomes = await withTaskGroup(of: (Int64, Bool).self) { group in
            for id in feeds.map(\.feedID) + [missingFeed] {
                group.addTask {
                    do {
                        _ = try await committer.commit(batch(id))
                        return (id, true)
                    } catch {
                        return (id, false)
                    }
                }
            }
            return await group.reduce(into: [Int64: Bool]()) { $0[$1.0] = $1.1 }
        }

        #expect(outcomes[missingFeed] == false)
        #expect(feeds.allSatisfy { outcomes[$0.feedID] == true }, "the bad batch did not take its group down")
        let states = try await store.feedStates()
        #expect(states.allSatisfy { $0.lastStatus == 304 && $0.etag == "\"e\($0.feedID)\"" })
    }

    @Test func alertsFromManyFeedsPolledTogetherReachTheLogOnceInIdOrder() async throws {
        let server = try TestServer { request in
            let feed = request.path.dropFirst()
            let items = (1...3).map { index in
                """
                <item><title>Withdrawal timetable \(feed)-\(index)</title><guid>\(feed)-\(index)</guid>
                <description>US troops will withdraw from Iraq within three years, the defence ministry said on \
                Sunday. The withdrawal of the remaining forces will begin next month. \(FillerText.sentence(index * 100 + Int(feed.dropFirst())!))</description></item>
                """
            }
            let body = "<rss version=\"2.0\"><channel><title>\(feed)</title>\(items.joined())</channel></rss>"
            return .respond(status: 200, headers: MonitorHarness.rssType, body: Array(body.utf8))
        }
        defer { server.stop() }
        let feeds = (0..<12).map { MonitorHarness.Feed(url: server.url("/f\($0)"), name: "f\($0)") }
        let harness = try MonitorHarness("alertorder", feeds: feeds)

        let reports = try await harness.cycle()

        let stored = try await harness.store.alerts(after: 0)
        let lines = try String(contentsOfFile: harness.log.path, encoding: .utf8).split(separator: "\n")
        let logged = try lines.map { line -> Int64 in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return Int64(object?["id"] as? Int ?? -1)
        }
        #expect(reports.reduce(0) { $0 + $1.alerts } == stored.count)
        #expect(stored.count >= 12, "every feed's withdrawal items alert")
        #expect(logged == Array(1...Int64(stored.count)), "each alert once, in id order")
    }

    @Test func aFeedWaitingForItsCommitLetsTheNextFeedStartAndTheWaitingAreBounded() async throws {
        let server = try TestServer { _ in
            .respond(status: 200, headers: MonitorHarness.rssType, body: MonitorHarness.rss(items: ["a"]))
        }
        defer { server.stop() }
        let feeds = (1...4).map { MonitorHarness.Feed(url: server.url("/f\($0)"), name: "f\($0)") }
        let harness = try MonitorHarness("handoff", feeds: feeds, poll: "{interval: 15m, concurrency: 2, timeout: 5s}")
        let monitor = try harness.monitor()
        let states = try await monitor.registerFeeds()
        // Another connection takes the write lock: no commit can finish until it lets go (within the store's
        // 10 s busy timeout).
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: harness.store.path, configuration: configuration)
        try await other.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        let polling = Task { try await monitor.poll(states) }

        // Concurrency 2: two feeds fetch, parse and analyse at once, and three are in the pipeline in all. The
        // first two hand their batches to the store, where they wait; the first hand-off lets a third feed
        // start. Then the pipeline is full, so the fourth feed waits too.
        let deadline = ContinuousClock.now + .seconds(6)
        while server.requests.count < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(300))
        let fetchedWhileLocked = server.requests.count
        try await other.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        let reports = try await polling.value

        #expect(fetchedWhileLocked == 3, "feeds fetched while the first batches waited for the store")
        #expect(reports.count == 4)
        #expect(reports.allSatisfy { $0.error == nil && $0.newItems == 1 }, "\(reports.compactMap(\.error))")
        #expect(try await harness.store.counts().items == 4)
    }

    /// Counts the transactions that change feed rows (every batch updates its feed's row).
    final class CommitCounter: TransactionObserver, Sendable {
        private let count = Mutex(0)
        var commits: Int { count.withLock { $0 } }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { eventKind.tableName == "feeds" }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { count.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    /// A committer over a new store with `feeds` registered, and a counter of its transactions.
    static func committer(
        _ label: String, feeds: Int, grouping: GroupCommitter.Grouping
    ) async throws -> (GroupCommitter, [Int64], CommitCounter) {
        let folder = try TestPaths.makeTemporaryFolder(label)
        let store = try FeedStore(path: folder.appendingPathComponent("feedwatch.sqlite").path)
        let log = try AlertLogWriter(path: folder.appendingPathComponent("alerts.jsonl").path)
        let ids = try await store.registerFeeds((0..<feeds).map { ("https://example.org/\($0)", "feed\($0)") }).map(\.feedID)
        let counter = CommitCounter()
        store.pool.add(transactionObserver: counter, extent: .observerLifetime)
        let committer = GroupCommitter(
            store: store, publisher: AlertPublisher(store: store, log: log), grouping: grouping)
        return (committer, ids, counter)
    }

    static func unchanged(_ feedID: Int64) -> FeedBatch {
        let now = Date()
        return FeedBatch(
            feedID: feedID,
            fetch: FetchRecord(
                fetchedAt: now, status: 304, error: nil, etag: nil, lastModified: nil, consecutiveFailures: 0,
                nextDueAt: now.addingTimeInterval(900), bytes: 0, duration: 0.01),
            items: [])
    }

    @Test func batchesArrivingWhileCommitsFollowEachOtherWaitForAFullGroup() async throws {
        let (committer, feeds, counter) = try await Self.committer(
            "fullgroup", feeds: 5, grouping: .init(fullGroup: 4, linger: .seconds(20), busy: .seconds(30)))
        _ = try await committer.commit(Self.unchanged(feeds[0]))
        let before = counter.commits
        // Four batches 50 ms apart: committed as they come, each would be a transaction of its own.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...4 {
                group.addTask {
                    try await Task.sleep(for: .milliseconds(50 * (index - 1)))
                    _ = try await committer.commit(Self.unchanged(feeds[index]))
                }
            }
            try await group.waitForAll()
        }
        #expect(counter.commits - before == 1, "the four batches shared one transaction")
    }

    @Test func aSmallGroupIsCommittedWhenTheWaitEnds() async throws {
        let (committer, feeds, counter) = try await Self.committer(
            "linger", feeds: 3, grouping: .init(fullGroup: 4, linger: .milliseconds(300), busy: .seconds(30)))
        _ = try await committer.commit(Self.unchanged(feeds[0]))
        let before = counter.commits
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...2 {
                group.addTask { _ = try await committer.commit(Self.unchanged(feeds[index])) }
            }
            try await group.waitForAll()
        }
        #expect(ContinuousClock.now - started < .seconds(20), "two batches of a group of four did not wait for ever")
        #expect(counter.commits - before == 1)
    }

    @Test func aLoneBatchInAQuietStoreIsCommittedAtOnce() async throws {
        let (committer, feeds, _) = try await Self.committer(
            "quiet", feeds: 2, grouping: .init(fullGroup: 4, linger: .seconds(20), busy: .milliseconds(50)))
        _ = try await committer.commit(Self.unchanged(feeds[0]))
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        _ = try await committer.commit(Self.unchanged(feeds[1]))
        #expect(ContinuousClock.now - started < .seconds(10), "the store was quiet: no wait for more batches")
    }
}
