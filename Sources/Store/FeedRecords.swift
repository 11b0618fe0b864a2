public import Analysis
public import Foundation

/// A feed as the store knows it: its identity and the state of its last fetch.
public struct FeedFetchState: Sendable, Equatable {
    /// The feed's row id.
    public var feedID: Int64
    /// The feed's URL (the key that ties config and store together).
    public var url: String
    /// The feed's display name.
    public var name: String
    /// The last `ETag` the server sent, verbatim.
    public var etag: String?
    /// The last `Last-Modified` the server sent, verbatim.
    public var lastModified: String?
    /// When the feed was last fetched.
    public var lastFetchAt: Date?
    /// The HTTP status of the last fetch, if it got that far.
    public var lastStatus: Int?
    /// Why the last fetch failed, if it did.
    public var lastError: String?
    /// Failures in a row since the last success.
    public var consecutiveFailures: Int
    /// When the feed is due next.
    public var nextDueAt: Date?
    /// Bytes of the last fetched body.
    public var lastBytes: Int?
    /// Seconds the last fetch took.
    public var lastDuration: Double?
    /// Where the feed is fetched from since a permanent redirect was confirmed; nil: from ``url``.
    public var fetchURL: String?
    /// A permanent redirect seen on the latest polls but not yet confirmed.
    public var pendingRedirect: PendingRedirect?
    /// When the feed was last fetched without error.
    public var lastSuccessAt: Date?
    /// The feed's own `<ttl>` (minutes it may be cached) from its last full fetch.
    public var ttlMinutes: Int?

    /// The URL to request: ``fetchURL`` when the feed has moved, else ``url``.
    public var requestURL: String { fetchURL ?? url }
}

/// A permanent redirect (301, 308) seen on consecutive polls of a feed, not yet acted on.
public struct PendingRedirect: Sendable, Equatable {
    /// Where the feed's URL redirected to.
    public var url: String
    /// Polls in a row that saw this same redirect.
    public var seen: Int

    /// Creates a pending redirect.
    public init(url: String, seen: Int) {
        self.url = url
        self.seen = seen
    }
}

/// What one fetch of a feed did, recorded with the items it brought in one transaction.
public struct FetchRecord: Sendable {
    /// When the fetch finished.
    public var fetchedAt: Date
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// Why the fetch or parse failed; nil on success.
    public var error: String?
    /// Validators to send next time (kept from before when the server sent none).
    public var etag: String?
    /// See ``etag``.
    public var lastModified: String?
    /// Failures in a row, this one included; 0 on success.
    public var consecutiveFailures: Int
    /// When the feed is due next.
    public var nextDueAt: Date
    /// Body size in bytes.
    public var bytes: Int?
    /// Seconds the fetch took.
    public var duration: Double?
    /// Where to fetch the feed from from now on; nil: from its configured URL.
    public var fetchURL: String?
    /// A permanent redirect seen but not yet confirmed; nil when the latest poll saw none.
    public var pendingRedirect: PendingRedirect?
    /// The feed's `<ttl>` in minutes (kept from before on a 304 or a failure).
    public var ttlMinutes: Int?

    /// Creates a fetch record. A record without an ``error`` also sets the feed's last success time.
    public init(
        fetchedAt: Date,
        status: Int?,
        error: String?,
        etag: String?,
        lastModified: String?,
        consecutiveFailures: Int,
        nextDueAt: Date,
        bytes: Int?,
        duration: Double?,
        fetchURL: String? = nil,
        pendingRedirect: PendingRedirect? = nil,
        ttlMinutes: Int? = nil
    ) {
        self.fetchedAt = fetchedAt
        self.status = status
        self.error = error
        self.etag = etag
        self.lastModified = lastModified
        self.consecutiveFailures = consecutiveFailures
        self.nextDueAt = nextDueAt
        self.bytes = bytes
        self.duration = duration
        self.fetchURL = fetchURL
        self.pendingRedirect = pendingRedirect
        self.ttlMinutes = ttlMinutes
    }
}

/// A new feed item with its analysis and the topics to alert on.
public struct ProcessedItem: Sendable {
    /// The item's stable key in its feed.
    public var key: String
    /// Where the key came from: guid, id, link or hash.
    public var keySource: String
    /// The item's title.
    public var title: String? { didSet { encoded = nil } }
    /// The item's link.
    public var link: String?
    /// When the feed says the item was published.
    public var published: Date? { didSet { encoded = nil } }
    /// What the analyzer found.
    public var analysis: Analysis { didSet { encoded = nil } }
    /// The topics that raise an alert (chosen by the alerting policy from `analysis.topics`).
    public var alertTopics: [TopicMatch] { didSet { encoded = nil } }
    /// Length of the text's dateline in Unicode scalars (``Dateline/length(of:)``); places named there do
    /// not count when matching stories.
    public var datelineLength: Int { didSet { encoded = nil } }
    /// The item's column values, encoded when the item is made (in its feed's task, in parallel) so that the
    /// serial writer only binds them; nil after `title`, `published`, `analysis`, `alertTopics` or
    /// `datelineLength` changed, and then encoded by the writer.
    var encoded: EncodedItem?

    /// Creates a processed item.
    public init(
        key: String,
        keySource: String,
        title: String?,
        link: String?,
        published: Date?,
        analysis: Analysis,
        alertTopics: [TopicMatch],
        datelineLength: Int = 0
    ) {
        self.key = key
        self.keySource = keySource
        self.title = title
        self.link = link
        self.published = published
        self.analysis = analysis
        self.alertTopics = alertTopics
        self.datelineLength = datelineLength
        self.encoded = EncodedItem(self)
    }
}

/// One feed's fetch and its new items: committed together or not at all.
public struct FeedBatch: Sendable {
    /// The feed's row id.
    public var feedID: Int64
    /// The fetch's outcome and the feed's next state.
    public var fetch: FetchRecord
    /// Items not seen before, analysed.
    public var items: [ProcessedItem]

    /// Creates a batch.
    public init(feedID: Int64, fetch: FetchRecord, items: [ProcessedItem]) {
        self.feedID = feedID
        self.fetch = fetch
        self.items = items
    }
}

/// One row of `feedwatch feeds`: a feed's state with its item and alert counts.
public struct FeedSummary: Sendable, Equatable {
    /// The feed's state.
    public var state: FeedFetchState
    /// Items stored for the feed.
    public var items: Int
    /// Alerts raised by the feed's items.
    public var alerts: Int
}

/// Row counts, for status lines and tests.
public struct StoreCounts: Sendable, Equatable {
    /// Feeds known.
    public var feeds: Int
    /// Items stored.
    public var items: Int
    /// Analyses stored.
    public var analyses: Int
    /// Alerts stored.
    public var alerts: Int

    /// Creates a set of counts.
    public init(feeds: Int, items: Int, analyses: Int, alerts: Int) {
        self.feeds = feeds
        self.items = items
        self.analyses = analyses
        self.alerts = alerts
    }
}
