/// A match of one group of a rule: tokens `start..<end` of a sentence.
struct GroupHit: Sendable {
    var group: Int32
    var start: Int32
    var end: Int32
    /// The first token was read without a future س (ستنسحب → تنسحب).
    var future: Bool
}

/// One rule satisfied in one sentence, with the hit chosen for each group.
struct SentenceMatch: Sendable {
    var rule: Int
    var field: FieldName
    var sentence: Int
    /// One hit per group, in group order; the first is the trigger.
    var hits: [GroupHit]
}

/// The topic rules compiled once into a phrase index: every term of every rule is a phrase keyed by the
/// stem of its first word, pointing at the (rule, group) pairs and exclusions that use it.
struct RuleMatcher: Sendable {
    struct Topic: Sendable {
        var id: String
        var title: String
        var severity: String
        var threshold: Double
        var parent: Int?
        var rules: [Int]
    }

    struct Rule: Sendable {
        var topic: Int
        var id: String
        var weight: Double
        var groupCount: Int
        var near: Int?
        /// The places the rule applies to, one `bit(_:)` each.
        var locationBits: UInt8

        static func bit(_ location: RuleLocation) -> UInt8 {
            switch location {
            case .title: 1
            case .lead: 2
            case .body: 4
            }
        }
    }

    /// What a matched phrase or entity mention contributes to.
    enum Target: Sendable, Equatable {
        case group(rule: Int32, group: Int32)
        /// A rule's `not` (clause scope) or `not_in_sentence` (sentence scope) term.
        case ruleExclusion(rule: Int32, wholeSentence: Bool)
        /// A topic's `not` or `not_in_sentence` term, vetoing every rule of the topic.
        case topicExclusion(topic: Int32, wholeSentence: Bool)
    }

    private(set) var topics: [Topic] = []
    private(set) var rules: [Rule] = []
    /// Topic indices with every child before its parent.
    private(set) var childrenFirst: [Int] = []
    /// Each topic's child topics, in index order.
    private(set) var children: [[Int]] = []
    private var phrases = PhraseTable(mode: .stem)
    private var targetsByPhrase: [[Target]] = []
    private var targetsByEntity: [Int: [Target]] = [:]
    private var targetsByEntityType: [String: [Target]] = [:]
    private var clauses = ClauseSplitter()

    /// Hits per group kept per sentence; enough for any real sentence, and it bounds the window search.
    private static let maximumHitsPerGroup = 8

    init(
        topics definitions: [TopicDefinition],
        entities: [String: (index: Int, type: String)],
        vocabulary: inout Vocabulary
    ) throws(AnalyzerConfigError) {
        var topicIndex: [String: Int] = [:]
        for definition in definitions {
            guard !definition.id.isEmpty else {
                throw AnalyzerConfigError(topic: nil, message: "a topic has an empty id")
            }
            guard topicIndex[definition.id] == nil else {
                throw AnalyzerConfigError(topic: definition.id, message: "duplicate topic id")
            }
            guard definition.threshold > 0, definition.threshold.isFinite else {
                throw AnalyzerConfigError(topic: definition.id, message: "threshold must be a positive number")
            }
            guard TopicDefinition.severities.contains(definition.severity) else {
                throw AnalyzerConfigError(
                    topic: definition.id,
                    message: "severity '\(definition.severity)' is not one of "
                        + TopicDefinition.severities.joined(separator: ", ")
                )
            }
            topicIndex[definition.id] = topics.count
            topics.append(
                Topic(
                    id: definition.id,
                    title: definition.title,
                    severity: definition.severity,
                    threshold: definition.threshold,
                    parent: nil,
                    rules: []
                )
            )
        }
        children = Array(repeating: [Int](), count: topics.count)
        for (index, definition) in definitions.enumerated() {
            guard let parentID = definition.parent else { continue }
            guard let parent = topicIndex[parentID] else {
                throw AnalyzerConfigError(topic: definition.id, message: "unknown parent topic '\(parentID)'")
            }
            topics[index].parent = parent
            children[parent].append(index)
        }
        childrenFirst = try Self.orderChildrenFirst(topics)
        clauses = ClauseSplitter(vocabulary: &vocabulary)

        for (topic, definition) in definitions.enumerated() {
            try compileTopic(topic, definition, hasChildren: !children[topic].isEmpty, entities, &vocabulary)
        }
    }

