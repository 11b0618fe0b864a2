public import Analysis
public import Foundation

/// One alert: a tracked topic found in one feed item. The shape of a line in the alert log.
public struct Alert: Sendable, Codable, Equatable {
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
    public var evidence: [Evidence]
    /// People, groups and places named in the item.
    public var entities: [EntityMatch]
    /// Figures found in the item: soldiers, years, rockets, casualties.
    public var quantities: [Quantity]
    /// The story the item belongs to (the item's own id until stories cluster across feeds).
    public var story: Int64
    /// How many items report this story.
    public var sources: Int

    /// Creates an alert; the store assigns `id` when it commits one.
    public init(
        id: Int64, time: Date, topic: String, severity: String, score: Double, modality: String, feed: Feed,
        item: Item, language: String, evidence: [Evidence], entities: [EntityMatch], quantities: [Quantity],
        story: Int64, sources: Int
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
