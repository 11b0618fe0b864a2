// The rule files (Config/topics.yaml and Config/entities.yaml) as Decodable values.
// Every init rejects unknown keys so a typo in a rule file is an error with a path, not a silent no-op.

/// The top level of topics.yaml: `topics: [...]`.
public struct TopicsFile: Decodable, Sendable {
    /// The topic definitions, in file order.
    public var topics: [TopicDefinition]

    /// Creates a topics file from definitions.
    public init(topics: [TopicDefinition]) {
        self.topics = topics
    }

    private enum CodingKeys: String, CodingKey { case topics }

    /// Decodes `topics:`, rejecting any other key.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: ["topics"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        topics = try container.decode([TopicDefinition].self, forKey: .topics)
    }
}

/// One tracked topic: its metadata and the rules whose weights add up to its score.
public struct TopicDefinition: Decodable, Sendable {
    /// The accepted severities, lowest first.
    public static let severities = ["low", "medium", "high", "critical"]

    /// Stable identifier, e.g. "troop-withdrawal".
    public var id: String
    /// Human-readable name; defaults to the id.
    public var title: String
    /// One of `severities`; defaults to "medium".
    public var severity: String
    /// The score at which the topic fires; defaults to 1.0.
    public var threshold: Double
    /// Id of an umbrella topic that fires whenever this one does.
    public var parent: String?
    /// Terms that veto any of this topic's rules in the clause where they occur (YAML key `not`): a match
    /// whose trigger or context word shares a clause with one of these terms is not counted.
    public var exclusions: [String]
    /// Terms that veto any of this topic's rules in the whole sentence where they occur (YAML key
    /// `not_in_sentence`), for domain words such as a football match that color every clause.
    public var sentenceExclusions: [String]
    /// The topic's rules; may be empty for a pure umbrella topic.
    public var rules: [RuleDefinition]

    /// Creates a topic definition.
    public init(
        id: String,
        title: String? = nil,
        severity: String = "medium",
        threshold: Double = 1.0,
        parent: String? = nil,
        exclusions: [String] = [],
        sentenceExclusions: [String] = [],
        rules: [RuleDefinition]
    ) {
        self.id = id
        self.title = title ?? id
        self.severity = severity
        self.threshold = threshold
        self.parent = parent
        self.exclusions = exclusions
        self.sentenceExclusions = sentenceExclusions
        self.rules = rules
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, severity, threshold, parent, rules
        case exclusions = "not"
        case sentenceExclusions = "not_in_sentence"
    }

    /// Decodes a topic, rejecting unknown keys and severities outside `severities`.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: [
            "id", "title", "severity", "threshold", "parent", "not", "not_in_sentence", "rules",
        ])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decodeIfPresent(String.self, forKey: .title) ?? id
        severity =
            container.contains(.severity)
            ? try container.decodeChoice(forKey: .severity, allowed: Self.severities) : "medium"
        threshold = try container.decodeIfPresent(Double.self, forKey: .threshold) ?? 1.0
        parent = try container.decodeIfPresent(String.self, forKey: .parent)
        exclusions = try container.decodeList(String.self, forKey: .exclusions)
        sentenceExclusions = try container.decodeList(String.self, forKey: .sentenceExclusions)
        rules = try container.decodeList(RuleDefinition.self, forKey: .rules)
    }
}

/// Where in an article a rule may match.
public enum RuleLocation: String, Decodable, Sendable, CaseIterable {
    /// The headline.
    case title
    /// The first two sentences of the text.
    case lead
    /// The text after the lead.
    case body
}

/// One co-occurrence rule: every group must match in the same sentence, within `near` tokens.
public struct RuleDefinition: Decodable, Sendable {
    /// Identifier, unique within its topic; reported in evidence.
    public var id: String
    /// What the rule adds to the topic score; defaults to 1.0.
    public var weight: Double
    /// The groups that must all match (YAML `all:`; a rule-level `any:` is shorthand for one group).
    /// The first group is the trigger: modality is read around it.
    public var groups: [TermGroup]
    /// Maximum distance in tokens between the groups' matches; `nil` means anywhere in the sentence.
    public var near: Int?
    /// Terms that veto this rule in the clause where they occur (YAML key `not`).
    public var exclusions: [String]
    /// Terms that veto this rule in the whole sentence where they occur (YAML key `not_in_sentence`).
    public var sentenceExclusions: [String]
    /// Where the rule may match; defaults to everywhere.
    public var locations: [RuleLocation]

    /// Creates a rule.
    public init(
        id: String,
        weight: Double = 1.0,
        groups: [TermGroup],
        near: Int? = nil,
        exclusions: [String] = [],
        sentenceExclusions: [String] = [],
        locations: [RuleLocation] = RuleLocation.allCases
    ) {
        self.id = id
        self.weight = weight
        self.groups = groups
        self.near = near
        self.exclusions = exclusions
        self.sentenceExclusions = sentenceExclusions
        self.locations = locations
    }

    private enum CodingKeys: String, CodingKey {
        case id, weight, all, any, near
        case exclusions = "not"
        case sentenceExclusions = "not_in_sentence"
        case locations = "where"
    }

