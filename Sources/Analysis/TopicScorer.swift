/// Turns sentence-level rule matches into scored topics with evidence, and propagates children to parents.
///
/// A topic's score is the sum of the weights of its rules that matched anywhere in the article; a rule
/// that matched in several sentences earns 10% of its weight per extra sentence, at most 30%. A parent
/// fires when its own score reaches its threshold or any child fires, and scores the best of those.
struct TopicScorer {
    static let maximumEvidence = 3
    static let repeatBonus = 0.1
    static let maximumRepeats = 3

    let matcher: RuleMatcher
    let modality: ModalityDetector

    /// A topic's own score (from its rules), whether it fired (on that score or through a child), and its score.
    private struct TopicState {
        var ownScore = 0.0
        var ownFired = false
        var fired = false
        var score = 0.0
    }

    /// A sentence match that may become evidence; its texts and modality are read only if it is chosen.
    private struct Candidate {
        /// Index of the match in `matches` (an index, so candidates copy without retaining its hits).
        var match: Int
        /// The topic of the match's rule.
        var topic: Int
        /// Index of the match's field in `fields`.
        var field: Int
        var sortKey: (Int, Int)
        /// The weight of the rule behind it: the heaviest rule names a sentence matched by several.
        var weight: Double
    }

    func topics(from matches: [SentenceMatch], fields: [PreparedField]) -> [TopicMatch] {
        // Most articles match no rule; then nothing fires (a parent fires only through a child's matches).
        guard !matches.isEmpty else { return [] }
        let topics = matcher.topics
        // Grouped by rule (in match order within a rule), so rules are visited in rule-file order: evidence
        // ties (same sentence, same weight) and score sums come out the same on every run.
        let byRule = matches.indices.sorted { (matches[$0].rule, $0) < (matches[$1].rule, $1) }

        var state = Array(repeatElement(TopicState(), count: topics.count))  // (see `PreparedField.init`)
        var candidates: [Candidate] = []
        candidates.reserveCapacity(matches.count)
        var ruleMatches: [Int] = []
        ruleMatches.reserveCapacity(matches.count)
        var position = 0
        while position < byRule.count {
            let rule = matches[byRule[position]].rule
            // The rule's matches, one per sentence.
            ruleMatches.removeAll(keepingCapacity: true)
            while position < byRule.count, matches[byRule[position]].rule == rule {
                let match = byRule[position]
                position += 1
                let already = ruleMatches.contains {
                    matches[$0].field == matches[match].field && matches[$0].sentence == matches[match].sentence
                }
                if !already { ruleMatches.append(match) }
            }
            let definition = matcher.rules[rule]
            let repeats = min(ruleMatches.count - 1, Self.maximumRepeats)
            state[definition.topic].ownScore += definition.weight * (1 + Self.repeatBonus * Double(repeats))
            for index in ruleMatches {
                let match = matches[index]
                guard let field = fields.firstIndex(where: { $0.name == match.field }) else { continue }
                let sentence = fields[field].sentences[match.sentence]
                candidates.append(
                    Candidate(
                        match: index,
                        topic: definition.topic,
                        field: field,
                        sortKey: (match.field == .title ? 0 : 1, sentence.originalStart),
                        weight: definition.weight
                    )
                )
            }
        }

        // Children come before parents, so a parent has collected every fired child when it is visited.
        // A topic's own matches below its threshold are not evidence, even when a child fires.
        for topic in matcher.childrenFirst {
            if state[topic].ownScore >= topics[topic].threshold - 1e-9 {
                state[topic].ownFired = true
                state[topic].fired = true
                state[topic].score = max(state[topic].score, state[topic].ownScore)
            }
            guard state[topic].fired, let parent = topics[topic].parent else { continue }
            state[parent].fired = true
            state[parent].score = max(state[parent].score, state[topic].score)
        }
        // A topic's evidence: its fired children's (in index order, recursively), then its own if it fired on
        // its own score. (The order decides ties in `selectEvidence`.)
        func collect(_ topic: Int, into evidence: inout [Candidate]) {
            for child in matcher.children[topic] where state[child].fired { collect(child, into: &evidence) }
            if state[topic].ownFired {
                for candidate in candidates where candidate.topic == topic { evidence.append(candidate) }
            }
        }
        // Appended in topic order; the stable sort below keeps that order among equal scores.
        var results: [TopicMatch] = []
        results.reserveCapacity(state.count(where: \.fired))
        var evidence: [Candidate] = []
        evidence.reserveCapacity(candidates.count)
        // A parent's evidence repeats its children's: each match's evidence is built once.
        var made = Array(repeatElement(Evidence?.none, count: matches.count))  // (see `PreparedField.init`)
        for index in topics.indices where state[index].fired {
            let topic = topics[index]
            evidence.removeAll(keepingCapacity: true)
            collect(index, into: &evidence)
            let chosen = selectEvidence(&evidence, matches: matches, fields: fields, made: &made)
            guard let first = chosen.first else { continue }
            results.append(
                TopicMatch(
                    id: topic.id,
                    score: (state[index].score * 1000).rounded() / 1000,
                    severity: topic.severity,
                    modality: first.modality,
                    evidence: chosen
                )
            )
        }
        results.sort { $0.score > $1.score }
        return results
    }