    private mutating func compileTopic(
        _ topic: Int,
        _ definition: TopicDefinition,
        hasChildren: Bool,
        _ entities: [String: (index: Int, type: String)],
        _ vocabulary: inout Vocabulary
    ) throws(AnalyzerConfigError) {
        guard !definition.rules.isEmpty || hasChildren else {
            throw AnalyzerConfigError(topic: definition.id, message: "a topic needs rules or child topics")
        }
        for (terms, wholeSentence) in [(definition.exclusions, false), (definition.sentenceExclusions, true)] {
            for term in terms {
                try addTerm(
                    term,
                    target: .topicExclusion(topic: Int32(topic), wholeSentence: wholeSentence),
                    topic: definition.id,
                    rule: nil,
                    &vocabulary
                )
            }
        }
        var ruleIDs: Set<String> = []
        for ruleDefinition in definition.rules {
            let ruleID = ruleDefinition.id
            func failure(_ message: String) -> AnalyzerConfigError {
                AnalyzerConfigError(topic: definition.id, rule: ruleID, message: message)
            }
            guard !ruleID.isEmpty else { throw failure("a rule has an empty id") }
            guard ruleIDs.insert(ruleID).inserted else { throw failure("duplicate rule id") }
            guard ruleDefinition.weight > 0, ruleDefinition.weight.isFinite else {
                throw failure("weight must be a positive number")
            }
            guard !ruleDefinition.groups.isEmpty else { throw failure("a rule needs at least one group") }
            if let near = ruleDefinition.near, near < 0 { throw failure("near must not be negative") }
            guard !ruleDefinition.locations.isEmpty else { throw failure("'where' must list at least one place") }
            let rule = Int32(rules.count)
            rules.append(
                Rule(
                    topic: topic,
                    id: ruleID,
                    weight: ruleDefinition.weight,
                    groupCount: ruleDefinition.groups.count,
                    near: ruleDefinition.near,
                    locationBits: ruleDefinition.locations.reduce(0) { $0 | Rule.bit($1) }
                )
            )
            topics[topic].rules.append(Int(rule))
            for (groupNumber, group) in ruleDefinition.groups.enumerated() {
                let target = Target.group(rule: rule, group: Int32(groupNumber))
                guard !group.terms.isEmpty || !group.entities.isEmpty || !group.types.isEmpty else {
                    throw failure("group \(groupNumber + 1) is empty")
                }
                for term in group.terms {
                    try addTerm(term, target: target, topic: definition.id, rule: ruleID, &vocabulary)
                }
                for entity in group.entities {
                    guard let found = entities[entity] else { throw failure("unknown entity '\(entity)'") }
                    targetsByEntity[found.index, default: []].append(target)
                }
                for type in group.types {
                    guard EntityDefinition.types.contains(type) else { throw failure("unknown entity type '\(type)'") }
                    targetsByEntityType[type, default: []].append(target)
                }
            }
            for (terms, wholeSentence) in [
                (ruleDefinition.exclusions, false), (ruleDefinition.sentenceExclusions, true),
            ] {
                for term in terms {
                    try addTerm(
                        term,
                        target: .ruleExclusion(rule: rule, wholeSentence: wholeSentence),
                        topic: definition.id,
                        rule: ruleID,
                        &vocabulary
                    )
                }
            }
        }
    }

    private mutating func addTerm(
        _ term: String,
        target: Target,
        topic: String,
        rule: String?,
        _ vocabulary: inout Vocabulary
    ) throws(AnalyzerConfigError) {
        let exact = term.hasPrefix("=")
        for spelling in SpellingVariants.expand(exact ? String(term.dropFirst()) : term) {
            guard let keys = vocabulary.termKeys(of: exact ? "=" + spelling : spelling) else {
                throw AnalyzerConfigError(topic: topic, rule: rule, message: "term '\(term)' has no words")
            }
            let phrase = Int(phrases.add(keys))
            if phrase == targetsByPhrase.count { targetsByPhrase.append([]) }
            if !targetsByPhrase[phrase].contains(target) { targetsByPhrase[phrase].append(target) }
        }
    }

