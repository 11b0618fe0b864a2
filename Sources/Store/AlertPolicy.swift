public import Foundation

/// How the store turns analysed items into alerts: which reports are one story, when a story alerts
/// again, and when a topic's activity is a burst.
public struct AlertPolicy: Sendable, Equatable {
    /// How long a story stays open to new reports after its last one.
    public var storyWindow: TimeInterval
    /// The most SimHash bits two reports of one story may differ by (8 of 64 is a shingle overlap
    /// of about 0.8); at most 8, the largest distance the band index finds every candidate for.
    public var maxTextDistance: Int
    /// Entities a report in another language must share with a story to join it (one of them a
    /// person, group, organization or place, not only countries; fewer when one side names fewer).
    public var minSharedEntities: Int
    /// When a topic's activity is a burst.
    public var bursts: BurstPolicy

    /// The defaults: a 72-hour window, 8 bits, 2 shared entities, default bursts.
    public init(
        storyWindow: TimeInterval = 72 * 3600, maxTextDistance: Int = 8, minSharedEntities: Int = 2,
        bursts: BurstPolicy = BurstPolicy()
    ) {
        self.storyWindow = storyWindow
        self.maxTextDistance = min(max(maxTextDistance, 0), StoryIndex.bandCount - 1)
        self.minSharedEntities = max(minSharedEntities, 1)
        self.bursts = bursts
    }
}

/// When a `burst` alert is raised for a topic: the last hour's distinct stories against an EWMA of the
/// hours before, with a floor of distinct sources and a cooldown.
public struct BurstPolicy: Sendable, Equatable {
    /// Thresholds for one topic.
    public struct Thresholds: Sendable, Equatable {
        /// False turns bursts off for the topic.
        public var enabled: Bool
        /// The least ratio of the last hour's stories to the baseline.
        public var ratio: Double
        /// The least number of distinct feeds reporting the topic in the last hour.
        public var minSources: Int
        /// No second burst alert for the topic within this time.
        public var cooldown: TimeInterval

        /// Creates thresholds; the defaults are ratio 3, 3 sources, a 6-hour cooldown.
        public init(enabled: Bool = true, ratio: Double = 3, minSources: Int = 3, cooldown: TimeInterval = 6 * 3600) {
            self.enabled = enabled
            self.ratio = ratio
            self.minSources = minSources
            self.cooldown = cooldown
        }
    }

    /// Thresholds for topics not listed in `topics`.
    public var defaults: Thresholds
    /// Per-topic thresholds, by topic id.
    public var topics: [String: Thresholds]
    /// Hours of history the EWMA baseline spans (its α is 2 / (hours + 1)); bursts wait until the store
    /// has this much history, so the first cycle of a new database is not one big burst.
    public var baselineHours: Int
    /// The baseline never counts as less than this many stories an hour, so 0 → 3 is not a burst.
    public var minimumBaseline: Double

    /// Creates a burst policy.
    public init(
        defaults: Thresholds = Thresholds(), topics: [String: Thresholds] = [:], baselineHours: Int = 24,
        minimumBaseline: Double = 1
    ) {
        self.defaults = defaults
        self.topics = topics
        self.baselineHours = max(baselineHours, 1)
        self.minimumBaseline = max(minimumBaseline, 0.1)
    }

    /// The thresholds that apply to `topic`.
    public func thresholds(for topic: String) -> Thresholds {
        topics[topic] ?? defaults
    }
}
