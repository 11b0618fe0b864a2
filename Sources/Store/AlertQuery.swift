public import Foundation

/// Which alerts to list: every condition that is set must hold.
public struct AlertQuery: Sendable, Equatable {
    /// Only alerts with a greater id (for following the store).
    public var afterID: Int64?
    /// Only alerts committed at or after this time.
    public var since: Date?
    /// Only alerts of this topic id.
    public var topic: String?
    /// Only alerts from the feed with this name or URL.
    public var feed: String?
    /// Only alerts of at least this severity (`low` < `medium` < `high` < `critical`).
    public var minimumSeverity: String?

    /// Creates a query; nil conditions match everything.
    public init(
        afterID: Int64? = nil, since: Date? = nil, topic: String? = nil, feed: String? = nil,
        minimumSeverity: String? = nil
    ) {
        self.afterID = afterID
        self.since = since
        self.topic = topic
        self.feed = feed
        self.minimumSeverity = minimumSeverity
    }

    /// The severities, least first.
    public static let severities = ["low", "medium", "high", "critical"]

    static func rank(of severity: String) -> Int {
        severities.firstIndex(of: severity.lowercased()) ?? 0
    }

    static let severityRankSQL =
        "(CASE a.severity WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN 'critical' THEN 3 ELSE 0 END)"
}
