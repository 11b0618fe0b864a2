import Testing

@testable import Store

/// The story index's compact lists against the plain arrays they stand for: the same slots, in the same
/// order, after any run of appends and sweeps.
@Suite struct StoryIndexListsTests {
    @Test func slotListsHoldWhatAnArrayWould() {
        var numbers = StoryIndexPartsTests.Numbers()
        for round in 0..<400 {
            let limit = [1, 2, 3, 8, 64][round % 5]
            var list = StoryIndex.SlotList.empty
            var expected: [Int] = []
            for step in 0..<numbers.next(below: 150) {
                // Few distinct slots, so that appends repeat the last one and sweeps empty lists.
                let slot = numbers.next(below: 6)
                list.append(slot, limit: limit)
                if expected.last != slot { expected.append(slot) }
                if expected.count > limit { expected.removeFirst(expected.count - limit) }
                #expect(Array(list) == expected)
                if step % 17 == 16 {
                    let closed = numbers.next(below: 6)
                    let kept = list.keeping { $0 != closed }
                    expected.removeAll { $0 == closed }
                    #expect((kept.map { Array($0) } ?? []) == expected)
                    #expect((kept == nil) == expected.isEmpty)
                    list = kept ?? .empty
                }
            }
        }
    }

    /// The point of the type: a list of one slot takes no memory beyond the dictionary's value.
    @Test func slotListsFitInTheValueOfADictionaryOfArrays() {
        #expect(MemoryLayout<StoryIndex.SlotList>.size == MemoryLayout<[Int]>.size)
    }

    @Test func bandListsKeepHashesAndSlotsTogether() {
        var numbers = StoryIndexPartsTests.Numbers()
        for round in 0..<100 {
            let limit = [1, 4, 16][round % 3]
            var list = StoryIndex.BandList()
            var expected: [(hash: UInt64, slot: Int32)] = []
            for step in 0..<numbers.next(below: 200) {
                let (hash, slot) = (UInt64(numbers.next(below: 1 << 20)), numbers.next(below: 10))
                list.append(hash, slot: slot, limit: limit)
                expected.append((hash, Int32(slot)))
                if expected.count > 2 * limit { expected.removeFirst(expected.count - limit) }
                if step % 23 == 22 {
                    let closed = Int32(numbers.next(below: 10))
                    list = list.keeping { $0 != closed }
                    expected.removeAll { $0.slot == closed }
                }
                #expect(list.hashes == expected.map(\.hash) && list.slots == expected.map(\.slot))
            }
        }
    }

    @Test func topicStatesActLikeADictionary() {
        var numbers = StoryIndexPartsTests.Numbers()
        var states = StoryIndex.TopicStates()
        var expected: [String: StoryIndex.TopicState] = [:]
        for _ in 0..<2_000 {
            let topic = "topic-\(numbers.next(below: 12))"
            let state =
                numbers.next(below: 5) == 0
                ? nil
                : StoryIndex.TopicState(
                    modalities: ["reported_fact"], lastModality: "reported_fact",
                    maxKilled: Double(numbers.next(below: 100)), maxWounded: 0, places: [])
            #expect(states[topic] == expected[topic])
            states[topic] = state
            expected[topic] = state
            #expect(Array(states.keys) == expected.keys.sorted())
        }
    }

    @Test func sortedInsertsHoldWhatASetWould() {
        var numbers = StoryIndexPartsTests.Numbers()
        var sorted: [Int64] = []
        var expected: Set<Int64> = []
        for _ in 0..<1_000 {
            let element = Int64(numbers.next(below: 300))
            StoryIndex.insert(element, into: &sorted)
            expected.insert(element)
            #expect(sorted == expected.sorted())
        }
    }
}
