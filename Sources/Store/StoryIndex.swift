import Analysis
import Foundation
import GRDB

/// What the story index needs to know of one alerting item.
struct StoryReport: Sendable {
    /// One topic the item alerts on.
    struct Topic: Sendable {
        var id: String
        var modality: String
        /// Places named inside this topic's evidence sentences: entity id → display name.
        var places: [String: String]
    }

    var itemID: Int64
    var feedID: Int64
    var language: String
    /// When the report was committed: what opens and closes stories.
    var time: Date
    /// When the event was reported: the item's published date when it is plausible, else `time`. Reports
    /// matched on names or a headline must be close in this time.
    var eventTime: Date
    var simhash: UInt64
    /// Hashes of the normalized title's word pairs, sorted, each once.
    var titlePairs: [UInt64]
    var entities: Set<String>
    /// Entities that identify an event: people, groups, organizations and places (not countries).
    var keyEntities: Set<String>
    /// The figures that identify the event; casualty figures are left out, since they rise as reports come in.
    var quantities: Set<Fingerprint.QuantityKey>
    /// `quantities` as ``StoryIndex/figureHashes(_:)``: what matching compares.
    var figures: [UInt64]
    var topics: [Topic]
    /// The largest killed and wounded figures in the item's evidence sentences (0 when none).
    var killed: Double
    var wounded: Double
}

/// How an item relates to the open stories, decided before it is written.
struct StoryPlacement: Sendable {
    /// How the item matched its story.
    enum Match: Sendable, Equatable {
        /// No open story matched: the item starts one.
        case none
        /// Its text is this many SimHash bits from a report of the story.
        case text(distance: Int)
        /// Its title shares most word pairs with a report's title in the same language (Dice ≥ 0.6).
        case title
        /// A report in another language sharing the topic, this many entities and the figures.
        case entities(shared: Int)

        /// The `matched_by` column's value.
        var label: String {
            switch self {
            case .none: "first"
            case .text: "text"
            case .title: "title"
            case .entities: "entities"
            }
        }
    }

    /// What to do for one of the item's topics.
    enum Outcome: Sendable, Equatable {
        /// The story's first report of the topic: a new alert.
        case first
        /// A material change since the story's last alert on the topic: an update alert saying what changed.
        case changed(String)
        /// Nothing new: the item only counts as one more source.
        case repeated
    }

    /// The story joined, or nil when the item starts a new one.
    var storyID: Int64?
    var match: Match
    /// Per topic id, in the item's topic order.
    var outcomes: [(topic: String, outcome: Outcome)]
}

/// The open stories (last report within the policy's window) in memory, indexed for matching: SimHash
/// bands find every report within 8 bits without comparing against all of them, and per-entity lists
/// find reports in other languages.
///
/// The index mirrors the `stories`, `story_sources` and `story_topics` tables; the store changes both in
/// the same write and rebuilds the index from the tables after a failed one.
struct StoryIndex: Sendable {
    /// SimHash bands: 9 bands of 7 bits, so two hashes at most 8 bits apart agree on a whole band.
    static let bandCount = 9
    static let bandBits = 7

    /// What the index keeps of a topic of a story: what its alerts have said so far.
    struct TopicState: Sendable, Equatable {
        /// Sorted, each once (a few: an array costs a fraction of a set).
        var modalities: [String]
        var lastModality: String
        var maxKilled: Double
        var maxWounded: Double
        /// Sorted, each once.
        var places: [String]
    }

    /// What the index keeps of one report of a story, to compare new reports with.
    struct Member: Sendable {
        var language: String
        var eventTime: Date
        var simhash: UInt64
        var titlePairs: [UInt64]
        var entities: EntityBits
        var keyEntities: EntityBits
        /// The report's figures as sorted hashes (``StoryIndex/figureHashes(_:)``): shared ones found by a merge.
        var figures: [UInt64]
    }

    /// A set of entities as bits of their interned numbers: intersections are a few AND and popcounts.
    ///
    /// The first 256 numbers live inline (the default gazetteer has about 200 entities), so comparing two
    /// sets reads no memory beyond the two values: the candidate loops compare thousands of reports per
    /// placement, and following a pointer per report was most of their time.
    struct EntityBits: Sendable {
        private var word0: UInt64 = 0
        private var word1: UInt64 = 0
        private var word2: UInt64 = 0
        private var word3: UInt64 = 0
        /// Words for the numbers from 256 on (empty for the default gazetteer).
        private var overflow: [UInt64] = []
        private(set) var count = 0

        private static let inlineWords = 4

        mutating func insert(_ number: Int) {
            let (word, bit) = number.quotientAndRemainder(dividingBy: 64)
            let mask: UInt64 = 1 << UInt64(bit)
            if self[word] & mask == 0 {
                self[word] |= mask
                count += 1
            }
        }

