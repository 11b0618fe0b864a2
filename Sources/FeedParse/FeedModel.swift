import Foundation

/// The feed dialect a document was recognised as.
public enum FeedFormat: String, Sendable, Codable {
    /// RSS 0.9x or 2.0 (`<rss>` root).
    case rss
    /// Atom 1.0 (or the older Atom 0.3) (`<feed>` root).
    case atom
    /// RSS 1.0 / 0.90 (`<rdf:RDF>` root).
    case rdf
}

/// Where an item's stable ``FeedItem/key`` came from.
public enum ItemKeySource: String, Sendable, Codable {
    /// The RSS `<guid>` (or the `rdf:about` of an RSS 1.0 item).
    case guid
    /// The Atom `<id>`.
    case atomID = "id"
    /// The item's resolved link.
    case link
    /// A hash of the feed link, item title and date: the item had no identifier and no link.
    case hash
}

/// One entry of a feed, reduced to what feedwatch analyses.
public struct FeedItem: Sendable, Codable, Equatable {
    /// Stable identifier: guid / atom:id, else the link, else a hash (see ``keySource``).
    public var key: String
    /// Which field ``key`` was taken from.
    public var keySource: ItemKeySource
    /// The title as plain text.
    public var title: String?
    /// The item's link, absolute when a base (xml:base or the feed URL) was known.
    public var link: String?
    /// Publication date; nil when missing or unparseable (never a made-up "now").
    public var published: Date?
    /// The description / summary as plain text; "" when absent.
    public var summary: String
    /// The full content (content:encoded / atom content) as plain text; "" when absent.
    public var content: String

    /// The body the analyzer reads: the content when present, else the summary.
    public var text: String { content.isEmpty ? summary : content }

    /// Creates an item; every field is given explicitly.
    public init(
        key: String,
        keySource: ItemKeySource,
        title: String?,
        link: String?,
        published: Date?,
        summary: String,
        content: String
    ) {
        self.key = key
        self.keySource = keySource
        self.title = title
        self.link = link
        self.published = published
        self.summary = summary
        self.content = content
    }
}

/// Something wrong in a feed that was recovered from: an XML error, an unparseable date, a truncated field.
public struct FeedProblem: Sendable, Codable, Equatable, CustomStringConvertible {
    /// Line in the document, when known.
    public var line: Int?
    /// What went wrong, in one sentence.
    public var message: String

    /// Creates a problem report.
    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }

    /// `line 12: message`, or just the message when the line is unknown.
    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}

/// The result of parsing one feed document.
public struct ParsedFeed: Sendable, Codable, Equatable {
    /// The dialect the document was recognised as.
    public var format: FeedFormat
    /// The feed's own title, as plain text.
    public var title: String?
    /// The feed's website link, absolute when a base was known.
    public var link: String?
    /// Items in document order (at most ``FeedParser/maximumItemCount``).
    public var items: [FeedItem]
    /// Recovered errors, unparseable dates, truncations; empty for a clean feed.
    public var problems: [FeedProblem]

    /// Creates a parsed feed.
    public init(format: FeedFormat, title: String?, link: String?, items: [FeedItem], problems: [FeedProblem]) {
        self.format = format
        self.title = title
        self.link = link
        self.items = items
        self.problems = problems
    }
}

/// The input is not a feed at all: empty, not XML, or an unknown root element.
public struct FeedParseError: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    /// Line in the document where the problem was found, when known.
    public var line: Int?
    /// Why the input is not a feed.
    public var message: String

    /// Creates an error.
    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }

    /// `not a feed (line 3): message`.
    public var description: String {
        if let line { return "not a feed (line \(line)): \(message)" }
        return "not a feed: \(message)"
    }
}
