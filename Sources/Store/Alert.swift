public import Analysis
public import Foundation

/// One alert: a tracked topic found in a story, a material change in it, or a burst of the topic.
/// The shape of a line in the alert log.
public struct Alert: Sendable, Codable, Equatable {
    /// Why an alert was raised.
    public enum Kind: String, Sendable, Codable {
        /// The story's first report of the topic.
        case new
        /// A later report of the story changed something material: see ``Alert/change``.
        case update
        /// The topic's distinct stories in the last hour rose well above its baseline: see ``Alert/burst``.
        case burst
    }

    /// A burst's figures.
    public struct Burst: Sendable, Codable, Equatable {
        /// Distinct stories of the topic in the last hour.
        public var stories: Int
        /// The EWMA of stories an hour before it (at least the policy's floor).
        public var baseline: Double
        /// `stories / baseline`.
        public var ratio: Double
        /// Distinct feeds that reported the topic in the last hour.
        public var sources: Int

        /// Creates burst figures.
        public init(stories: Int, baseline: Double, ratio: Double, sources: Int) {
            self.stories = stories
            self.baseline = baseline
            self.ratio = ratio
            self.sources = sources
        }
    }

    /// Increases by one per alert; assigned by the store when the alert is committed.
    public var id: Int64
    /// When the alert was committed.
    public var time: Date
    /// The topic id, as in the topics file.
    public var topic: String
    /// The topic's severity (`low`, `medium`, `high`).
    public var severity: String
    /// The analyzer's score for the topic in this item.
    public var score: Double
    /// Reported fact, intent, demand, refusal, threat or completed.
    public var modality: String
    /// The feed the item came from.
    public var feed: Feed
    /// The item that raised the alert.
    public var item: Item
    /// The item's language, `ar` or `en`.
    public var language: String
    /// The sentences that prove the topic, with offsets into the item's title or text.
    public var evidence: [Evidence] { didSet { encoded = EncodedLists() } }
    /// People, groups and places named in the item.
    public var entities: [EntityMatch] { didSet { encoded = EncodedLists() } }
    /// Figures found in the item: soldiers, years, rockets, casualties.
    public var quantities: [Quantity] { didSet { encoded = EncodedLists() } }
    /// The story the item belongs to (`feedwatch stories` lists them).
    public var story: Int64
    /// How many items report this story (in the store: updated as copies arrive; in the log: when written).
    public var sources: Int
    /// Why the alert was raised.
    public var kind: Kind
    /// For an update: what changed, e.g. "modality intent → completed; killed 3 → 7".
    public var change: String?
    /// For a burst: its figures.
    public var burst: Burst?
    /// `evidence`, `entities` and `quantities` as the store wrote them into the alert's row, for the alert log
    /// to copy instead of encoding the arrays again; changing any of the three drops them. They are slices of
    /// the item's whole analysis JSON, which they keep alive as long as the alert (until its line is written).
    package var encoded = EncodedLists()

    /// Three JSON arrays in UTF-8, when known. They take no part in comparing alerts: an alert read back from
    /// the store or the log, without them, equals the one the commit returned.
    package struct EncodedLists: Sendable, Equatable {
        package var json: (evidence: ArraySlice<UInt8>, entities: ArraySlice<UInt8>, quantities: ArraySlice<UInt8>)?

        package init(
            json: (evidence: ArraySlice<UInt8>, entities: ArraySlice<UInt8>, quantities: ArraySlice<UInt8>)? = nil
        ) {
            self.json = json
        }

        package static func == (lhs: Self, rhs: Self) -> Bool { true }
    }

    /// Creates an alert; the store assigns `id` when it commits one.
    public init(
        id: Int64, time: Date, topic: String, severity: String, score: Double, modality: String, feed: Feed,
        item: Item, language: String, evidence: [Evidence], entities: [EntityMatch], quantities: [Quantity],
        story: Int64, sources: Int, kind: Kind = .new, change: String? = nil, burst: Burst? = nil
    ) {
        self.id = id
        self.time = time
        self.topic = topic
        self.severity = severity
        self.score = score
        self.modality = modality
        self.feed = feed
        self.item = item
        self.language = language
        self.evidence = evidence
        self.entities = entities
        self.quantities = quantities
        self.story = story
        self.sources = sources
        self.kind = kind
        self.change = change
        self.burst = burst
    }

    private enum CodingKeys: String, CodingKey {
        case id, time, topic, severity, score, modality, feed, item, language, evidence, entities, quantities, story,
            sources, kind, change, burst
    }

    /// Decodes an alert; a line written before alert kinds existed is a `new` alert.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(Int64.self, forKey: .id),
            time: try container.decode(Date.self, forKey: .time),
            topic: try container.decode(String.self, forKey: .topic),
            severity: try container.decode(String.self, forKey: .severity),
            score: try container.decode(Double.self, forKey: .score),
            modality: try container.decode(String.self, forKey: .modality),
            feed: try container.decode(Feed.self, forKey: .feed),
            item: try container.decode(Item.self, forKey: .item),
            language: try container.decode(String.self, forKey: .language),
            evidence: try container.decode([Evidence].self, forKey: .evidence),
            entities: try container.decode([EntityMatch].self, forKey: .entities),
            quantities: try container.decode([Quantity].self, forKey: .quantities),
            story: try container.decode(Int64.self, forKey: .story),
            sources: try container.decode(Int.self, forKey: .sources),
            kind: try container.decodeIfPresent(Kind.self, forKey: .kind) ?? .new,
            change: try container.decodeIfPresent(String.self, forKey: .change),
            burst: try container.decodeIfPresent(Burst.self, forKey: .burst)
        )
    }

    /// The feed an alert came from.
    public struct Feed: Sendable, Codable, Equatable {
        /// The feed's name in the config.
        public var name: String
        /// The feed's URL.
        public var url: String

        /// Creates a feed reference.
        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    /// The feed item an alert is about.
    public struct Item: Sendable, Codable, Equatable {
        /// The item's title.
        public var title: String?
        /// The item's link.
        public var link: String?
        /// When the feed says the item was published.
        public var published: Date?
        /// The item's stable key in its feed (guid, id, link or hash).
        public var guid: String

        /// Creates an item reference.
        public init(title: String?, link: String?, published: Date?, guid: String) {
            self.title = title
            self.link = link
            self.published = published
            self.guid = guid
        }
    }
}

extension [Alert] {
    /// The alerts in id order: the array itself when it already is (a group commit's alerts are), since sorting
    /// copies every alert, a retain and a release of each of its references.
    public var inIDOrder: [Alert] {
        indices.dropFirst().allSatisfy { self[$0 - 1].id < self[$0].id } ? self : sorted { $0.id < $1.id }
    }
}