        mutating func formUnion(_ other: EntityBits) {
            for word in 0..<(Self.inlineWords + other.overflow.count) where other[word] != 0 {
                count += (other[word] & ~self[word]).nonzeroBitCount
                self[word] |= other[word]
            }
        }

        /// Whether `number` is in the set.
        func contains(_ number: Int) -> Bool {
            self[number >> 6] & (1 << UInt64(number & 63)) != 0
        }

        func sharedCount(with other: EntityBits) -> Int {
            var shared =
                (word0 & other.word0).nonzeroBitCount + (word1 & other.word1).nonzeroBitCount
                + (word2 & other.word2).nonzeroBitCount + (word3 & other.word3).nonzeroBitCount
            for index in 0..<min(overflow.count, other.overflow.count) {
                shared += (overflow[index] & other.overflow[index]).nonzeroBitCount
            }
            return shared
        }

        /// Word `index` of the set (0 past its end); setting one past the end grows `overflow`.
        private subscript(index: Int) -> UInt64 {
            get {
                switch index {
                case 0: word0
                case 1: word1
                case 2: word2
                case 3: word3
                default: index - Self.inlineWords < overflow.count ? overflow[index - Self.inlineWords] : 0
                }
            }
            set {
                switch index {
                case 0: word0 = newValue
                case 1: word1 = newValue
                case 2: word2 = newValue
                case 3: word3 = newValue
                default:
                    let slot = index - Self.inlineWords
                    if slot >= overflow.count { overflow += Array(repeating: 0, count: slot - overflow.count + 1) }
                    overflow[slot] = newValue
                }
            }
        }
    }

    /// One open story.
    struct Story: Sendable {
        var id: Int64
        var lastSeen: Date
        /// Sorted, each once.
        var languages: [String] = []
        /// Every entity any report named: a place outside this set is a new place.
        var entities = EntityBits()
        var topics = TopicStates()
        var sources = 0
        /// The feeds of its reports, sorted, each once.
        var feeds: [Int64] = []
    }

    private(set) var stories: [Int64: Story] = [:]
    /// What the candidate loops read of an open story, kept apart from `Story` so that they read only this.
    private struct Matchable {
        /// The story's id (0 for a free slot).
        var id: Int64
        var lastSeen: Date
        /// One bit per topic the story's alerts are on, for a quick "shares a topic" test.
        var topicMask: UInt64
        /// The first reports (at most `memberLimit`): later copies add nothing to match against.
        var members: [Member] = []
        /// The key entities of all its reports: no member shares more of a report's key names than this.
        var keyEntities = EntityBits()
        /// Per key entity its members name, which of them do (bit i for member i): the loops visit only the
        /// members sharing a key name with a report, without reading the others (in a crowded hour most
        /// members of a story listed under a name share none of the report's).
        var keyMembers: [(entity: Int, members: UInt8)] = []

        /// The members naming one of `keyEntities`, as bits.
        func members(naming keyEntities: EntityBits) -> UInt8 {
            var found: UInt8 = 0
            for entry in keyMembers where keyEntities.contains(entry.entity) { found |= entry.members }
            return found
        }

        /// The members naming no key entity, as bits.
        var membersNamingNone: UInt8 {
            let all = UInt8(truncatingIfNeeded: (1 << members.count) - 1)
            return keyMembers.reduce(all) { $0 & ~$1.members }
        }
    }
    /// The open stories' matching data, by slot. The lists below hold slots, not story ids, so that a
    /// candidate is read from an array: hashing an id per candidate cost more than comparing it.
    private var matchable: [Matchable] = []
    /// Story id → its slot in `matchable`.
    private var slots: [Int64: Int] = [:]
    /// Slots of stories the sweep dropped (no list holds them any more), to be reused.
    private var freeSlots: [Int] = []
    /// Per slot, how many of the lists being counted hold it: scratch for ``listings(of:in:tally:into:)``, all
    /// 0 between calls.
    private var tally: [Int32] = []
    /// What ``listings(of:in:tally:into:)`` found last, kept so that its storage is reused.
    private var listed: [(slot: Int, count: Int)] = []
    /// Entity id → its number in `EntityBits`.
    private var entityNumbers: [String: Int] = [:]
    /// SimHash band key (``bandKey(_:band:)``) → the reports in it, with their story's slot.
    private var bands = [BandList](repeating: BandList(), count: bandCount << bandBits)
    /// Title word pair → slots of the stories whose reports' titles have it (the newest `pairListLimit`).
    private var storiesByTitlePair: [UInt64: SlotList] = [:]
    /// A title's whole pair list (hashed) → slots of the stories whose reports' titles have exactly those pairs
    /// (the newest `pairListLimit`): identical headlines, found without counting pairs.
    private var storiesByTitle: [UInt64: SlotList] = [:]
    /// Topic id → its bit in `Matchable.topicMask` (the 64th and later share the last bit).
    private var topicNumbers: [String: Int] = [:]
    /// Key entity (its number) → slots of the stories naming it (the newest `entityListLimit`).
    private var storiesByEntity: [Int: SlotList] = [:]
    private var nextSweep = Date.distantPast
    /// Longest per-entity list kept: reports of one event arrive close in time.
    private static let entityListLimit = 128
    /// Longest per-band list kept (9 bands, so a report is found through any of 9 lists).
    private static let bandListLimit = 256
    /// Longest per-title-pair list kept.
    private static let pairListLimit = 64
    /// The least Dice overlap of two titles' word pairs for one story.
    private static let titleDice = 0.6
    /// Reports kept per story for matching (as many as ``Matchable/keyMembers`` has bits for).
    private static let memberLimit = UInt8.bitWidth
    /// A report that shares names but no figure with a story joins it only this close in event time to the
    /// report it matches: the same names days apart are more often two events.
    private static let namesOnlyWindow: TimeInterval = 24 * 3600
    /// The same for names with a figure, or a headline: a second attack on a base two days later, with the
    /// same number of rockets, is another event.
    private static let namesAndFiguresWindow: TimeInterval = 36 * 3600

