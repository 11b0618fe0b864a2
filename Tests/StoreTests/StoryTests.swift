import Analysis
import Foundation
import GRDB
import Store
import Testing

/// Story clustering, re-alerts and bursts, on analyses built by hand so each rule is tested alone.
@Suite struct StoryTests {
    let store: FeedStore
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    init() throws {
        let folder = try FileManager.default.url(
            for: .itemReplacementDirectory, in: .userDomainMask, appropriateFor: URL(fileURLWithPath: "/tmp"),
            create: true)
        store = try FeedStore(path: folder.appendingPathComponent("feedwatch.sqlite").path)
    }

    /// An attack report: `place` is named in its one evidence sentence; `killed` adds a casualty figure.
    static func report(
        _ key: String, language: String = "en", simhash: UInt64, place: String = "erbil", killed: Double? = nil,
        rockets: Double = 3, modality: Modality = .reportedFact, topic: String = "rocket-drone-attack"
    ) -> ProcessedItem {
        let sentence = "Rockets struck the \(place) base, killing several people."
        let evidence = Evidence(text: sentence, start: 0, end: sentence.unicodeScalars.count, terms: ["rockets"], field: "text")
        let match = TopicMatch(id: topic, score: 2, severity: "high", modality: modality, evidence: [evidence])
        let entities = [
            EntityMatch(
                id: place, type: "place", name: place.capitalized,
                mentions: [EntityMention(text: place, start: 19, end: 19 + place.count, field: "text", confidence: "high")]),
            EntityMatch(
                id: "coalition", type: "organization", name: "Coalition",
                mentions: [EntityMention(text: "coalition", start: 40, end: 49, field: "text", confidence: "high")]),
        ]
        var quantities = [Quantity(value: rockets, unit: "rockets", text: "\(rockets) rockets", start: 0, end: 9, field: "text", approximate: false)]
        if let killed {
            // Inside the evidence sentence: casualty figures count only there.
            quantities.append(Quantity(value: killed, unit: "killed", text: "killing several", start: 30, end: 45, field: "text", approximate: false))
        }
        let fingerprint = Fingerprint(
            simhash: simhash, entities: entities.map(\.id),
            quantities: quantities.map { Fingerprint.QuantityKey(value: $0.value, unit: $0.unit) })
        let analysis = Analysis(
            language: language, topics: [match], entities: entities, quantities: quantities, fingerprint: fingerprint)
        return ProcessedItem(
            key: key, keySource: "guid", title: "Report \(key)", link: nil, published: nil, analysis: analysis,
            alertTopics: [match])
    }

    func commit(_ items: [ProcessedItem], feed: Int = 0, at offset: TimeInterval = 0) async throws -> [Alert] {
        let registered = try await store.registerFeeds((0..<6).map { ("https://f\($0).example/rss", "f\($0)") })
        return try await store.commit(
            FeedBatch(feedID: registered[feed].feedID, fetch: Batches.fetch(at: start + offset), items: items))
    }

    @Test func copiesJoinOneStoryAndRaiseItsSourceCount() async throws {
        let first = try await commit([Self.report("a", simhash: 0xF0F0_F0F0_1234_5678)], feed: 0)
        // Four bits apart: a copy with a different dateline.
        let copy = try await commit([Self.report("b", simhash: 0xF0F0_F0F0_1234_567F)], feed: 1, at: 600)
        // Arabic, unrelated text, same place, topic and figures.
        let arabic = try await commit([Self.report("c", language: "ar", simhash: 0x0F0F_0F0F_AAAA_0000)], feed: 2, at: 1200)
        #expect(first.count == 1)
        #expect(copy.isEmpty && arabic.isEmpty, "copies raise no alert")
        // The alert row keeps the count it was raised with, as its log line does (also when the log catches
        // up from the store); `feedwatch alerts` shows the story's count now.
        #expect(try await store.alerts(after: 0).map(\.sources) == [1])
        #expect(try await store.alerts(matching: AlertQuery()).map(\.sources) == [3])
        let queue = try DatabaseQueue(path: store.path)
        #expect(try await queue.read { try Int.fetchAll($0, sql: "SELECT sources FROM alerts") } == [1])
        let stories = try await store.stories()
        #expect(stories.count == 1)
        #expect(stories.first?.sources.map(\.matchedBy) == ["first", "text", "entities"])
        #expect(stories.first?.languages == ["ar", "en"])
    }

