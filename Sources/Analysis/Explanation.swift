/// One rule that matched (or was vetoed in) one sentence, as `Analyzer.explain` reports it.
public struct RuleTrace: Sendable, Codable, Equatable {
    /// The topic the rule belongs to.
    public var topic: String
    /// The rule id.
    public var rule: String
    /// The rule's weight (added to the topic score once, plus a small bonus per extra sentence).
    public var weight: Double
    /// "title" or "text".
    public var field: String
    /// "title", "lead" (first two sentences of the text) or "body".
    public var location: String
    /// The sentence, as in the original field.
    public var sentence: String
    /// Offset of the sentence's first Unicode scalar in the field.
    public var start: Int
    /// Offset one past the sentence's last Unicode scalar in the field.
    public var end: Int
    /// The words that matched each group of the rule, in group order (the first is the trigger).
    public var terms: [String]
    /// The modality read around the trigger.
    public var modality: Modality
    /// The exclusion term that vetoed the match, or nil when the match counted.
    public var vetoedBy: String?
    /// "clause" or "sentence": how far the vetoing exclusion reaches; nil when not vetoed.
    public var vetoScope: String?

    /// Creates a trace.
    public init(
        topic: String,
        rule: String,
        weight: Double,
        field: String,
        location: String,
        sentence: String,
        start: Int,
        end: Int,
        terms: [String],
        modality: Modality,
        vetoedBy: String? = nil,
        vetoScope: String? = nil
    ) {
        self.topic = topic
        self.rule = rule
        self.weight = weight
        self.field = field
        self.location = location
        self.sentence = sentence
        self.start = start
        self.end = end
        self.terms = terms
        self.modality = modality
        self.vetoedBy = vetoedBy
        self.vetoScope = vetoScope
    }
}

/// A topic as compiled: what `explain` output needs to say why a topic did or did not fire.
public struct TopicSummary: Sendable, Equatable {
    /// The topic id.
    public var id: String
    /// The human-readable title.
    public var title: String
    /// The score at which the topic fires.
    public var threshold: Double
    /// The umbrella topic it rolls up to, if any.
    public var parent: String?
}

/// The result of `Analyzer.explain`: the analysis and the rule traces behind it, title first, in text order.
public struct Explanation: Sendable {
    /// What `analyze` returns for the same article.
    public var analysis: Analysis
    /// Every rule match and every vetoed match.
    public var traces: [RuleTrace]
}

extension TopicScorer {
    /// Describes one sentence match (or vetoed match) for `explain`.
    func trace(_ match: SentenceMatch, in field: PreparedField, veto: RuleVeto?) -> RuleTrace {
        let sentence = field.sentences[match.sentence]
        let rule = matcher.rules[match.rule]
        return RuleTrace(
            topic: matcher.topics[rule.topic].id,
            rule: rule.id,
            weight: rule.weight,
            field: field.name.rawValue,
            location: field.location(ofSentence: match.sentence).rawValue,
            sentence: field.text.originalText(sentence.originalStart, sentence.originalEnd),
            start: sentence.originalStart,
            end: sentence.originalEnd,
            terms: match.hits.map { field.originalText(ofTokens: Int($0.start)..<Int($0.end)) },
            modality: modality.modality(in: field, sentence: sentence, trigger: match.hits[0]),
            vetoedBy: veto.map { field.originalText(ofTokens: $0.exclusion) },
            vetoScope: veto.map { $0.wholeSentence ? "sentence" : "clause" }
        )
    }
}
