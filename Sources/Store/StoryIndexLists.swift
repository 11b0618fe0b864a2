extension StoryIndex {
    /// The slots of the stories listed under one key of the index (a title pair, a whole title, a key
    /// entity), oldest first: a slot is listed again when another story's report came in between, and only
    /// the newest `limit` are kept.
    ///
    /// The index holds thousands of such lists, many of them of a single story (a headline seen once, a rare
    /// word pair): that one slot is kept inline, in the 8 bytes of the dictionary's value, and only a longer
    /// list has an array of its own, of 4-byte slots (a common word pair lists up to 64 stories).
    enum SlotList: RandomAccessCollection, Sendable {
        case empty
        case one(Int32)
        /// Two slots or more, oldest first.
        case many([Int32])

        /// A list of `slots`, oldest first, as they are: repeats kept.
        init(_ slots: some Collection<Int32>) {
            switch slots.count {
            case 0: self = .empty
            case 1: self = .one(slots.first!)
            default: self = .many(Array(slots))
            }
        }

        var startIndex: Int { 0 }

        var endIndex: Int {
            switch self {
            case .empty: 0
            case .one: 1
            case .many(let slots): slots.count
            }
        }

        subscript(position: Int) -> Int {
            switch self {
            case .empty:
                preconditionFailure("no slot in an empty list")
            case .one(let slot):
                precondition(position == 0, "a one-slot list has only position 0")
                return Int(slot)
            case .many(let slots): return Int(slots[position])
            }
        }

        /// Reads the slots with one look at the case, not one per slot as indexing would: the candidate
        /// searches read hundreds of slots per placement.
        struct Iterator: IteratorProtocol {
            fileprivate var single: Int32?
            fileprivate var slots: IndexingIterator<[Int32]>

            mutating func next() -> Int? {
                if let slot = single {
                    single = nil
                    return Int(slot)
                }
                return slots.next().map(Int.init)
            }
        }

        func makeIterator() -> Iterator {
            switch self {
            case .empty: Iterator(single: nil, slots: [].makeIterator())
            case .one(let slot): Iterator(single: slot, slots: [].makeIterator())
            case .many(let slots): Iterator(single: nil, slots: slots.makeIterator())
            }
        }

        /// Appends `slot` unless it is the last already, keeping the newest `limit` (at least 1).
        mutating func append(_ slot: Int, limit: Int) {
            let slot = Int32(slot)
            switch self {
            case .empty:
                self = .one(slot)
            case .one(let only):
                guard only != slot else { return }
                self = limit == 1 ? .one(slot) : .many([only, slot])
            case .many(var slots):
                guard slots.last != slot else { return }
                self = .empty  // the array's only reference is then `slots`: it grows in place
                slots.append(slot)
                if slots.count > limit { slots.removeFirst(slots.count - limit) }
                self = .many(slots)
            }
        }

        /// The list without the slots `isOpen` rejects, in the same order; nil when none is left.
        func keeping(_ isOpen: (Int) -> Bool) -> SlotList? {
            let kept: SlotList
            switch self {
            case .empty: kept = .empty
            case .one(let slot): kept = isOpen(Int(slot)) ? self : .empty
            case .many(let slots): kept = SlotList(slots.filter { isOpen(Int($0)) })
            }
            if case .empty = kept { return nil }
            return kept
        }
    }
}

extension StoryIndex {
    /// The reports listed under one SimHash band key, oldest first: their hashes, and their stories' slots
    /// at the same positions. Kept apart, so that a lookup scans 8 bytes per report and reads a slot only for
    /// a hash close enough, and each report costs 12 bytes instead of 16.
    struct BandList: Sendable {
        private(set) var hashes: [UInt64] = []
        private(set) var slots: [Int32] = []

        /// Appends a report of the story in `slot`; past twice `limit` reports, only the newest `limit` are
        /// kept (a busy hour must not make every lookup scan all of them).
        mutating func append(_ hash: UInt64, slot: Int, limit: Int) {
            hashes.append(hash)
            slots.append(Int32(slot))
            if hashes.count > 2 * limit {
                hashes.removeFirst(hashes.count - limit)
                slots.removeFirst(slots.count - limit)
            }
        }

        /// The list without the reports whose slot `isOpen` rejects, in the same order.
        func keeping(_ isOpen: (Int) -> Bool) -> BandList {
            var kept = BandList()
            for (hash, slot) in zip(hashes, slots) where isOpen(Int(slot)) {
                kept.hashes.append(hash)
                kept.slots.append(slot)
            }
            return kept
        }
    }
}

extension StoryIndex {
    /// Inserts `element` in `sorted` (sorted, each once) at its place, unless it holds it already: the index's
    /// small sets are such arrays. The array is written only when it changes, so one shared with another copy
    /// is not copied for nothing.
    static func insert<Element: Comparable>(_ element: Element, into sorted: inout [Element]) {
        let low = lowerBound(of: element, in: sorted)
        if low == sorted.count || sorted[low] != element { sorted.insert(element, at: low) }
    }

    /// The first position in `sorted` whose element is not below `element` (its end when none is).
    static func lowerBound<Element: Comparable>(
        of element: Element, in sorted: some RandomAccessCollection<Element>
    ) -> Int {
        var (low, high) = (0, sorted.count)
        while low < high {
            let middle = (low + high) / 2
            if sorted[sorted.index(sorted.startIndex, offsetBy: middle)] < element {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}

extension StoryIndex {
    /// A story's topics with what its alerts on each have said, by topic id. A story has a few (five on
    /// average in the benchmark cycle): kept sorted in an array, they cost half what a dictionary of them does.
    struct TopicStates: Sendable {
        private var entries: [(topic: String, state: TopicState)] = []

        /// The topic ids, sorted.
        var keys: some Sequence<String> { entries.lazy.map(\.topic) }

        subscript(topic: String) -> TopicState? {
            get {
                let position = position(of: topic)
                return position < entries.count && entries[position].topic == topic ? entries[position].state : nil
            }
            set {
                let position = position(of: topic)
                let found = position < entries.count && entries[position].topic == topic
                switch (found, newValue) {
                case (true, let state?): entries[position].state = state
                case (true, nil): entries.remove(at: position)
                case (false, let state?): entries.insert((topic, state), at: position)
                case (false, nil): break
                }
            }
        }

        /// Where `topic` is, or would be inserted.
        private func position(of topic: String) -> Int {
            StoryIndex.lowerBound(of: topic, in: entries.lazy.map(\.topic))
        }
    }
}
