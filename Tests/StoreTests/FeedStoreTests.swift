import Analysis
import Foundation
import Store
import Testing

/// Builds batches with one alerting topic per item, the way the monitor does.
enum Batches {
    static func item(_ key: String, topics: [String] = ["troop-withdrawal"]) -> ProcessedItem {
        let matches = topics.map { topic in
            TopicMatch(
                id: topic, score: 2, severity: "high", modality: .intent,
                evidence: [Evidence(text: "The troops will leave.", start: 0, end: 22, terms: ["leave"], field: "text")])
        }
        let analysis = Analysis(language: "en", topics: matches, entities: [], quantities: [])
        return ProcessedItem(
            key: key, keySource: "guid", title: "Title \(key)", link: "https://example.org/\(key)",
            published: Date(timeIntervalSince1970: 1_790_000_000), analysis: analysis, alertTopics: matches)
    }

    static func fetch(at date: Date = Date()) -> FetchRecord {
        FetchRecord(
            fetchedAt: date, status: 200, error: nil, etag: "\"v1\"", lastModified: nil, consecutiveFailures: 0,
            nextDueAt: date.addingTimeInterval(900), bytes: 1234, duration: 0.1)
    }
}

@Suite struct FeedStoreTests {
    let folder: URL
    let store: FeedStore

    init() throws {
        folder = try FileManager.default.url(
            for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: "/tmp"),
            create: true)
        store = try FeedStore(path: folder.appendingPathComponent("db/feedwatch.sqlite").path)
    }

    @Test func committedItemsAreSeenAndAlertIDsIncreaseByOne() async throws {
        let feed = try #require(try await store.registerFeeds([("https://a.example/rss", "a")]).first)
        let alerts = try await store.commit(
            FeedBatch(
                feedID: feed.feedID, fetch: Batches.fetch(),
                items: [Batches.item("1", topics: ["troop-withdrawal", "militia-attack"]), Batches.item("2")]))
        #expect(alerts.map(\.id) == [1, 2, 3])
        #expect(alerts.map(\.topic) == ["troop-withdrawal", "militia-attack", "troop-withdrawal"])
        #expect(alerts[0].feed == Alert.Feed(name: "a", url: "https://a.example/rss"))

        let unseen = try await store.unseenKeys(feedID: feed.feedID, among: ["1", "2", "3"])
        #expect(unseen == ["3"])

        let state = try #require(try await store.feedStates().first)
        #expect(state.etag == "\"v1\"")
        #expect(state.lastStatus == 200)
        #expect(state.consecutiveFailures == 0)
    }

    /// An item's columns are encoded when it is made; a field changed afterwards is what gets stored.
    @Test func fieldsChangedAfterTheItemIsMadeAreTheOnesStored() async throws {
        let feed = try #require(try await store.registerFeeds([("https://a.example/rss", "a")]).first)
        var item = Batches.item("1")
        item.published = Date(timeIntervalSince1970: 1_800_000_000.25)
        item.title = "Another title"
        let changed = Evidence(text: "The troops are leaving now.", start: 0, end: 27, terms: ["leaving"], field: "text")
        item.alertTopics = [TopicMatch(id: "protest", score: 1, severity: "low", modality: .reportedFact, evidence: [changed])]
        item.analysis.language = "ar"
        let alerts = try await store.commit(FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(), items: [item]))
        #expect(alerts.map(\.topic) == ["protest"])
        let stored = try #require(try await store.alerts(after: 0).first)
        #expect(stored.evidence == [changed])
        #expect(stored.language == "ar")
        #expect(stored.item.title == "Another title")
        #expect(stored.item.published == Date(timeIntervalSince1970: 1_800_000_000.25))
        let story = try #require(try await store.stories().first)
        #expect(story.sources.first?.title == "Another title")
        #expect(story.sources.first?.language == "ar")
    }

    @Test func committingTheSameItemsTwiceAddsNothing() async throws {
        let feed = try #require(try await store.registerFeeds([("https://a.example/rss", "a")]).first)
        let batch = FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(), items: [Batches.item("1")])
        _ = try await store.commit(batch)
        let again = try await store.commit(batch)
        #expect(again.isEmpty)
        let counts = try await store.counts()
        #expect(counts.items == 1)
        #expect(counts.analyses == 1)
        #expect(counts.alerts == 1)
    }

    @Test func alertsReadBackEqualWhatWasCommitted() async throws {
        let feed = try #require(try await store.registerFeeds([("https://a.example/rss", "a")]).first)
        let committed = try await store.commit(
            FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(), items: [Batches.item("1"), Batches.item("2")]))
        let after = try await store.alerts(after: 0)
        #expect(after.map(\.id) == committed.map(\.id))
        #expect(after.first?.evidence == committed.first?.evidence)
        #expect(after.first?.item.guid == "1")
        #expect(try await store.alerts(after: 1).map(\.id) == [2])
        #expect(try await store.lastAlertID() == 2)
        #expect(try await store.alerts(matching: AlertQuery(topic: "militia-attack")).isEmpty)
        #expect(try await store.alerts(matching: AlertQuery(since: Date().addingTimeInterval(3600))).isEmpty)
    }

    @Test func failedFetchKeepsTheItemsAndCountsFailures() async throws {
        let feed = try #require(try await store.registerFeeds([("https://a.example/rss", "a")]).first)
        _ = try await store.commit(FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(), items: [Batches.item("1")]))
        var failure = Batches.fetch()
        failure.status = 503
        failure.error = "HTTP 503"
        failure.consecutiveFailures = 1
        _ = try await store.commit(FeedBatch(feedID: feed.feedID, fetch: failure, items: []))
        let summary = try #require(try await store.feedSummaries().first)
        #expect(summary.items == 1)
        #expect(summary.alerts == 1)
        #expect(summary.state.lastError == "HTTP 503")
        #expect(summary.state.consecutiveFailures == 1)
    }

    @Test func dataSurvivesReopening() async throws {
        let path = store.path
        let feed = try #require(try await store.registerFeeds([("https://a.example/rss", "a")]).first)
        _ = try await store.commit(FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(), items: [Batches.item("1")]))
        let reopened = try FeedStore(path: path)
        #expect(try await reopened.counts() == StoreCounts(feeds: 1, items: 1, analyses: 1, alerts: 1))
        let unseen = try await reopened.unseenKeys(feedID: feed.feedID, among: ["1"])
        #expect(unseen.isEmpty)
    }

    @Test func unopenableDatabaseNamesTheFile() throws {
        let blocker = folder.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("feedwatch.sqlite").path
        #expect {
            try FeedStore(path: path)
        } throws: { error in
            (error as? StoreError)?.path == path
        }
    }
}