    var policy: AlertPolicy

    init(policy: AlertPolicy) {
        self.policy = policy
    }

    // MARK: Placing a report

    /// Decides which open story `report` (with its entities as `names` numbers them) belongs to and what
    /// each of its topics should alert.
    mutating func place(_ report: StoryReport, names: Names) -> StoryPlacement {
        sweep(now: report.time)
        let probe = Probe(
            cutoff: report.time.addingTimeInterval(-policy.storyWindow),
            topicMask: names.topics.reduce(0) { mask, number in number.map { mask | Self.topicBit($0) } ?? mask },
            names: names)
        var match = StoryPlacement.Match.none
        var chosen: Int64?
        if let (id, distance) = closestByText(report, probe) {
            chosen = id
            match = .text(distance: distance)
        } else if let id = sameTitle(report, probe) {
            chosen = id
            match = .title
        } else if let (id, shared) = bestByEntities(report, probe) {
            chosen = id
            match = .entities(shared: shared)
        }
        guard let id = chosen, let story = stories[id] else {
            return StoryPlacement(storyID: nil, match: .none, outcomes: report.topics.map { ($0.id, .first) })
        }
        let outcomes = report.topics.map { topic -> (topic: String, outcome: StoryPlacement.Outcome) in
            guard let state = story.topics[topic.id] else { return (topic.id, .first) }
            let change = change(from: state, to: topic, of: report, storyEntities: story.entities)
            return (topic.id, change.map { .changed($0) } ?? .repeated)
        }
        return StoryPlacement(storyID: story.id, match: match, outcomes: outcomes)
    }

    /// Adds `report` to story `storyID` (a new one when the index does not hold it yet).
    mutating func record(_ report: StoryReport, in storyID: Int64) {
        record(report, names: names(of: report), in: storyID)
    }

    /// Adds `report`, with its entities as `names` numbers them, to story `storyID` (a new one when the index
    /// does not hold it yet). Returns the topics whose state the report changed, in the report's topic order,
    /// with their new state, and the story's sources once the report joined.
    @discardableResult
    mutating func record(
        _ report: StoryReport, names: Names, in storyID: Int64
    ) -> (changedTopics: [(topic: String, state: TopicState)], sources: Int) {
        // Taken out of the dictionary, so its arrays and sets are changed in place, not copied.
        var story = stories.removeValue(forKey: storyID) ?? Story(id: storyID, lastSeen: report.time)
        story.lastSeen = max(story.lastSeen, report.time)
        let slot = slots[storyID] ?? openSlot(for: storyID)
        let keyEntities = names.keyEntities
        for number in names.keyNumbers where !matchable[slot].keyEntities.contains(number) {
            storiesByEntity[number, default: .empty].append(slot, limit: Self.entityListLimit)
        }
        matchable[slot].keyEntities.formUnion(keyEntities)
        let memberCount = matchable[slot].members.count
        if memberCount < Self.memberLimit {
            let bit: UInt8 = 1 << UInt8(memberCount)
            for number in names.keyNumbers {
                if let entry = matchable[slot].keyMembers.firstIndex(where: { $0.entity == number }) {
                    matchable[slot].keyMembers[entry].members |= bit
                } else {
                    matchable[slot].keyMembers.append((number, bit))
                }
            }
            matchable[slot].members.append(
                Member(
                    language: report.language, eventTime: report.eventTime, simhash: report.simhash,
                    titlePairs: report.titlePairs, entities: names.entities,
                    keyEntities: keyEntities, figures: report.figures))
            if report.simhash != 0 {
                for band in 0..<Self.bandCount {
                    bands[Self.bandKey(report.simhash, band: band)].append(
                        report.simhash, slot: slot, limit: Self.bandListLimit)
                }
            }
            for pair in report.titlePairs {
                storiesByTitlePair[pair, default: .empty].append(slot, limit: Self.pairListLimit)
            }
            if report.titlePairs.count >= 2 {
                let title = Self.titleSignature(report.titlePairs)
                storiesByTitle[title, default: .empty].append(slot, limit: Self.pairListLimit)
            }
        }
        Self.insert(report.language, into: &story.languages)
        story.entities.formUnion(names.entities)
        var changed: [(topic: String, state: TopicState)] = []
        for (position, topic) in report.topics.enumerated() {
            let before = story.topics[topic.id]
            var state =
                before
                ?? TopicState(modalities: [], lastModality: topic.modality, maxKilled: 0, maxWounded: 0, places: [])
            // Lists changed only by what the report adds, and the state written back only when it changed: a
            // list shared with the story's copy of the state is copied whole by any change.
            Self.insert(topic.modality, into: &state.modalities)
            state.lastModality = topic.modality
            state.maxKilled = max(state.maxKilled, report.killed)
            state.maxWounded = max(state.maxWounded, report.wounded)
            for place in topic.places.keys { Self.insert(place, into: &state.places) }
            if state != before {
                story.topics[topic.id] = state
                changed.append((topic.id, state))
            }
            matchable[slot].topicMask |= Self.topicBit(names.topics[position] ?? number(ofTopic: topic.id))
        }
        story.sources += 1
        Self.insert(report.feedID, into: &story.feeds)
        let sources = story.sources
        stories[storyID] = story
        matchable[slot].lastSeen = story.lastSeen
        return (changed, sources)
    }