    private static func orderChildrenFirst(_ topics: [Topic]) throws(AnalyzerConfigError) -> [Int] {
        var depth = Array(repeating: 0, count: topics.count)
        for start in topics.indices {
            var seen: Set<Int> = [start]
            var current = start
            var steps = 0
            while let parent = topics[current].parent {
                guard seen.insert(parent).inserted else {
                    throw AnalyzerConfigError(
                        topic: topics[start].id,
                        message: "parent chain loops back to '\(topics[parent].id)'"
                    )
                }
                current = parent
                steps += 1
            }
            depth[start] = steps
        }
        return topics.indices.sorted { depth[$0] != depth[$1] ? depth[$0] > depth[$1] : $0 < $1 }
    }

    // MARK: Matching

    fileprivate struct PendingHit {
        var rule: Int32
        var hit: GroupHit
    }

    /// An exclusion term found in a sentence: tokens `start..<end`, vetoing a rule or a whole topic.
    fileprivate struct ExclusionHit {
        /// The rule index, or -1 - topic index for a topic-wide exclusion.
        var scope: Int32
        var start: Int32
        var end: Int32
    }

    /// What the terms and mentions of one sentence contribute, collected before the rules are checked.
    /// (A value passed `inout`, not locals captured by a nested function: those would be boxed.)
    fileprivate struct SentenceHits {
        var pending: [PendingHit] = []
        var clauseExclusions: [ExclusionHit] = []
        var vetoedRules: [Int32: ExclusionHit] = [:]
        var vetoedTopics: [Int32: ExclusionHit] = [:]

        mutating func reset() {
            pending.removeAll(keepingCapacity: true)
            clauseExclusions.removeAll(keepingCapacity: true)
            if !vetoedRules.isEmpty { vetoedRules.removeAll(keepingCapacity: true) }
            if !vetoedTopics.isEmpty { vetoedTopics.removeAll(keepingCapacity: true) }
        }

        mutating func record(_ targets: [Target], start: Int, end: Int, future: Bool) {
            for target in targets {
                switch target {
                case .group(let rule, let group):
                    pending.append(
                        PendingHit(
                            rule: rule,
                            hit: GroupHit(group: group, start: Int32(start), end: Int32(end), future: future)
                        )
                    )
                case .ruleExclusion(let rule, let wholeSentence):
                    let hit = ExclusionHit(scope: rule, start: Int32(start), end: Int32(end))
                    if wholeSentence {
                        vetoedRules[rule] = vetoedRules[rule] ?? hit
                    } else {
                        clauseExclusions.append(hit)
                    }
                case .topicExclusion(let topic, let wholeSentence):
                    let hit = ExclusionHit(scope: -1 - topic, start: Int32(start), end: Int32(end))
                    if wholeSentence {
                        vetoedTopics[topic] = vetoedTopics[topic] ?? hit
                    } else {
                        clauseExclusions.append(hit)
                    }
                }
            }
        }
    }

    /// The working buffers of `match`, kept from sentence to sentence and from field to field of one analysis,
    /// so that they grow once per article rather than once per sentence.
    struct Scratch {
        fileprivate var found = SentenceHits()
        fileprivate var clauseOfToken: [Int32] = []
        /// One rule's hits in a sentence, less those an exclusion takes out.
        fileprivate var hits: [GroupHit] = []

        /// Buffers with room for a typical article's hits.
        init() {
            found.pending.reserveCapacity(32)
            hits.reserveCapacity(16)
        }
    }