    /// Calls `body` with the hits of `match` in text order (by start; the sort is stable), sorting a copy on
    /// the stack: a match has a hit per group of its rule, a handful.
    private func forEachHitInTextOrder(_ match: SentenceMatch, _ body: (GroupHit) -> Void) {
        match.hits.withUnsafeBufferPointer { hits in
            withUnsafeTemporaryAllocation(of: GroupHit.self, capacity: hits.count) { buffer in
                var buffer = buffer
                _ = buffer.initialize(fromContentsOf: hits)
                buffer.sort { $0.start < $1.start }
                for hit in buffer { body(hit) }
            }
        }
    }

    /// The evidence for one chosen match: its sentence, terms and modality.
    private func makeEvidence(_ match: SentenceMatch, in field: PreparedField) -> Evidence {
        let sentence = field.sentences[match.sentence]
        var terms: [String] = []
        terms.reserveCapacity(match.hits.count)
        forEachHitInTextOrder(match) { hit in
            terms.append(field.originalText(ofTokens: Int(hit.start)..<Int(hit.end)))
        }
        return Evidence(
            text: field.text.originalText(sentence.originalStart, sentence.originalEnd),
            start: sentence.originalStart,
            end: sentence.originalEnd,
            terms: terms,
            field: field.name.rawValue,
            rule: matcher.rules[match.rule].id,
            modality: modality.modality(in: field, sentence: sentence, trigger: match.hits[0])
        )
    }

    /// One evidence per sentence (terms merged), title first then text order, at most `maximumEvidence`.
    /// Texts and modality are built only for the candidates that end up in the chosen sentences (once per
    /// match: `made` keeps them for the other topics of the article). Sorts `candidates` in place.
    private func selectEvidence(
        _ candidates: inout [Candidate],
        matches: [SentenceMatch],
        fields: [PreparedField],
        made: inout [Evidence?]
    ) -> [Evidence] {
        candidates.sort { $0.sortKey != $1.sortKey ? $0.sortKey < $1.sortKey : $0.weight > $1.weight }
        var chosen: [Evidence] = []
        chosen.reserveCapacity(Self.maximumEvidence)
        // Sorted, the candidates of one sentence are adjacent: a sentence already chosen is the last one.
        var lastKey: (Int, Int)?
        for candidate in candidates {
            if let lastKey, lastKey == candidate.sortKey {
                let field = fields[candidate.field]
                forEachHitInTextOrder(matches[candidate.match]) { hit in
                    let term = field.originalText(ofTokens: Int(hit.start)..<Int(hit.end))
                    if !chosen[chosen.count - 1].terms.contains(term) { chosen[chosen.count - 1].terms.append(term) }
                }
                continue
            }
            guard chosen.count < Self.maximumEvidence else { continue }
            let built = made[candidate.match] ?? makeEvidence(matches[candidate.match], in: fields[candidate.field])
            made[candidate.match] = built
            chosen.append(built)
            lastKey = candidate.sortKey
        }
        return chosen
    }
}
