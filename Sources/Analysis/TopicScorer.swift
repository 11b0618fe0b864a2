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

    private struct Candidate {
        var evidence: Evidence
        var sortKey: (Int, Int)
        /// The weight of the rule behind it: the heaviest rule names a sentence matched by several.
        var weight: Double
    }

    func topics(from matches: [SentenceMatch], fields: [PreparedField]) -> [TopicMatch] {
        let topics = matcher.topics
        var sentencesByRule: [Int: [SentenceMatch]] = [:]
        for match in matches {
            let already = sentencesByRule[match.rule]?.contains {
                $0.field == match.field && $0.sentence == match.sentence
            }
            if already != true { sentencesByRule[match.rule, default: []].append(match) }
        }

        var ownScore = Array(repeating: 0.0, count: topics.count)
        var ownEvidence = Array(repeating: [Candidate](), count: topics.count)
        for (rule, ruleMatches) in sentencesByRule {
            let definition = matcher.rules[rule]
            let repeats = min(ruleMatches.count - 1, Self.maximumRepeats)
            ownScore[definition.topic] += definition.weight * (1 + Self.repeatBonus * Double(repeats))
            for match in ruleMatches {
                guard let field = fields.first(where: { $0.name == match.field }) else { continue }
                ownEvidence[definition.topic].append(makeCandidate(match, in: field))
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
            let chosen = selectEvidence(evidence[index])
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

    private func makeCandidate(_ match: SentenceMatch, in field: PreparedField) -> Candidate {
        let sentence = field.sentences[match.sentence]
        let terms = match.hits
            .sorted { $0.start < $1.start }
            .map { field.originalText(ofTokens: Int($0.start)..<Int($0.end)) }
        let mood = modality.modality(in: field, sentence: sentence, trigger: match.hits[0])
        return Candidate(
            evidence: Evidence(
                text: field.text.originalText(sentence.originalStart, sentence.originalEnd),
                start: sentence.originalStart,
                end: sentence.originalEnd,
                terms: terms,
                field: field.name.rawValue,
                rule: matcher.rules[match.rule].id,
                modality: mood
            ),
            sortKey: (field.name == .title ? 0 : 1, sentence.originalStart),
            weight: matcher.rules[match.rule].weight
        )
    }

    /// One evidence per sentence (terms merged), title first then text order, at most `maximumEvidence`.
    private func selectEvidence(_ candidates: [Candidate]) -> [Evidence] {
        let ordered = candidates.sorted { $0.sortKey != $1.sortKey ? $0.sortKey < $1.sortKey : $0.weight > $1.weight }
        var chosen: [Evidence] = []
        for candidate in ordered {
            if let index = chosen.firstIndex(where: {
                $0.field == candidate.evidence.field && $0.start == candidate.evidence.start
            }) {
                for term in candidate.evidence.terms where !chosen[index].terms.contains(term) {
                    chosen[index].terms.append(term)
                }
                continue
            }
            guard chosen.count < Self.maximumEvidence else { continue }
            chosen.append(candidate.evidence)
        }
        return chosen
    }
}