    /// Appends to `results` every rule satisfied in each sentence of `field`. `mentions` are the field's entity
    /// mentions. When `vetoes` is not nil, each rule that would have matched but for an exclusion is appended to it.
    func match(
        _ field: PreparedField,
        mentions: ArraySlice<EntityMentionSpan>,
        entityTypes: [String],
        scratch: inout Scratch,
        into results: inout [SentenceMatch],
        vetoes: inout [RuleVeto]?
    ) {
        var mentionCursor = mentions.startIndex
        // A local, so the closure below does not capture a copy of the whole matcher.
        let phrases = phrases
        for (sentenceIndex, sentence) in field.sentences.enumerated() {
            scratch.found.reset()
            // Through a buffer: a captured array would be retained and released around every token's call.
            targetsByPhrase.withUnsafeBufferPointer { targetsByPhrase in
                for start in sentence.tokens {
                    phrases.forEachMatch(in: field, at: start, limit: sentence.tokenEnd) { phrase, end, future in
                        scratch.found.record(targetsByPhrase[Int(phrase)], start: start, end: end, future: future)
                    }
                }
            }
            while mentionCursor < mentions.endIndex, mentions[mentionCursor].tokenStart < sentence.tokenEnd {
                let mention = mentions[mentionCursor]
                mentionCursor += 1
                guard mention.tokenStart >= sentence.tokenStart, !mention.adjective else { continue }
                let start = Int(mention.tokenStart)
                let end = Int(mention.tokenEnd)
                if let targets = targetsByEntity[Int(mention.entity)] {
                    scratch.found.record(targets, start: start, end: end, future: false)
                }
                if let targets = targetsByEntityType[entityTypes[Int(mention.entity)]] {
                    scratch.found.record(targets, start: start, end: end, future: false)
                }
            }
            guard !scratch.found.pending.isEmpty else { continue }
            scratch.found.pending.sort {
                ($0.rule, $0.hit.group, $0.hit.start) < ($1.rule, $1.hit.group, $1.hit.start)
            }
            let pending = scratch.found.pending
            let clauseExclusions = scratch.found.clauseExclusions
            if !clauseExclusions.isEmpty {
                clauses.assign(field, sentence, into: &scratch.clauseOfToken)
            }
            let location = Rule.bit(field.location(ofSentence: sentenceIndex))
            let clauseOfToken = scratch.clauseOfToken
            var index = 0
            while index < pending.count {
                let rule = pending[index].rule
                var end = index
                while end < pending.count, pending[end].rule == rule { end += 1 }
                defer { index = end }
                // Most rules seen in a sentence have hits for only some groups: skip them before anything else.
                var groupsSeen: UInt64 = 0
                for position in index..<end { groupsSeen |= 1 << UInt64(min(63, pending[position].hit.group)) }
                guard groupsSeen.nonzeroBitCount >= min(rules[Int(rule)].groupCount, 64) else { continue }
                let definition = rules[Int(rule)]
                let topicScope = -1 - Int32(definition.topic)
                guard definition.locationBits & location != 0 else { continue }
                var veto = scratch.found.vetoedRules[rule] ?? scratch.found.vetoedTopics[Int32(definition.topic)]
                // A sentence-wide veto leaves no hit; an exclusion takes out every hit that shares its clause, and
                // the rule may still match elsewhere.
                scratch.hits.removeAll(keepingCapacity: true)
                if veto == nil {
                    for position in index..<end {
                        let hit = pending[position].hit
                        if !clauseExclusions.isEmpty {
                            let first = sentence.tokenStart
                            let clause = clauseOfToken[Int(hit.start) - first]
                            if let blocker = clauseExclusions.first(where: { exclusion in
                                (exclusion.scope == rule || exclusion.scope == topicScope)
                                    && (clauseOfToken[Int(exclusion.start) - first] == clause
                                        || clauseOfToken[Int(exclusion.end) - 1 - first] == clause)
                            }) {
                                veto = veto ?? blocker
                                continue
                            }
                        }
                        scratch.hits.append(hit)
                    }
                }
                if let window = bestWindow(scratch.hits, definition) {
                    results.append(
                        SentenceMatch(rule: Int(rule), field: field.name, sentence: sentenceIndex, hits: window)
                    )
                } else if vetoes != nil, let blocker = veto,
                    let window = bestWindow(pending[index..<end].map(\.hit), definition)
                {
                    vetoes?.append(
                        RuleVeto(
                            match: SentenceMatch(
                                rule: Int(rule), field: field.name, sentence: sentenceIndex, hits: window),
                            exclusion: Int(blocker.start)..<Int(blocker.end),
                            wholeSentence: scratch.found.vetoedRules[rule] != nil
                                || scratch.found.vetoedTopics[Int32(definition.topic)] != nil
                        )
                    )
                }
            }
        }
    }

