/// The article analyzer: compiles topics and entities once; `analyze` normalizes and tokenizes each field
/// once, then runs the gazetteer, the topic rules, modality and quantities over those tokens.
///
/// Immutable after `init`, so one instance is safely shared by concurrent tasks.
public final class Analyzer: Sendable {
    private let vocabulary: Vocabulary
    private let matcher: RuleMatcher
    private let gazetteer: Gazetteer
    private let modality: ModalityDetector
    private let quantities: QuantityExtractor
    private let entityTypes: [String]
    private let scorer: TopicScorer

    /// Compiles rules and gazetteer; throws on an unknown parent or entity, an empty group, a term with no words...
    public init(topics: [TopicDefinition], entities: [EntityDefinition]) throws(AnalyzerConfigError) {
        var vocabulary = Vocabulary()
        let gazetteer = try Gazetteer(entities: entities, vocabulary: &vocabulary)
        var entityIndex: [String: (index: Int, type: String)] = [:]
        for (index, entry) in gazetteer.entries.enumerated() {
            entityIndex[entry.id] = (index, entry.type)
        }
        matcher = try RuleMatcher(topics: topics, entities: entityIndex, vocabulary: &vocabulary)
        modality = ModalityDetector(vocabulary: &vocabulary)
        quantities = QuantityExtractor(vocabulary: &vocabulary)
        entityTypes = gazetteer.entries.map(\.type)
        scorer = TopicScorer(matcher: matcher, modality: modality)
        self.gazetteer = gazetteer
        self.vocabulary = vocabulary
    }

    /// The topic ids, in rule-file order.
    public var topicIDs: [String] { matcher.topics.map(\.id) }

    /// Analyzes one article. Offsets in the result are Unicode scalar offsets into the original field.
    public func analyze(_ article: Article) -> Analysis {
        run(article, explain: false).analysis
    }

    /// Analyzes one article and reports how: every rule that matched a sentence, and every rule that would
    /// have matched but for an exclusion, with its terms. Slower than `analyze`; meant for people tuning rules.
    public func explain(_ article: Article) -> Explanation {
        let (analysis, traces) = run(article, explain: true)
        return Explanation(analysis: analysis, traces: traces)
    }

    private func run(_ article: Article, explain: Bool) -> (analysis: Analysis, traces: [RuleTrace]) {
        var fields: [PreparedField] = []
        fields.reserveCapacity(2)
        if let title = article.title, !title.isEmpty {
            fields.append(PreparedField(title, name: .title, vocabulary: vocabulary))
        }
        fields.append(PreparedField(article.text, name: .text, vocabulary: vocabulary))

        // One array of each kind for the whole article, each field appending to it.
        var sentenceMatches: [SentenceMatch] = []
        sentenceMatches.reserveCapacity(8)
        var mentions: [EntityMentionSpan] = []
        mentions.reserveCapacity(16)
        var mentionsByField: [Range<Int>] = []
        mentionsByField.reserveCapacity(fields.count)
        var scratch = RuleMatcher.Scratch()
        var found: [Quantity] = []
        var traces: [RuleTrace] = []
        for field in fields {
            let firstMention = mentions.count
            gazetteer.mentions(in: field, vocabulary: vocabulary, into: &mentions)
            mentionsByField.append(firstMention..<mentions.count)
            var vetoes: [RuleVeto]? = explain ? [] : nil
            let firstMatch = sentenceMatches.count
            matcher.match(
                field,
                mentions: mentions[firstMention...],
                entityTypes: entityTypes,
                scratch: &scratch,
                into: &sentenceMatches,
                vetoes: &vetoes
            )
            if explain {
                traces += sentenceMatches[firstMatch...].map { scorer.trace($0, in: field, veto: nil) }
                traces += (vetoes ?? []).map { scorer.trace($0.match, in: field, veto: $0) }
            }
            quantities.quantities(in: field, into: &found)
        }
        let entities = entityMatches(fields: fields, mentions: mentions, byField: mentionsByField)
        let analysis = Analysis(
            language: Self.language(of: article, fields: fields),
            topics: scorer.topics(from: sentenceMatches, fields: fields),
            entities: entities,
            quantities: found,
            fingerprint: Fingerprint(
                simhash: SimHasher.simhash(fields),
                entities: entities.map(\.id),
                quantities: found.map { Fingerprint.QuantityKey(value: $0.value, unit: $0.unit) }
            )
        )
        traces.sort { ($0.field == "title" ? 0 : 1, $0.start, $0.topic) < ($1.field == "title" ? 0 : 1, $1.start, $1.topic) }
        return (analysis, traces)
    }

    /// Topic metadata as compiled: id, threshold, parent; in rule-file order.
    public var topicSummaries: [TopicSummary] {
        matcher.topics.map { topic in
            TopicSummary(
                id: topic.id,
                title: topic.title,
                threshold: topic.threshold,
                parent: topic.parent.map { matcher.topics[$0].id }
            )
        }
    }

    /// The entities of `mentions` in order of first mention, each with its mentions; `byField[i]` are the
    /// mentions in `fields[i]`.
    private func entityMatches(
        fields: [PreparedField],
        mentions: [EntityMentionSpan],
        byField: [Range<Int>]
    ) -> [EntityMatch] {
        guard !mentions.isEmpty else { return [] }
        let entries = gazetteer.entries
        // Per entity, its place in the result (by first mention) and its number of mentions, so that every
        // array is allocated once at its final size. The table spans the whole gazetteer (196 entities in the
        // shipped file): cheaper than hashing at that size; a far larger gazetteer would want a dictionary.
        // (See `PreparedField.init` on `repeatElement`.)
        var entities = Array(repeatElement((place: -1, count: 0), count: entries.count))
        var distinct = 0
        for span in mentions {
            let entity = Int(span.entity)
            if entities[entity].place < 0 {
                entities[entity].place = distinct
                distinct += 1
            }
            entities[entity].count += 1
        }
        var matches: [EntityMatch] = []
        matches.reserveCapacity(distinct)
        for span in mentions where entities[Int(span.entity)].place == matches.count {
            let entry = entries[Int(span.entity)]
            var entityMentions: [EntityMention] = []
            entityMentions.reserveCapacity(entities[Int(span.entity)].count)
            matches.append(EntityMatch(id: entry.id, type: entry.type, name: entry.name, mentions: entityMentions))
        }
        for (field, range) in zip(fields, byField) {
            for span in mentions[range] {
                let tokens = Int(span.tokenStart)..<Int(span.tokenEnd)
                matches[entities[Int(span.entity)].place].mentions.append(
                    EntityMention(
                        text: field.originalText(ofTokens: tokens),
                        start: field.originalStart(ofToken: tokens.lowerBound),
                        end: field.originalEnd(ofToken: tokens.upperBound - 1),
                        field: field.name.rawValue,
                        confidence: span.exact ? "high" : "low"
                    )
                )
            }
        }
        return matches
    }

    /// The declared language when it is Arabic or English, else the majority script of the letters.
    private static func language(of article: Article, fields: [PreparedField]) -> String {
        if let declared = article.language?.lowercased() {
            if declared.hasPrefix("ar") { return "ar" }
            if declared.hasPrefix("en") { return "en" }
        }
        var arabic = 0
        var latin = 0
        for field in fields {
            for token in field.tokens {
                switch token.kind {
                case .arabic: arabic += token.length
                case .latin: latin += token.length
                case .number, .other: break
                }
            }
        }
        return arabic > latin ? "ar" : "en"
    }
}