    /// A report naming `names` (groups, no figures) under a two-word title, its text `simhash`.
    static func named(_ key: String, _ names: [String], simhash: UInt64, title: String? = nil) -> ProcessedItem {
        let sentence = "An armed group attacked a checkpoint."
        let evidence = Evidence(text: sentence, start: 0, end: sentence.unicodeScalars.count, terms: ["attacked"], field: "text")
        let match = TopicMatch(id: "armed-attack", score: 2, severity: "high", modality: .reportedFact, evidence: [evidence])
        let entities = names.map { name in
            EntityMatch(
                id: name, type: "group", name: name.capitalized,
                mentions: [EntityMention(text: name, start: 0, end: name.count, field: "text", confidence: "high")])
        }
        let analysis = Analysis(
            language: "en", topics: [match], entities: entities, quantities: [],
            fingerprint: Fingerprint(simhash: simhash, entities: names, quantities: []))
        return ProcessedItem(
            key: key, keySource: "guid", title: title ?? "Report \(key)", link: nil, published: nil, analysis: analysis,
            alertTopics: [match])
    }

    /// Well over the 128 newest stories a name's list keeps: the first story drops out of the lists of its
    /// commonest names, and a later report of it must still find it through its rarest.
    @Test func aStoryCrowdedOutOfItsCommonNamesListsIsStillFound() async throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func nextHash() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let first = try await commit([Self.named("first", ["leader", "hamas", "gaza"], simhash: nextHash())])
        // Each shares two of the first story's three names and brings two of its own: another story.
        for index in 0..<140 {
            _ = try await commit(
                [Self.named("other\(index)", ["hamas", "gaza", "a\(index)", "b\(index)"], simhash: nextHash())],
                feed: 1 + index % 5, at: TimeInterval(index))
        }
        let later = try await commit([Self.named("later", ["leader", "hamas", "gaza"], simhash: nextHash())], feed: 2, at: 600)
        #expect(first.count == 1)
        #expect(later.isEmpty, "a later report of the first story raised \(later.map(\.kind))")
        let stories = try await store.stories(limit: 1_000)
        #expect(stories.count == 141)
        #expect(stories.first { $0.id == first.first?.story }?.sources.count == 2)
    }

    /// An identical headline finds its story even when every word pair of it is in the lists of newer stories.
    @Test func anIdenticalHeadlineFindsItsStoryPastCrowdedPairLists() async throws {
        let headline = "Gunmen attack checkpoint near Kirkuk oil field"
        let first = try await commit([Self.named("first", ["kirkuk"], simhash: 0x0123_4567_89AB_CDEF, title: headline)])
        // 80 headlines sharing all but the last word, each naming its own place: other stories, whose
        // titles fill the per-pair lists (64 stories each).
        for index in 0..<80 {
            let other = "Gunmen attack checkpoint near Kirkuk oil town\(index)"
            _ = try await commit(
                [Self.named("other\(index)", ["place\(index)"], simhash: UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15, title: other)],
                feed: 1 + index % 5, at: TimeInterval(index))
        }
        let copy = try await commit(
            [Self.named("copy", ["kirkuk"], simhash: 0xFEDC_BA98_7654_3210, title: headline)], feed: 3, at: 900)
        #expect(first.count == 1)
        #expect(copy.isEmpty, "the copy raised \(copy.map(\.kind))")
        let stories = try await store.stories(limit: 1_000)
        #expect(stories.first { $0.id == first.first?.story }?.sources.map(\.matchedBy) == ["first", "title"])
    }

    @Test func anotherEventAtTheSamePlaceWithOtherFiguresIsAnotherStory() async throws {
        _ = try await commit([Self.report("a", simhash: 0x1111_2222_3333_4444, rockets: 3)])
        let second = try await commit([Self.report("b", simhash: 0x9999_AAAA_BBBB_CCCC, rockets: 7)], feed: 1, at: 3600)
        let elsewhere = try await commit([Self.report("c", simhash: 0x5555_6666_7777_8888, place: "kirkuk")], feed: 2, at: 3700)
        #expect(second.map(\.kind) == [.new])
        #expect(elsewhere.map(\.kind) == [.new])
        #expect(try await store.stories().count == 3)
    }

    @Test func aStoryAlertsAgainOnlyWhenSomethingMaterialChanges() async throws {
        let hash: UInt64 = 0xABCD_EF01_2345_6789
        _ = try await commit([Self.report("a", simhash: hash, killed: 2, modality: .threat)])
        let same = try await commit([Self.report("b", simhash: hash ^ 0b11, killed: 2, modality: .threat)], feed: 1, at: 60)
        let moreDead = try await commit([Self.report("c", simhash: hash ^ 0b101, killed: 5, modality: .threat)], feed: 2, at: 120)
        let happened = try await commit([Self.report("d", simhash: hash ^ 0b1001, killed: 5)], feed: 3, at: 180)
        let denied = try await commit([Self.report("e", simhash: hash ^ 0b10001, killed: 5, modality: .refusal)], feed: 4, at: 240)
        let newPlace = try await commit(
            [Self.report("f", language: "ar", simhash: 0x1, place: "erbil", killed: 5)], feed: 5, at: 300)
        #expect(same.isEmpty)
        #expect(moreDead.map(\.kind) == [.update])
        #expect(moreDead.first?.change == "killed 2 → 5")
        #expect(happened.first?.change == "modality threat → reported_fact")
        #expect(denied.isEmpty, "a denial after the fact is not news the story waits on")
        #expect(newPlace.isEmpty)
        // All six reports are one story.
        #expect(try await store.stories().first?.sources.count == 6)
    }

    @Test func storiesCloseAfterTheWindow() async throws {
        let hash: UInt64 = 0x0123_4567_89AB_CDEF
        _ = try await commit([Self.report("a", simhash: hash)])
        let later = try await commit([Self.report("b", simhash: hash)], feed: 1, at: 73 * 3600)
        #expect(later.map(\.kind) == [.new], "72 hours later the same text is a new story")
    }

    /// Stories are filed while the items are written; a feed that lists an item twice (here in a group commit's
    /// second batch) must still join its story once.
    @Test func anItemListedTwiceJoinsItsStoryOnce() async throws {
        let feeds = try await store.registerFeeds((0..<3).map { ("https://f\($0).example/rss", "f\($0)") })
        let hash: UInt64 = 0x5A5A_1234_0F0F_9999
        let twice = Self.report("a", simhash: hash)
        let other = Self.report("b", simhash: ~hash, place: "kirkuk", rockets: 7)
        let results = try await store.commit([
            FeedBatch(feedID: feeds[0].feedID, fetch: Batches.fetch(at: start), items: [other]),
            FeedBatch(feedID: feeds[1].feedID, fetch: Batches.fetch(at: start), items: [twice, twice]),
        ])
        #expect(results.map { $0.map(\.kind) } == [[.new], [.new]])
        var stories = try await store.stories()
        #expect(stories.map { $0.sources.count } == [1, 1])
        // The index kept after that commit holds each item once: a copy now is the story's second source.
        stories = try await expectACopyIsTheSecondSource(simhash: hash ^ 3, feed: 2, at: 60)
        #expect(Set(results.joined().map(\.story)) == Set(stories.map(\.id)))
    }

    /// Commits a copy of an alerting report (another feed, `simhash` a few bits off) and expects it to join
    /// that report's story silently, as its second source, beside a story of one source. Returns the stories.
    func expectACopyIsTheSecondSource(simhash: UInt64, feed: Int, at offset: TimeInterval) async throws -> [StorySummary] {
        let copy = try await commit([Self.report("c", simhash: simhash)], feed: feed, at: offset)
        #expect(copy.isEmpty)
        let stories = try await store.stories()
        #expect(stories.map { $0.sources.count }.sorted() == [1, 2])
        return stories
    }

    /// An alerting item already stored (a batch committed again with one new item) makes the commit file its
    /// reports again from the tables: the new item starts its own story, the old one is not filed twice.
    @Test func aBatchWithAnItemAlreadyStoredFilesOnlyTheNewOne() async throws {
        let hash: UInt64 = 0x0F0F_5A5A_9999_1234
        let first = Self.report("a", simhash: hash)
        _ = try await commit([first])
        let again = try await commit([first, Self.report("b", simhash: ~hash, place: "kirkuk", rockets: 7)], at: 60)
        #expect(again.map(\.kind) == [.new])
        let stories = try await store.stories()
        #expect(stories.map { $0.sources.count } == [1, 1])
        _ = try await expectACopyIsTheSecondSource(simhash: hash ^ 3, feed: 1, at: 120)
    }

    /// New stories are numbered before their rows are written, as AUTOINCREMENT would: never reusing the id of
    /// a story deleted since (by `feedwatch prune`, another process).
    @Test func aNewStoryNeverTakesTheIdOfADeletedOne() async throws {
        _ = try await commit([Self.report("a", simhash: 0x1111_2222_3333_4444)])
        let second = try await commit([Self.report("b", simhash: 0xEEEE_DDDD_CCCC_BBBB, place: "kirkuk", rockets: 7)], at: 60)
        #expect(second.map(\.story) == [2])
        let queue = try DatabaseQueue(path: store.path)
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM alerts WHERE story = 2")
            try db.execute(sql: "DELETE FROM stories WHERE id = 2")
        }
        let third = try await commit([Self.report("c", simhash: 0x7777_0000_7777_0000, place: "mosul", rockets: 9)], at: 120)
        #expect(third.map(\.story) == [3])
        #expect(try await store.stories().map(\.id).sorted() == [1, 3])
    }

    @Test func theStoryIndexSurvivesReopeningTheStore() async throws {
        let hash: UInt64 = 0x0F1E_2D3C_4B5A_6978
        _ = try await commit([Self.report("a", simhash: hash)])
        let reopened = try FeedStore(path: store.path)
        let feedsNow = try await reopened.registerFeeds([("https://f1.example/rss", "f1")])
        let copy = try await reopened.commit(
            FeedBatch(feedID: feedsNow[0].feedID, fetch: Batches.fetch(at: start + 60), items: [Self.report("b", simhash: hash ^ 1)]))
        #expect(copy.isEmpty, "the copy joins the story committed before the restart")
    }

    @Test func aBurstNeedsARiseOverTheBaselineAndThreeSources() async throws {
        // A quiet day: one story every six hours.
        for hour in stride(from: 0, to: 30, by: 6) {
            _ = try await commit(
                [Self.report("quiet\(hour)", simhash: UInt64(hour + 1) &* 0x9E37_79B9_7F4A_7C15, place: "mosul")],
                feed: hour % 6, at: TimeInterval(hour) * 3600)
        }
        // Then within an hour, four distinct stories from four feeds.
        var raised: [Alert] = []
        let places = ["basra", "kirkuk", "najaf", "tikrit"]
        for (index, place) in places.enumerated() {
            raised += try await commit(
                [Self.report("busy\(index)", simhash: UInt64(index + 100) &* 0xC2B2_AE3D_27D4_EB4F, place: place, rockets: Double(10 + index))],
                feed: index, at: 31 * 3600 + TimeInterval(index) * 600)
        }
        let bursts = raised.filter { $0.kind == .burst }
        #expect(bursts.count == 1, "one burst, then the cooldown: \(raised.map(\.kind))")
        let burst = try #require(bursts.first?.burst)
        #expect(burst.stories == 3 && burst.sources == 3, "\(burst)")
        #expect(burst.ratio >= 3)
        let logged = try await store.alerts(matching: AlertQuery(topic: "rocket-drone-attack"))
        #expect(logged.contains { $0.kind == .burst && $0.burst == burst })
        // Its row holds the arrays of the alert it points at, read back as they were raised.
        let stored = try #require(logged.first { $0.kind == .burst })
        let raisedBurst = try #require(bursts.first)
        #expect(stored.evidence == raisedBurst.evidence && !stored.evidence.isEmpty)
        #expect(stored.entities == raisedBurst.entities && stored.quantities == raisedBurst.quantities)
    }

    @Test func aSecondAttackTwoDaysLaterIsAnotherStoryEvenWithTheSameFigures() async throws {
        _ = try await commit([Self.report("monday", simhash: 0x1357_9BDF_2468_ACE0, rockets: 2)])
        var wednesday = Self.report("wednesday", simhash: 0xFEDC_BA98_7654_3210, rockets: 2)
        wednesday.published = start.addingTimeInterval(48 * 3600)
        let alerts = try await commit([wednesday], feed: 1, at: 48 * 3600)
        #expect(alerts.map(\.kind) == [.new], "a new event, not a copy")
    }

    @Test func aRisingTollInAnotherLanguageIsAnUpdateOfTheStory() async throws {
        _ = try await commit([Self.report("first", simhash: 0x0F0F_0F0F_0F0F_0F0F, killed: 3)])
        let arabic = try await commit(
            [Self.report("later", language: "ar", simhash: 0xF0F0_F0F0_F0F0_F0F0, killed: 5)], feed: 1, at: 3600)
        #expect(arabic.map(\.kind) == [.update])
        #expect(arabic.first?.change == "killed 3 → 5")
        #expect(try await store.stories().count == 1)
    }

    @Test func aTollRisingTwiceInOneTransactionIsStoredInItsLastState() async throws {
        // Three copies in one batch: the topic's state changes twice within the transaction.
        let alerts = try await commit([
            Self.report("one", simhash: 0x0F0F_0F0F_0F0F_0F0F, killed: 3),
            Self.report("two", simhash: 0x0F0F_0F0F_0F0F_0F0E, killed: 5),
            Self.report("three", simhash: 0x0F0F_0F0F_0F0F_0F0C, killed: 8),
        ])
        #expect(alerts.map(\.kind) == [.new, .update, .update])
        let rows = try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: "SELECT story_id, topic, max_killed FROM story_topics")
        }
        #expect(rows.count == 1)
        #expect(rows.first?["max_killed"] == 8.0)
        // After a restart the index is rebuilt from that row: the same toll is no news, a higher one is.
        let reopened = try FeedStore(path: store.path)
        let feeds = try await reopened.registerFeeds([("https://f1.example/rss", "f1")])
        let same = try await reopened.commit(
            FeedBatch(
                feedID: feeds[0].feedID, fetch: Batches.fetch(at: start + 600),
                items: [Self.report("four", simhash: 0x0F0F_0F0F_0F0F_0F0D, killed: 8)]))
        #expect(same.isEmpty)
        let higher = try await reopened.commit(
            FeedBatch(
                feedID: feeds[0].feedID, fetch: Batches.fetch(at: start + 1200),
                items: [Self.report("five", simhash: 0x0F0F_0F0F_0F0F_0F0B, killed: 9)]))
        #expect(higher.map(\.change) == ["killed 8 → 9"])
    }
}