    /// The tightest choice of one non-overlapping hit per group within `near`, or nil. `hits` are sorted
    /// by group, then start (as `match` sorts them).
    private func bestWindow(_ hits: [GroupHit], _ rule: Rule) -> [GroupHit]? {
        // Every group needs a hit: sorted by group, the hits hold each group 0..<groupCount in turn.
        var groups = 0
        for position in hits.indices where position == 0 || hits[position].group != hits[position - 1].group {
            guard Int(hits[position].group) == groups else { return nil }
            groups += 1
        }
        guard groups == rule.groupCount else { return nil }
        // The choice being tried and the best one so far live on the stack; only the answer becomes an array.
        return hits.withUnsafeBufferPointer { hits in
            withUnsafeTemporaryAllocation(of: GroupHit.self, capacity: 2 * groups) { buffer in
                buffer.initialize(repeating: GroupHit(group: 0, start: 0, end: 0, future: false))
                var search = WindowSearch(
                    hits: hits,
                    groupCount: groups,
                    near: rule.near,
                    chosen: UnsafeMutableBufferPointer(rebasing: buffer[..<groups]),
                    best: UnsafeMutableBufferPointer(rebasing: buffer[groups...])
                )
                search.search(0, 0, 0, 0)
                return search.bestSpan == Int.max ? nil : Array(search.best)
            }
        }
    }

    /// The depth-first search of `bestWindow`: one group at a time, pruned by the best span found so far.
    private struct WindowSearch {
        let hits: UnsafeBufferPointer<GroupHit>
        let groupCount: Int
        let near: Int?
        /// `chosen[..<group]` holds the hits chosen for the groups before `group`.
        let chosen: UnsafeMutableBufferPointer<GroupHit>
        let best: UnsafeMutableBufferPointer<GroupHit>
        /// `Int.max` until a choice is found.
        var bestSpan = Int.max

        /// Tries each hit of `group`, whose hits start at `first`.
        mutating func search(_ group: Int, _ first: Int, _ low: Int32, _ high: Int32) {
            let span = group == 0 ? 0 : Int(high - low)
            if span >= bestSpan { return }
            if let near, span > near { return }
            if group == groupCount {
                _ = best.update(fromContentsOf: chosen)
                bestSpan = span
                return
            }
            var next = first
            while next < hits.count, Int(hits[next].group) == group { next += 1 }
            // At most `maximumHitsPerGroup` candidates per group, a repeat of the same span once.
            var tried = 0
            for position in first..<next where tried < RuleMatcher.maximumHitsPerGroup {
                let hit = hits[position]
                if position > first, hits[position - 1].start == hit.start, hits[position - 1].end == hit.end {
                    continue
                }
                tried += 1
                if chosen[..<group].contains(where: { $0.start < hit.end && hit.start < $0.end }) { continue }
                chosen[group] = hit
                search(
                    group + 1,
                    next,
                    group == 0 ? hit.start : min(low, hit.start),
                    group == 0 ? hit.start : max(high, hit.start)
                )
            }
        }
    }
}

/// A rule that matched a sentence but was vetoed by an exclusion term (for `explain`).
struct RuleVeto: Sendable {
    /// The match the rule would have made.
    var match: SentenceMatch
    /// Tokens of the exclusion term that vetoed it.
    var exclusion: Range<Int>
    /// Whether the term vetoes the whole sentence (`not_in_sentence`) rather than its clause.
    var wholeSentence: Bool
}