    /// A slot for story `storyID`, which has none.
    private mutating func openSlot(for storyID: Int64) -> Int {
        let entry = Matchable(id: storyID, lastSeen: .distantPast, topicMask: 0)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            matchable[slot] = entry
        } else {
            slot = matchable.count
            matchable.append(entry)
            tally.append(0)
        }
        slots[storyID] = slot
        return slot
    }

    /// Restores a topic's state as the `story_topics` table holds it (when loading the index).
    mutating func restore(topic: String, state: TopicState, of storyID: Int64) {
        let bit = Self.topicBit(number(ofTopic: topic))
        stories[storyID]?.topics[topic] = state
        if let slot = slots[storyID] { matchable[slot].topicMask |= bit }
    }

    /// Restores a story's counts as the `stories` table holds them (when loading the index).
    mutating func restore(sources: Int, lastSeen: Date, of storyID: Int64) {
        stories[storyID]?.sources = sources
        stories[storyID]?.lastSeen = lastSeen
        if let slot = slots[storyID] { matchable[slot].lastSeen = lastSeen }
    }

    // MARK: Matching

    /// A report's entities and topics as numbers, worked out once per filing for placing and recording.
    struct Names {
        var entities: EntityBits
        var keyEntities: EntityBits
        /// The numbers in `keyEntities`.
        var keyNumbers: [Int]
        /// Per topic of the report, its number, or nil for a topic no report recorded yet (numbered when this
        /// one is).
        var topics: [Int?]
    }

    /// `report`'s entities and topics as numbers, numbering entity ids not seen before.
    mutating func names(of report: StoryReport) -> Names {
        var names = Names(
            entities: EntityBits(), keyEntities: EntityBits(), keyNumbers: [],
            topics: report.topics.map { topicNumbers[$0.id] })
        names.keyNumbers.reserveCapacity(report.keyEntities.count)
        for id in report.keyEntities {
            let number = number(of: id)
            names.keyEntities.insert(number)
            names.keyNumbers.append(number)
        }
        for id in report.entities {
            names.entities.insert(number(of: id))
        }
        return names
    }

    /// The number of entity `id` in ``EntityBits``, numbering it when it is new.
    private mutating func number(of id: String) -> Int {
        let number = entityNumbers[id, default: entityNumbers.count]
        if number == entityNumbers.count { entityNumbers[id] = number }
        return number
    }

    /// What every matcher compares a report by, worked out once per placement.
    private struct Probe {
        /// Stories last seen before this are closed.
        var cutoff: Date
        /// The report's topics as ``Matchable/topicMask`` bits.
        var topicMask: UInt64
        var names: Names
    }

    /// The story with a report closest in SimHash, at most `maxTextDistance` bits away, and the distance.
    private func closestByText(_ report: StoryReport, _ probe: Probe) -> (Int64, Int)? {
        guard report.simhash != 0 else { return nil }
        let (cutoff, mask) = (probe.cutoff, probe.topicMask)
        var best: (id: Int64, distance: Int)?
        for band in 0..<Self.bandCount {
            let listed = bands[Self.bandKey(report.simhash, band: band)]
            for (position, hash) in listed.hashes.enumerated() {
                let distance = (hash ^ report.simhash).nonzeroBitCount
                guard distance <= policy.maxTextDistance else { continue }
                let slot = Int(listed.slots[position])
                let id = matchable[slot].id
                guard best.map({ distance < $0.distance || (distance == $0.distance && id < $0.id) }) ?? true,
                    matchable[slot].lastSeen >= cutoff, matchable[slot].topicMask & mask != 0
                else { continue }
                best = (id, distance)
            }
        }
        return best.map { ($0.id, $0.distance) }
    }

    /// A story with a report in the same language whose title shares most word pairs with the item's
    /// (Dice ≥ 0.6), that shares a topic, at least half of the key names the two use (or neither names
    /// any) and, when both carry figures, a figure: a copy under the same headline whose text was cut or
    /// padded.
    private mutating func sameTitle(_ report: StoryReport, _ probe: Probe) -> Int64? {
        guard report.titlePairs.count >= 2 else { return nil }
        let (cutoff, mask) = (probe.cutoff, probe.topicMask)
        let keyEntities = probe.names.keyEntities
        // An identical headline (the same pairs: Dice 1, the best there is) is found by its hash; as in the
        // scan below, the lowest story id wins a tie.
        if let listed = storiesByTitle[Self.titleSignature(report.titlePairs)] {
            var lowest: Int64?
            for slot in listed where lowest.map({ matchable[slot].id < $0 }) ?? true {
                guard matchable[slot].lastSeen >= cutoff, matchable[slot].topicMask & mask != 0 else { continue }
                if matchable[slot].members.contains(where: { member in
                    member.titlePairs == report.titlePairs
                        && titleDice(member, report, keyEntities: keyEntities) != nil
                }) {
                    lowest = matchable[slot].id
                }
            }
            if let lowest { return lowest }
        }
        let neededHits = Self.titleDice * Double(report.titlePairs.count)
        var best: (id: Int64, dice: Double)?
        // A story listed under fewer of the title's pairs than Dice 0.6 needs cannot match.
        Self.listings(of: report.titlePairs, in: storiesByTitlePair, tally: &tally, into: &listed)
        for (slot, hits) in listed {
            guard Double(2 * hits) >= neededHits, matchable[slot].lastSeen >= cutoff,
                matchable[slot].topicMask & mask != 0
            else { continue }
            // A member passes the names test below only with 3 × shared ≥ its key names + the report's, so
            // with at least one shared; no member shares more than the whole story (a headline template
            // about another place stops here).
            if !report.keyEntities.isEmpty,
                3 * matchable[slot].keyEntities.sharedCount(with: keyEntities) < report.keyEntities.count + 1
            {
                continue
            }
            // A member passes the names test only when it shares a key name with the report or, when the
            // report names none, names none itself: the others are not read.
            let id = matchable[slot].id
            var candidates =
                report.keyEntities.isEmpty
                ? matchable[slot].membersNamingNone : matchable[slot].members(naming: keyEntities)
            while candidates != 0 {
                let index = candidates.trailingZeroBitCount
                candidates &= candidates - 1
                // Passed straight from the array, as in bestByEntities.
                guard let dice = titleDice(matchable[slot].members[index], report, keyEntities: keyEntities) else {
                    continue
                }
                if best.map({ dice > $0.dice || (dice == $0.dice && id < $0.id) }) ?? true { best = (id, dice) }
            }
        }
        return best?.id
    }

    /// The Dice overlap of a member's and the report's title pairs when the two are one story's headline:
    /// same language, close in event time, the key names mostly the same, and a shared figure when both
    /// carry figures; nil otherwise.
    private func titleDice(
        _ member: Member, _ report: StoryReport, keyEntities: EntityBits
    ) -> Double? {
        guard member.language == report.language, member.titlePairs.count >= 2,
            abs(report.eventTime.timeIntervalSince(member.eventTime)) <= Self.namesAndFiguresWindow
        else { return nil }
        // A headline template ("Rocket strike on X") is not a copy: the names must mostly agree too.
        let sharedKeys = member.keyEntities.sharedCount(with: keyEntities)
        let allKeys = member.keyEntities.count + report.keyEntities.count - sharedKeys
        guard sharedKeys * 2 >= allKeys else { return nil }
        let shared = Self.sharedCount(member.titlePairs, report.titlePairs)
        let dice = Double(2 * shared) / Double(member.titlePairs.count + report.titlePairs.count)
        guard dice >= Self.titleDice else { return nil }
        if !member.figures.isEmpty, !report.figures.isEmpty, Self.sharedCount(member.figures, report.figures) == 0 {
            return nil
        }
        return dice
    }

    /// Sets `counted` to the slots listed under `keys` in `lists`, each once, with the number of times those
    /// lists hold it, in the order first met. Counted in `tally` (a count per slot, all 0 before and after): a
    /// few hundred slots per placement, where a hash table of them cost more than the matching that follows.
    static func listings<Key: Hashable, List: Collection<Int>>(
        of keys: some Collection<Key>, in lists: [Key: List], tally: inout [Int32],
        into counted: inout [(slot: Int, count: Int)]
    ) {
        counted.removeAll(keepingCapacity: true)
        for key in keys {
            guard let slots = lists[key] else { continue }
            for slot in slots {
                if tally[slot] == 0 { counted.append((slot, 0)) }
                tally[slot] += 1
            }
        }
        for position in counted.indices {
            let slot = counted[position].slot
            counted[position].count = Int(tally[slot])
            tally[slot] = 0
        }
    }

    /// One hash of a title's whole (sorted) pair list.
    private static func titleSignature(_ pairs: [UInt64]) -> UInt64 {
        pairs.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ $1) &* 0x0000_0100_0000_01B3 }
    }

    /// Figures as sorted, distinct hashes of value and unit, so two reports' shared figures are counted by a
    /// merge instead of set operations on strings.
    static func figureHashes(_ quantities: Set<Fingerprint.QuantityKey>) -> [UInt64] {
        guard !quantities.isEmpty else { return [] }
        var hashes = quantities.map { key in
            var hash = 0xcbf2_9ce4_8422_2325 ^ (key.value + 0).bitPattern  // + 0: -0 and 0 alike
            for byte in key.unit.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return hash
        }
        hashes.sort()
        return hashes
    }

    /// Elements two sorted arrays share.
    private static func sharedCount(_ a: [UInt64], _ b: [UInt64]) -> Int {
        var (i, j, shared) = (0, 0, 0)
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                shared += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return shared
    }

    /// The number of topic `id`, numbering it when it is new.
    private mutating func number(ofTopic id: String) -> Int {
        let number = topicNumbers[id, default: topicNumbers.count]
        if number == topicNumbers.count { topicNumbers[id] = number }
        return number
    }

    /// Topic number `number`'s bit in ``Matchable/topicMask`` (the 64th and later share the last bit).
    private static func topicBit(_ number: Int) -> UInt64 {
        1 << UInt64(min(number, 63))
    }

    /// A story with a report that names the same event: it shares one of the item's topics, at least half
    /// of the people, groups, organizations and places the two name, at least `minSharedEntities` entities
    /// (or all of the smaller set, when that is fewer) and half of the smaller set, and, when both carry
    /// figures, a figure. Without a shared figure it also needs two shared key entities (or, across
    /// languages, the same single one) and to be within a day of that report. This is how an Arabic and an English report of one event meet, and how a rewrite joins
    /// its wire copy.
    private mutating func bestByEntities(_ report: StoryReport, _ probe: Probe) -> (Int64, Int)? {
        guard !report.keyEntities.isEmpty else { return nil }
        let (cutoff, mask) = (probe.cutoff, probe.topicMask)
        let (entities, keyEntities) = (probe.names.entities, probe.names.keyEntities)
        var best: (id: Int64, score: Int, shared: Int)?
        Self.listings(of: probe.names.keyNumbers, in: storiesByEntity, tally: &tally, into: &listed)
        for (slot, _) in listed {
            // Half of all key names shared needs 3 × shared ≥ the member's key names + the report's, and no
            // member shares more than the whole story does.
            guard matchable[slot].lastSeen >= cutoff, matchable[slot].topicMask & mask != 0,
                3 * matchable[slot].keyEntities.sharedCount(with: keyEntities) >= report.keyEntities.count + 1
            else { continue }
            let id = matchable[slot].id
            // Only members sharing a key name can pass: the others are not read. Members are passed straight
            // from the array, not copied to a local first, which would retain and release each of their arrays.
            var candidates = matchable[slot].members(naming: keyEntities)
            while candidates != 0 {
                let index = candidates.trailingZeroBitCount
                candidates &= candidates - 1
                guard
                    let (score, shared) = namesMatch(
                        matchable[slot].members[index], report, entities: entities, keyEntities: keyEntities)
                else { continue }
                if best.map({ score > $0.score || (score == $0.score && id < $0.id) }) ?? true {
                    best = (id, score, shared)
                }
            }
        }
        return best.map { ($0.id, $0.shared) }
    }

    /// The score (shared entities, and twice the shared figures) and shared entities of a member naming the
    /// report's event, as ``bestByEntities(_:_:)`` says; nil when it does not.
    private func namesMatch(
        _ member: Member, _ report: StoryReport, entities: EntityBits, keyEntities: EntityBits
    ) -> (score: Int, shared: Int)? {
        let sharedKeys = member.keyEntities.sharedCount(with: keyEntities)
        guard sharedKeys > 0 else { return nil }
        let shared = member.entities.sharedCount(with: entities)
        let smaller = min(member.entities.count, report.entities.count)
        guard shared >= min(policy.minSharedEntities, smaller), shared * 2 >= smaller else { return nil }
        // The key names mostly the same: at least half of all the key names either side uses.
        let allKeys = member.keyEntities.count + report.keyEntities.count - sharedKeys
        guard sharedKeys * 2 >= allKeys,
            abs(report.eventTime.timeIntervalSince(member.eventTime)) <= Self.namesAndFiguresWindow
        else { return nil }
        let sharedFigures = Self.sharedCount(member.figures, report.figures)
        if sharedFigures == 0 {
            if !member.figures.isEmpty, !report.figures.isEmpty { return nil }
            // One shared name is enough only for two reports in different languages naming nothing else.
            let singleName =
                member.keyEntities.count == 1 && report.keyEntities.count == 1 && member.language != report.language
            guard sharedKeys >= 2 || singleName,
                abs(report.eventTime.timeIntervalSince(member.eventTime)) <= Self.namesOnlyWindow
            else { return nil }
        }
        return (shared + 2 * sharedFigures, shared)
    }

    /// What `topic` in `report` adds to what the story's alerts on it have said, or nil when nothing: the
    /// event moving on (planned, threatened or demanded → reported or completed; anything → completed), a
    /// higher casualty figure, or a place in the topic's evidence that no report of the story named.
    private func change(
        from state: TopicState, to topic: StoryReport.Topic, of report: StoryReport, storyEntities: EntityBits
    ) -> String? {
        var changes: [String] = []
        if !state.modalities.contains(topic.modality), Self.movesOn(from: state.modalities, to: topic.modality) {
            changes.append("modality \(state.lastModality) → \(topic.modality)")
        }
        if report.killed > state.maxKilled {
            changes.append("killed \(Self.figure(state.maxKilled)) → \(Self.figure(report.killed))")
        }
        if report.wounded > state.maxWounded {
            changes.append("wounded \(Self.figure(state.maxWounded)) → \(Self.figure(report.wounded))")
        }
        var newPlaces: [String] = []
        for (place, name) in topic.places where !state.places.contains(place) {
            if let number = entityNumbers[place], storyEntities.contains(number) { continue }
            newPlaces.append(name)
        }
        if !newPlaces.isEmpty {
            changes.append("new place \(newPlaces.sorted().joined(separator: ", "))")
        }
        return changes.isEmpty ? nil : changes.joined(separator: "; ")
    }

    /// True when `modality` is a step forward from every modality alerted so far. A denial is not a step
    /// anyone waits on, and reading one wrongly is the analyzer's likeliest slip, so it never leads anywhere.
    private static func movesOn(from seen: [String], to modality: String) -> Bool {
        switch modality {
        case "completed": return true
        case "reported_fact": return seen.contains(where: pendingModalities.contains) && !seen.contains("completed")
        default: return false
        }
    }

    /// What an event waits on: planned, threatened or demanded.
    private static let pendingModalities: Set<String> = ["intent", "threat", "demand"]

    /// A figure as people write it: `5`, not `5.0`.
    static func figure(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    // MARK: Upkeep

    /// Drops stories closed for longer than the window, at most every 15 minutes of report time.
    private mutating func sweep(now: Date) {
        guard now >= nextSweep else { return }
        nextSweep = now.addingTimeInterval(15 * 60)
        let cutoff = now.addingTimeInterval(-policy.storyWindow)
        let closed = stories.values.filter { $0.lastSeen < cutoff }.map(\.id)
        guard !closed.isEmpty else { return }
        for id in closed {
            stories[id] = nil
            if let slot = slots.removeValue(forKey: id) {
                matchable[slot] = Matchable(id: 0, lastSeen: .distantPast, topicMask: 0)
                freeSlots.append(slot)
            }
        }
        bands = bands.map { $0.keeping { matchable[$0].id != 0 } }
        func keepOpen(_ slots: SlotList) -> SlotList? {
            slots.keeping { matchable[$0].id != 0 }
        }
        storiesByEntity = storiesByEntity.compactMapValues(keepOpen)
        storiesByTitlePair = storiesByTitlePair.compactMapValues(keepOpen)
        storiesByTitle = storiesByTitle.compactMapValues(keepOpen)
    }

    /// Hashes of a title's consecutive word pairs, sorted, each once, in the analyzer's matching form
    /// (``matchingForm(of:)``); everything that is not a letter or digit is a word break.
    static func titlePairs(_ title: String?) -> [UInt64] {
        guard let title else { return [] }
        let basis: UInt64 = 0xcbf2_9ce4_8422_2325
        var pairs: [UInt64] = []
        pairs.reserveCapacity(16)  // a headline's dozen words or so, without growing the array word by word
        var previous: UInt64?
        var hash = basis
        var inWord = false
        func add(_ scalar: Unicode.Scalar) {
            if !ScalarTraits(of: scalar).isDisjoint(with: [.alphabetic, .numeric]) {
                hash = (hash ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01B3
                inWord = true
            } else if inWord {
                endWord()
            }
        }
        func endWord() {
            if let previous { pairs.append((previous &* 0x9E37_79B9_7F4A_7C15) ^ hash) }
            previous = hash
            hash = basis
            inWord = false
        }
        var text = title
        let isASCII = text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
            // The matching form of ASCII text is the text with A-Z lowercased: read so, it need not be built.
            for byte in bytes { add(Unicode.Scalar(byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte)) }
            return true
        }
        if !isASCII {
            for scalar in matchingForm(of: title).unicodeScalars { add(scalar) }
        }
        if inWord { endWord() }
        pairs.sort()
        var unique = 0
        for index in pairs.indices where unique == 0 || pairs[unique - 1] != pairs[index] {
            pairs[unique] = pairs[index]
            unique += 1
        }
        // An array of its own size: a member keeps it while its story is open, and most headlines have fewer
        // pairs than the 16 reserved.
        return Array(pairs[..<unique])
    }

    /// Where `hash` is listed for band `band`: the band's number, then its bits.
    private static func bandKey(_ hash: UInt64, band: Int) -> Int {
        let mask: UInt64 = (1 << UInt64(bandBits)) - 1
        return band << bandBits | Int((hash >> UInt64(band * bandBits)) & mask)
    }
}

