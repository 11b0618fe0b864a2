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

    /// A sentence match that may become evidence; its texts and modality are read only if it is chosen.
    private struct Candidate {
        var match: SentenceMatch
        /// Index of the match's field in `fields`.
        var field: Int
        var sortKey: (Int, Int)
        /// The weight of the rule behind it: the heaviest rule names a sentence matched by several.
        var weight: Double
    }

    func topics(from matches: [SentenceMatch], fields: [PreparedField]) -> [TopicMatch] {
        let topics = matcher.topics
        // Indexed by rule, so rules are visited in rule-file order: evidence ties (same sentence, same
        // weight) and score sums come out the same on every run (a dictionary's order changes per process).
        var sentencesByRule = Array(repeating: [SentenceMatch](), count: matcher.rules.count)
        for match in matches {
            let already = sentencesByRule[match.rule].contains {
                $0.field == match.field && $0.sentence == match.sentence
            }
            if !already { sentencesByRule[match.rule].append(match) }
        }

        var ownScore = Array(repeating: 0.0, count: topics.count)
        var ownEvidence = Array(repeating: [Candidate](), count: topics.count)
        for (rule, ruleMatches) in sentencesByRule.enumerated() where !ruleMatches.isEmpty {
            let definition = matcher.rules[rule]
            let repeats = min(ruleMatches.count - 1, Self.maximumRepeats)
            ownScore[definition.topic] += definition.weight * (1 + Self.repeatBonus * Double(repeats))
            for match in ruleMatches {
                guard let field = fields.firstIndex(where: { $0.name == match.field }) else { continue }
                let sentence = fields[field].sentences[match.sentence]
                ownEvidence[definition.topic].append(
                    Candidate(
                        match: match,
                        field: field,
                        sortKey: (match.field == .title ? 0 : 1, sentence.originalStart),
                        weight: definition.weight
                    )
                )
            }
        }

        // Children come before parents, so a parent has collected every fired child when it is visited.
        // A topic's own matches below its threshold are not evidence, even when a child fires.
        var fired = Array(repeating: false, count: topics.count)
        var score = Array(repeating: 0.0, count: topics.count)
        var evidence = Array(repeating: [Candidate](), count: topics.count)
        for topic in matcher.childrenFirst {
            if ownScore[topic] >= topics[topic].threshold - 1e-9 {
                fired[topic] = true
                score[topic] = max(score[topic], ownScore[topic])
                evidence[topic].append(contentsOf: ownEvidence[topic])
            }
            guard fired[topic], let parent = topics[topic].parent else { continue }
            fired[parent] = true
            score[parent] = max(score[parent], score[topic])
            evidence[parent].append(contentsOf: evidence[topic])
        }
        var results: [(order: Int, match: TopicMatch)] = []
        for (index, topic) in topics.enumerated() where fired[index] {
            let chosen = selectEvidence(evidence[index], fields: fields)
            guard let first = chosen.first else { continue }
            results.append(
                (
                    index,
                    TopicMatch(
                        id: topic.id,
                        score: (score[index] * 1000).rounded() / 1000,
                        severity: topic.severity,
                        modality: first.modality,
                        evidence: chosen
                    )
                )
            )
        }
        results.sort { $0.match.score != $1.match.score ? $0.match.score > $1.match.score : $0.order < $1.order }
        return results.map(\.match)
    }

    /// The evidence for one chosen match: its sentence, terms and modality.
    private func makeEvidence(_ match: SentenceMatch, in field: PreparedField) -> Evidence {
        let sentence = field.sentences[match.sentence]
        let terms = match.hits
            .sorted { $0.start < $1.start }
            .map { field.originalText(ofTokens: Int($0.start)..<Int($0.end)) }
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
    /// Texts and modality are built only for the candidates that end up in the chosen sentences.
    private func selectEvidence(_ candidates: [Candidate], fields: [PreparedField]) -> [Evidence] {
        let ordered = candidates.sorted { $0.sortKey != $1.sortKey ? $0.sortKey < $1.sortKey : $0.weight > $1.weight }
        var chosen: [Evidence] = []
        var chosenKeys: [(Int, Int)] = []
        for candidate in ordered {
            if let index = chosenKeys.firstIndex(where: { $0 == candidate.sortKey }) {
                let field = fields[candidate.field]
                for hit in candidate.match.hits.sorted(by: { $0.start < $1.start }) {
                    let term = field.originalText(ofTokens: Int(hit.start)..<Int(hit.end))
                    if !chosen[index].terms.contains(term) { chosen[index].terms.append(term) }
                }
                continue
            }
            guard chosen.count < Self.maximumEvidence else { continue }
            chosen.append(makeEvidence(candidate.match, in: fields[candidate.field]))
            chosenKeys.append(candidate.sortKey)
        }
        return chosen
    }
}
