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
            // The placement loops skip a report whose signature shares no bit: that must never skip a set
            // sharing a number, nor a non-empty set have an empty signature.
            if !setA.isDisjoint(with: setB) { #expect(a.signature & b.signature != 0) }
            #expect((a.signature == 0) == setA.isEmpty)
        }
    }

    @Test func listingsCountEveryListingOfEachStory() {
        var numbers = Numbers()
        for _ in 0..<300 {
            var lists: [Int: [Int64]] = [:]
            for key in 0..<numbers.next(below: 12) {
                // Lists repeat ids, as the index's do when a story takes reports between others.
                lists[key] = (0..<numbers.next(below: 70)).map { _ in Int64(1 + numbers.next(below: 200)) }
            }
            let keys = Array(lists.keys) + [99]  // a key with no list
            var expected: [Int64: Int] = [:]
            for key in keys { for id in lists[key] ?? [] { expected[id, default: 0] += 1 } }
            let listed = StoryIndex.listings(of: keys, in: lists)
            #expect(Set(listed.map(\.id)).count == listed.count)
            #expect(Dictionary(uniqueKeysWithValues: listed.map { ($0.id, $0.count) }) == expected)
        }
    }
}