@Suite struct AlertQueryTests {
    @Test func filtersByFeedSeverityTopicAndID() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("query-\(UUID().uuidString)")
        let store = try FeedStore(path: folder.appendingPathComponent("db.sqlite").path)
        let feeds = try await store.registerFeeds([("https://a.example/rss", "a"), ("https://b.example/rss", "b")])
        var low = Batches.item("low", topics: ["protest"])
        low.alertTopics = low.alertTopics.map { var topic = $0; topic.severity = "low"; return topic }
        _ = try await store.commit(FeedBatch(feedID: feeds[0].feedID, fetch: Batches.fetch(), items: [low]))
        _ = try await store.commit(
            FeedBatch(feedID: feeds[1].feedID, fetch: Batches.fetch(), items: [Batches.item("high")]))

        #expect(try await store.alerts(matching: AlertQuery(feed: "b")).map(\.item.guid) == ["high"])
        #expect(try await store.alerts(matching: AlertQuery(feed: "https://a.example/rss")).map(\.item.guid) == ["low"])
        #expect(try await store.alerts(matching: AlertQuery(minimumSeverity: "medium")).map(\.item.guid) == ["high"])
        #expect(try await store.alerts(matching: AlertQuery(minimumSeverity: "low")).count == 2)
        #expect(try await store.alerts(matching: AlertQuery(topic: "protest")).map(\.id) == [1])
        #expect(try await store.alerts(matching: AlertQuery(afterID: 1)).map(\.id) == [2])
        #expect(try await store.alerts(matching: AlertQuery(), limit: 1).map(\.id) == [2], "the newest within the limit")
    }
}

@Suite struct AlertSequenceTests {
    @Test func alertIDsMovePastALogThatIsAhead() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("seq-\(UUID().uuidString)")
        let store = try FeedStore(path: folder.appendingPathComponent("db.sqlite").path)
        let feed = try #require(try await store.registerFeeds([("https://a.example/rss", "a")]).first)
        #expect(try await store.ensureAlertIDsFollow(0) == false)
        #expect(try await store.ensureAlertIDsFollow(7) == true, "an empty store behind a log of 7 alerts")
        let first = try await store.commit(FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(), items: [Batches.item("1")]))
        #expect(first.map(\.id) == [8])
        #expect(try await store.ensureAlertIDsFollow(8) == false)
        #expect(try await store.ensureAlertIDsFollow(20) == true)
        let next = try await store.commit(FeedBatch(feedID: feed.feedID, fetch: Batches.fetch(), items: [Batches.item("2")]))
        #expect(next.map(\.id) == [21])
        #expect(try await store.alertCount(since: Date().addingTimeInterval(-60)) == 2)
    }
}
