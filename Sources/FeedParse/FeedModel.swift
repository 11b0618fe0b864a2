import Foundation

/// The feed dialect a document was recognised as.
public enum FeedFormat: String, Sendable, Codable {
    /// RSS 0.9x or 2.0 (`<rss>` root).
    case rss
    /// Atom 1.0 (or the older Atom 0.3) (`<feed>` root).
    case atom
    /// RSS 1.0 / 0.90 (`<rdf:RDF>` root).
    case rdf
    /// JSON Feed 1.0 or 1.1 (a JSON object whose `version` is a `https://jsonfeed.org/version/` URL).
    case json
}

/// Where an item's stable ``FeedItem/key`` came from.
public enum ItemKeySource: String, Sendable, Codable {
    /// The RSS `<guid>` (or the `rdf:about` of an RSS 1.0 item).
    case guid
    /// The Atom `<id>`.
    case atomID = "id"
    /// The item's resolved link.
    case link
    /// The JSON Feed item `id`.
    case jsonID = "json-id"
    /// A hash of the feed link, item title and date: the item had no identifier and no link.
    case hash
}

/// A file attached to an item: an RSS `<enclosure>`, an Atom `rel="enclosure"` link, a `media:content`
/// or a JSON Feed attachment.
public struct FeedEnclosure: Sendable, Codable, Equatable {
    /// The file's URL, absolute when a base was known.
    public var url: String
    /// The MIME type the feed gives, when it gives one.
    public var type: String?
    /// The size in bytes the feed gives; nil when absent or not a non-negative integer.
    public var length: Int?

    /// Creates an enclosure.
    public init(url: String, type: String? = nil, length: Int? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}

/// One entry of a feed, reduced to what feedwatch analyses.
public struct FeedItem: Sendable, Codable, Equatable {
    /// Stable identifier: guid / atom:id / JSON id, else the link, else a hash (see ``keySource``).
    public var key: String
    /// Which field ``key`` was taken from.
    public var keySource: ItemKeySource
    /// The title as plain text.
    public var title: String?
    /// The item's link, absolute when a base (xml:base or the feed URL) was known.
    public var link: String?
    /// Publication date, or the last-update date when the feed gives no publication date;
    /// nil when missing or unparseable (never a made-up "now").
    public var published: Date?
    /// The description / summary as plain text; "" when absent.
    public var summary: String
    /// The full content (content:encoded / atom content) as plain text; "" when absent.
    public var content: String
    /// Last-update date (Atom `<updated>`, JSON `date_modified`, `dc:modified`); nil when absent or unparseable.
    public var updated: Date?
    /// Authors as written (`<author>`, `dc:creator`, Atom person name or e-mail, JSON author name), in order.
    public var authors: [String]
    /// Category labels (`<category>`, `dc:subject`, Atom `term`/`label`, JSON `tags`), in order, without duplicates.
    public var categories: [String]
    /// Attached files: enclosures, Media RSS content and JSON attachments.
    public var enclosures: [FeedEnclosure]
    /// An image representing the item (`media:thumbnail`, JSON `image`), absolute when a base was known.
    public var thumbnail: String?
    /// The summary in its source form (HTML, or XHTML rebuilt as markup) when the feed marks it up; nil otherwise.
    public var summaryHTML: String?
    /// The content in its source form (HTML, or XHTML rebuilt as markup) when the feed marks it up; nil otherwise.
    public var contentHTML: String?

    /// The body the analyzer reads: the content when present, else the summary.
    public var text: String { content.isEmpty ? summary : content }

    /// Creates an item; the fields added after the first release default to empty.
    public init(
        key: String,
        keySource: ItemKeySource,
        title: String?,
        link: String?,
        published: Date?,
        summary: String,
        content: String,
        updated: Date? = nil,
        authors: [String] = [],
        categories: [String] = [],
        enclosures: [FeedEnclosure] = [],
        thumbnail: String? = nil,
        summaryHTML: String? = nil,
        contentHTML: String? = nil
    ) {
        self.key = key
        self.keySource = keySource
        self.title = title
        self.link = link
        self.published = published
        self.summary = summary
        self.content = content
        self.updated = updated
        self.authors = authors
        self.categories = categories
        self.enclosures = enclosures
        self.thumbnail = thumbnail
        self.summaryHTML = summaryHTML
        self.contentHTML = contentHTML
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
    /// Items in document order (at most ``FeedParseLimits/maximumItemCount``).
    public var items: [FeedItem]
    /// Recovered errors, encoding guesses, unparseable or future dates, truncations; empty for a clean feed.
    public var problems: [FeedProblem]
    /// The RSS `<channel><ttl>`: how many minutes the feed may be cached before it is fetched again.
    /// Nil when absent, not a positive integer, or the format has no such field.
    public var ttl: Int?
    /// The version of the format: `2.0`, `0.91`, `0.92` (RSS, from the `version` attribute), `1.0` or `0.90`
    /// (RDF, from the namespace), `1.0` or `0.3` (Atom), `1.0` or `1.1` (JSON Feed); nil when the document
    /// does not say.
    public var version: String?
    /// The character encoding the document was read as (`UTF-8`, `windows-1256`, `UTF-16LE`…).
    public var encoding: String

    /// Creates a parsed feed.
    public init(
        format: FeedFormat,
        title: String?,
        link: String?,
        items: [FeedItem],
        problems: [FeedProblem],
        ttl: Int? = nil,
        version: String? = nil,
        encoding: String = "UTF-8"
    ) {
        self.format = format
        self.title = title
        self.link = link
        self.items = items
        self.problems = problems
        self.ttl = ttl
        self.version = version
        self.encoding = encoding
    }
}

/// Bounds on what one parse keeps, so a hostile or broken feed cannot exhaust memory.
public struct FeedParseLimits: Sendable, Equatable {
    /// Items beyond this count are dropped (and reported as a problem).
    public var maximumItemCount: Int
    /// Bytes of UTF-8 text kept per item, all fields together (the source form of each field counts once);
    /// also the cap on each feed-level field. Text beyond it is cut between characters and reported.
    public var maximumItemTextBytes: Int

    /// Creates limits; the defaults suit news feeds (10,000 items, 1 MiB of text per item).
    public init(maximumItemCount: Int = 10_000, maximumItemTextBytes: Int = 1 << 20) {
        self.maximumItemCount = max(0, maximumItemCount)
        self.maximumItemTextBytes = max(0, maximumItemTextBytes)
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