    /// Decodes a rule; exactly one of `all` and `any` must be present.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: [
            "id", "weight", "all", "any", "near", "not", "not_in_sentence", "where",
        ])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        weight = try container.decodeIfPresent(Double.self, forKey: .weight) ?? 1.0
        near = try container.decodeIfPresent(Int.self, forKey: .near)
        exclusions = try container.decodeList(String.self, forKey: .exclusions)
        sentenceExclusions = try container.decodeList(String.self, forKey: .sentenceExclusions)
        locations = try container.decodeIfPresent([RuleLocation].self, forKey: .locations) ?? RuleLocation.allCases
        switch (container.contains(.all), container.contains(.any)) {
        case (true, false):
            groups = try container.decode([TermGroup].self, forKey: .all)
        case (false, true):
            groups = [TermGroup(terms: try container.decode([String].self, forKey: .any))]
        case (true, true):
            throw DecodingError.dataCorruptedError(
                forKey: .any,
                in: container,
                debugDescription: "a rule has either 'all' (groups) or 'any' (one group), not both"
            )
        case (false, false):
            throw DecodingError.keyNotFound(
                CodingKeys.all,
                DecodingError.Context(
                    codingPath: container.codingPath,
                    debugDescription: "a rule needs 'all' (groups) or 'any' (one group)"
                )
            )
        }
    }
}

/// Alternatives of which one must match: terms (words or phrases), named entities or entity types.
public struct TermGroup: Decodable, Sendable {
    /// Words or phrases (consecutive tokens), matched on normalized light stems (YAML `any:`).
    public var terms: [String]
    /// Gazetteer entity ids whose mentions count as a match.
    public var entities: [String]
    /// Entity types (person, group, place, organization, country) whose mentions count as a match.
    public var types: [String]

    /// Creates a group.
    public init(terms: [String] = [], entities: [String] = [], types: [String] = []) {
        self.terms = terms
        self.entities = entities
        self.types = types
    }

    private enum CodingKeys: String, CodingKey {
        case terms = "any"
        case entities, types
    }

    /// Decodes a group, rejecting unknown keys.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: ["any", "entities", "types"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        terms = try container.decodeList(String.self, forKey: .terms)
        entities = try container.decodeList(String.self, forKey: .entities)
        types = try container.decodeList(String.self, forKey: .types)
    }
}

/// The top level of entities.yaml: `entities: [...]`.
public struct EntitiesFile: Decodable, Sendable {
    /// The gazetteer entries, in file order.
    public var entities: [EntityDefinition]

    /// Creates an entities file from definitions.
    public init(entities: [EntityDefinition]) {
        self.entities = entities
    }

    private enum CodingKeys: String, CodingKey { case entities }

    /// Decodes `entities:`, rejecting any other key.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: ["entities"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entities = try container.decode([EntityDefinition].self, forKey: .entities)
    }
}

/// One gazetteer entry: a person, group, place, organization or country with its names.
public struct EntityDefinition: Decodable, Sendable {
    /// The accepted entity types.
    public static let types = ["person", "group", "place", "organization", "country"]

    /// Stable identifier, e.g. "al_kadhimi".
    public var id: String
    /// One of `types`.
    public var type: String
    /// Display name; defaults to the first English name, else the first Arabic one, else the id.
    public var name: String
    /// Arabic names and spelling variants, written as in print (with ال where it belongs).
    public var arabicNames: [String]
    /// English names and variants.
    public var englishNames: [String]
    /// Adjective (nisba) and people forms that point at the entity, e.g. "تركي" and "الأتراك" or "Turkish"
    /// and "Turks" (YAML key `adj`). An Arabic form ending in ي also matches with ال and with the endings
    /// ة, ين, ون, ان, تين, تان (التركية, الإيرانيين). They are reported as mentions, but a rule's
    /// `entities:` and `types:` count only names, since "the Iraqi minister" is not a mention of Iraq as a place.
    public var adjectives: [String]
    /// Whether single-word names may also match by consonant skeleton and one typo (low confidence).
    public var fuzzy: Bool
    /// Words that must never be taken for this entity by fuzzy matching (e.g. a common word one letter off).
    public var fuzzyExceptions: [String]

    /// Creates an entity definition.
    public init(
        id: String,
        type: String,
        name: String? = nil,
        arabicNames: [String] = [],
        englishNames: [String] = [],
        adjectives: [String] = [],
        fuzzy: Bool = true,
        fuzzyExceptions: [String] = []
    ) {
        self.id = id
        self.type = type
        self.name = name ?? englishNames.first ?? arabicNames.first ?? id
        self.arabicNames = arabicNames
        self.englishNames = englishNames
        self.adjectives = adjectives
        self.fuzzy = fuzzy
        self.fuzzyExceptions = fuzzyExceptions
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, name, fuzzy
        case arabicNames = "ar"
        case englishNames = "en"
        case adjectives = "adj"
        case fuzzyExceptions = "except"
    }

    /// Decodes an entity, rejecting unknown keys and types outside `types`.
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(allowed: ["id", "type", "name", "ar", "en", "adj", "fuzzy", "except"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decodeChoice(forKey: .type, allowed: Self.types)
        arabicNames = try container.decodeList(String.self, forKey: .arabicNames)
        englishNames = try container.decodeList(String.self, forKey: .englishNames)
        adjectives = try container.decodeList(String.self, forKey: .adjectives)
        name =
            try container.decodeIfPresent(String.self, forKey: .name) ?? englishNames.first ?? arabicNames.first ?? id
        fuzzy = try container.decodeIfPresent(Bool.self, forKey: .fuzzy) ?? true
        fuzzyExceptions = try container.decodeList(String.self, forKey: .fuzzyExceptions)
    }
}
