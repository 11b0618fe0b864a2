import Foundation
import Testing

@testable import Store

/// The story index's counting parts against plain Swift sets and dictionaries, on sets past the inline
/// words too, since the default gazetteer never reaches them.
@Suite struct StoryIndexPartsTests {
    /// A deterministic generator, so a failure can be replayed.
    struct Numbers {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next(below bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    @Test func entityBitsCountLikeSets() {
        var numbers = Numbers()
        for round in 0..<500 {
            // Every third round reaches past the 256 inline numbers.
            let bound = round % 3 == 0 ? 1_000 : 256
            var a = StoryIndex.EntityBits()
            var b = StoryIndex.EntityBits()
            var setA: Set<Int> = []
            var setB: Set<Int> = []
            for _ in 0..<numbers.next(below: 40) {
                let number = numbers.next(below: bound)
                a.insert(number)
                setA.insert(number)
            }
            for _ in 0..<numbers.next(below: 40) {
                let number = numbers.next(below: bound)
                b.insert(number)
                setB.insert(number)
            }
            #expect(a.count == setA.count)
            #expect(a.sharedCount(with: b) == setA.intersection(setB).count)
            #expect(b.sharedCount(with: a) == setA.intersection(setB).count)
            var union = a
            union.formUnion(b)
            #expect(union.count == setA.union(setB).count)
            #expect(union.sharedCount(with: a) == setA.count)
            #expect(union.sharedCount(with: b) == setB.count)
            #expect((0..<bound).allSatisfy { a.contains($0) == setA.contains($0) })
        }
    }

    @Test func listingsCountEveryListingOfEachStory() {
        var numbers = Numbers()
        var tally = [Int32](repeating: 0, count: 200)
        for _ in 0..<300 {
            var lists: [Int: [Int]] = [:]
            for key in 0..<numbers.next(below: 12) {
                // Lists repeat slots, as the index's do when a story takes reports between others.
                lists[key] = (0..<numbers.next(below: 70)).map { _ in numbers.next(below: 200) }
            }
            let keys = Array(lists.keys) + [99]  // a key with no list
            var expected: [Int: Int] = [:]
            var firstMet: [Int] = []
            for key in keys {
                for slot in lists[key] ?? [] {
                    if expected[slot] == nil { firstMet.append(slot) }
                    expected[slot, default: 0] += 1
                }
            }
            var listed: [(slot: Int, count: Int)] = [(0, 0)]  // left from an earlier call
            StoryIndex.listings(of: keys, in: lists, tally: &tally, into: &listed)
            #expect(listed.map(\.slot) == firstMet)
            #expect(Dictionary(uniqueKeysWithValues: listed.map { ($0.slot, $0.count) }) == expected)
            // The next call starts from a clean tally.
            #expect(tally.allSatisfy { $0 == 0 })
        }
    }

    /// A report of an attack on `place`, `hours` after the start, with the given SimHash and headline.
    static func report(_ place: String, simhash: UInt64, title: String, hours: Double) -> StoryReport {
        let time = Date(timeIntervalSince1970: 1_790_000_000 + hours * 3600)
        return StoryReport(
            itemID: 0, feedID: 1, language: "en", time: time, eventTime: time, simhash: simhash,
            titlePairs: StoryIndex.titlePairs(title), entities: [place, "coalition"],
            keyEntities: [place, "coalition"], quantities: [], figures: [],
            topics: [.init(id: "rocket-drone-attack", modality: "reported_fact", places: [place: place.capitalized])],
            killed: 0, wounded: 0)
    }

    /// Stories closed by the sweep give their place in the index to new ones: a report like a closed story's
    /// must start a story of its own, and reports like the story that took the place must find that one.
    @Test func storiesAfterASweepMatchOnlyOpenStories() {
        var index = StoryIndex(policy: AlertPolicy())
        var next: Int64 = 1
        let erbil: UInt64 = 0xF0F0_F0F0_1234_5678
        let mosul: UInt64 = 0x0F0F_0F0F_8765_4321
        func file(_ place: String, _ simhash: UInt64, _ title: String, hours: Double) -> PlacedReport {
            index.file(Self.report(place, simhash: simhash, title: title, hours: hours), nextStoryID: &next)
        }
        let first = file("erbil", erbil, "Rockets hit Erbil base", hours: 0)
        #expect(first.storyID == 1 && first.startsStory)
        // 100 hours on, past the 72-hour window: the Erbil story closes and the Mosul one takes its place.
        let mosulStory = file("mosul", mosul, "Drone strike on Mosul", hours: 100)
        #expect(mosulStory.storyID == 2 && mosulStory.startsStory)
        #expect(index.stories.keys.sorted() == [2])
        // The Erbil story's text, headline and names again: the closed story is not found.
        let again = file("erbil", erbil, "Rockets hit Erbil base", hours: 101)
        #expect(again.storyID == 3 && again.placement.match == .none)
        // The Mosul story is found by text, by headline, and by names.
        let byText = file("mosul", mosul ^ 0b111, "Another headline", hours: 102)
        #expect(byText.storyID == 2 && byText.placement.match == .text(distance: 3))
        let byTitle = file("mosul", ~mosul, "Drone strike on Mosul", hours: 103)
        #expect(byTitle.storyID == 2 && byTitle.placement.match == .title)
        let byNames = file("mosul", 0x5555_AAAA_5555_AAAA, "Mosul attack", hours: 104)
        #expect(byNames.storyID == 2 && byNames.placement.match == .entities(shared: 2))
        #expect(index.stories[2]?.sources == 4 && index.stories[3]?.sources == 1)
    }

    /// Filing says which topics a report changed: a copy adding nothing changes none, a higher toll changes
    /// its topic, and the story's sources count every report.
    @Test func filingReportsOnlyChangedTopics() {
        var index = StoryIndex(policy: AlertPolicy())
        var next: Int64 = 1
        var report = Self.report("erbil", simhash: 0xF0F0_F0F0_1234_5678, title: "Rockets hit Erbil base", hours: 0)
        let first = index.file(report, nextStoryID: &next)
        #expect(first.changedTopics.map(\.topic) == ["rocket-drone-attack"] && first.sources == 1)
        let copy = index.file(report, nextStoryID: &next)
        #expect(copy.storyID == first.storyID && copy.changedTopics.isEmpty && copy.sources == 2)
        report.killed = 3
        let toll = index.file(report, nextStoryID: &next)
        #expect(toll.placement.outcomes.map(\.outcome) == [.changed("killed 0 → 3")])
        #expect(toll.changedTopics.map(\.state.maxKilled) == [3] && toll.sources == 3)
    }
}
