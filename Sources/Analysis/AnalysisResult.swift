/// How a sentence frames an event: reported, planned, demanded, refused, threatened or done.
public enum Modality: String, Sendable, Codable {
    /// The default: the event is reported without a modal cue.
    case reportedFact = "reported_fact"
    /// Announced, planned or agreed ("will withdraw", "ستغادر", "في غضون").
    case intent
    /// Called for or demanded ("calls for", "يطالب").
    case demand
    /// Refused, denied or ruled out ("rules out", "لن", "نفى").
    case refusal
    /// Threatened or warned of ("threatens", "هدد").
    case threat
    /// Reported as finished ("completed the withdrawal", "أكملت").
    case completed
}

/// One sentence that supports a topic match, located in its field.
public struct Evidence: Sendable, Codable, Equatable {
    /// The sentence as it appears in the original field.
    public var text: String
    /// Offset of the sentence's first Unicode scalar in the field.
    public var start: Int
    /// Offset one past the sentence's last Unicode scalar in the field.
    public var end: Int
    /// The matched words as they appear in the original text, in sentence order.
    public var terms: [String]
    /// "title" or "text".
    public var field: String
    /// The rule that matched this sentence (the first one, when several did).
    public var rule: String
    /// The modality read around the rule's trigger in this sentence.
    public var modality: Modality

    /// Creates evidence; `rule` and `modality` default to an anonymous reported fact.
    public init(
        text: String,
        start: Int,
        end: Int,
        terms: [String],
        field: String,
        rule: String = "",
        modality: Modality = .reportedFact
    ) {
        self.text = text
        self.start = start
        self.end = end
        self.terms = terms
        self.field = field
        self.rule = rule
        self.modality = modality
    }
}

/// A topic whose rules reached its threshold in an article.
public struct TopicMatch: Sendable, Codable, Equatable {
    /// The topic id from the rule file.
    public var id: String
    /// Sum of the weights of the topic's matching rules (or the best child's score for a parent).
    public var score: Double
    /// The topic's severity from the rule file ("low", "medium", "high" or "critical").
    public var severity: String
    /// The modality of the first evidence sentence (the title's, when the title matched).
    public var modality: Modality
    /// Up to three supporting sentences, title first, then in text order.
    public var evidence: [Evidence]

    /// Creates a topic match.
    public init(id: String, score: Double, severity: String, modality: Modality, evidence: [Evidence]) {
        self.id = id
        self.score = score
        self.severity = severity
        self.modality = modality
        self.evidence = evidence
    }
}

/// Where one gazetteer entity is named in the article.
public struct EntityMention: Sendable, Codable, Equatable {
    /// The words as written in the original field (clitics included, e.g. "بالعراق").
    public var text: String
    /// Offset of the first Unicode scalar in the field.
    public var start: Int
    /// Offset one past the last Unicode scalar in the field.
    public var end: Int
    /// "title" or "text".
    public var field: String
    /// "high" for an exact name match, "low" for a spelling-variant or one-typo match.
    public var confidence: String

    /// Creates a mention.
    public init(text: String, start: Int, end: Int, field: String, confidence: String) {
        self.text = text
        self.start = start
        self.end = end
        self.field = field
        self.confidence = confidence
    }
}

/// A gazetteer entity found in the article, with every mention.
public struct EntityMatch: Sendable, Codable, Equatable {
    /// The entity id from the gazetteer.
    public var id: String
    /// person, group, place, organization or country.
    public var type: String
    /// The display name.
    public var name: String
    /// Mentions, title first, then in text order.
    public var mentions: [EntityMention]

    /// Creates an entity match.
    public init(id: String, type: String, name: String, mentions: [EntityMention]) {
        self.id = id
        self.type = type
        self.name = name
        self.mentions = mentions
    }
}

/// A counted amount with its unit, e.g. 5000 soldiers or 3 years.
public struct Quantity: Sendable, Codable, Equatable {
    /// The numeric value (duals count as 2, "عشرات" / "dozens" as a vague lower figure).
    public var value: Double
    /// Canonical unit: soldiers, killed, wounded, rockets, drones, shells, years, months, weeks, days,
    /// dollars, barrels or percent.
    public var unit: String
    /// The number and unit as written in the original field.
    public var text: String
    /// Offset of the first Unicode scalar in the field.
    public var start: Int
    /// Offset one past the last Unicode scalar in the field.
    public var end: Int
    /// "title" or "text".
    public var field: String
    /// True when the figure is hedged ("حوالي", "more than") or vague ("عشرات", "dozens").
    public var approximate: Bool

    /// Creates a quantity.
    public init(
        value: Double,
        unit: String,
        text: String,
        start: Int,
        end: Int,
        field: String,
        approximate: Bool = false
    ) {
        self.value = value
        self.unit = unit
        self.text = text
        self.start = start
        self.end = end
        self.field = field
        self.approximate = approximate
    }
}

/// Everything the analyzer found in one article.
public struct Analysis: Sendable, Codable, Equatable {
    /// "ar" or "en".
    public var language: String
    /// Topics that reached their threshold, highest score first.
    public var topics: [TopicMatch]
    /// Gazetteer entities in order of first mention.
    public var entities: [EntityMatch]
    /// Quantities in order of appearance, title first; each mention once.
    public var quantities: [Quantity]
    /// A signature for clustering reports of one story: SimHash of the word shingles plus the entity ids and
    /// (value, unit) pairs. An analysis encoded before this field existed decodes with `Fingerprint.empty`.
    public var fingerprint: Fingerprint

    /// Creates an analysis result.
    public init(
        language: String,
        topics: [TopicMatch],
        entities: [EntityMatch],
        quantities: [Quantity],
        fingerprint: Fingerprint = .empty
    ) {
        self.language = language
        self.topics = topics
        self.entities = entities
        self.quantities = quantities
        self.fingerprint = fingerprint
    }

    private enum CodingKeys: String, CodingKey { case language, topics, entities, quantities, fingerprint }

    /// Decodes an analysis; a missing `fingerprint` (stored by an older version) becomes `Fingerprint.empty`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        language = try container.decode(String.self, forKey: .language)
        topics = try container.decode([TopicMatch].self, forKey: .topics)
        entities = try container.decode([EntityMatch].self, forKey: .entities)
        quantities = try container.decode([Quantity].self, forKey: .quantities)
        fingerprint = try container.decodeIfPresent(Fingerprint.self, forKey: .fingerprint) ?? .empty
    }
}