// MARK: Loading and column formats

extension StoryIndex {
    /// The index of the stories open at `now`, read from the `stories`, `story_sources` and `story_topics` tables.
    static func load(from db: Database, policy: AlertPolicy, now: Date) throws -> StoryIndex {
        var index = StoryIndex(policy: policy)
        let cutoff = now.addingTimeInterval(-policy.storyWindow)
        let sources = try Row.fetchAll(
            db,
            sql: """
                SELECT ss.*, s.sources AS story_sources, s.last_seen_at AS story_last_seen, i.title AS item_title,
                    i.published_at AS item_published
                FROM story_sources ss JOIN stories s ON s.id = ss.story_id JOIN items i ON i.id = ss.item_id
                WHERE s.last_seen_at >= ? ORDER BY ss.joined_at, ss.item_id
                """,
            arguments: [StoredDate.value(cutoff)])
        var counts: [Int64: (Int, Date)] = [:]
        for row in sources {
            let storyID: Int64 = row["story_id"]
            let figures = quantities(from: row["quantities"])
            let joined: Date = StoredDate.read(row, "joined_at")
            let report = StoryReport(
                itemID: row["item_id"], feedID: row["feed_id"], language: row["language"], time: joined,
                eventTime: eventTime(published: StoredDate.read(row, "item_published"), committed: joined),
                simhash: UInt64(row["simhash"] as String, radix: 16) ?? 0,
                titlePairs: titlePairs(row["item_title"]),
                entities: list(row["entities"]), keyEntities: list(row["key_entities"]),
                quantities: figures, figures: figureHashes(figures),
                topics: [], killed: 0, wounded: 0)
            index.record(report, in: storyID)
            counts[storyID] = (row["story_sources"], StoredDate.read(row, "story_last_seen"))
        }
        for (storyID, (sources, lastSeen)) in counts {
            index.restore(sources: sources, lastSeen: lastSeen, of: storyID)
        }
        let topics = try Row.fetchAll(
            db,
            sql: """
                SELECT st.* FROM story_topics st JOIN stories s ON s.id = st.story_id WHERE s.last_seen_at >= ?
                """,
            arguments: [StoredDate.value(cutoff)])
        for row in topics {
            let state = TopicState(
                modalities: list(row["modalities"]).sorted(), lastModality: row["last_modality"],
                maxKilled: row["max_killed"], maxWounded: row["max_wounded"], places: list(row["places"]).sorted())
            index.restore(topic: row["topic"], state: state, of: row["story_id"])
        }
        return index
    }

    /// The item's published date when it is plausible (within a week before it was committed, or an hour
    /// after), else when it was committed.
    static func eventTime(published: Date?, committed: Date) -> Date {
        guard let published, published >= committed.addingTimeInterval(-7 * 86400),
            published <= committed.addingTimeInterval(3600)
        else { return committed }
        return published
    }

    /// Figures as the `quantities` column holds them: "5000 soldiers;3 years".
    static func text(of quantities: Set<Fingerprint.QuantityKey>) -> String {
        var text = ""
        for key in quantities.sorted() {
            if !text.isEmpty { text += ";" }
            text += figure(key.value)
            text += " "
            text += key.unit
        }
        return text
    }

    private static func quantities(from text: String) -> Set<Fingerprint.QuantityKey> {
        Set(text.split(separator: ";").compactMap { pair in
            let parts = pair.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[0]) else { return nil }
            return Fingerprint.QuantityKey(value: value, unit: String(parts[1]))
        })
    }

    private static func list(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map(String.init))
    }
}
