import Foundation

/// Namespace URIs of the feed vocabularies read here.
enum FeedNamespace {
    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let rss10 = "http://purl.org/rss/1.0/"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    static let content = "http://purl.org/rss/1.0/modules/content/"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let dublinCoreTerms = "http://purl.org/dc/terms/"
    static let media = "http://search.yahoo.com/mrss/"
    static let xml = "http://www.w3.org/XML/1998/namespace"

    /// RSS elements carry no namespace (0.9x, 2.0) or the RSS 1.0 / 0.90 one (RDF feeds).
    static func isRSS(_ namespace: String?) -> Bool {
        namespace == nil || namespace == rss10 || namespace == rss090
    }

    static func isAtom(_ namespace: String?) -> Bool {
        namespace == atom10 || namespace == atom03
    }

    /// Media RSS, also under the spelling without the final slash that some publishers use.
    static func isMedia(_ namespace: String?) -> Bool {
        namespace == media || namespace == "http://search.yahoo.com/mrss"
    }

    /// Dublin Core elements or terms (`dc:creator`, `dcterms:modified`).
    static func isDublinCore(_ namespace: String?) -> Bool {
        namespace == dublinCore || namespace == dublinCoreTerms
    }
}

/// A namespace URI as one of the vocabularies read here, so that the walker tells them apart with an integer
/// comparison: the reader classifies each URI once per parse (``XMLStreamReader/namespace``).
enum KnownNamespace: UInt8 {
    /// No namespace.
    case none
    case atom10
    case atom03
    case rdf
    case rss10
    case rss090
    case content
    case dublinCore
    case dublinCoreTerms
    /// Media RSS, under either spelling (``FeedNamespace/isMedia(_:)``).
    case media
    case xml
    /// Any other URI.
    case other

    init(_ uri: String?) {
        guard let uri else {
            self = .none
            return
        }
        // Every known URI is at least 24 bytes long: most names (the reader classifies local names too) are not.
        guard uri.utf8.count >= 24 else {
            self = .other
            return
        }
        switch uri {
        case FeedNamespace.atom10: self = .atom10
        case FeedNamespace.atom03: self = .atom03
        case FeedNamespace.rdf: self = .rdf
        case FeedNamespace.rss10: self = .rss10
        case FeedNamespace.rss090: self = .rss090
        case FeedNamespace.content: self = .content
        case FeedNamespace.dublinCore: self = .dublinCore
        case FeedNamespace.dublinCoreTerms: self = .dublinCoreTerms
        case FeedNamespace.xml: self = .xml
        default: self = FeedNamespace.isMedia(uri) ? .media : .other
        }
    }

    /// See ``FeedNamespace/isRSS(_:)``.
    var isRSS: Bool { self == .none || self == .rss10 || self == .rss090 }

    /// See ``FeedNamespace/isMedia(_:)``.
    var isMedia: Bool { self == .media }

    /// See ``FeedNamespace/isDublinCore(_:)``.
    var isDublinCore: Bool { self == .dublinCore || self == .dublinCoreTerms }
}

/// A local name as one of the element names the walker reads, so that it tells them apart with an integer
/// comparison: the reader classifies each name once per parse (``XMLStreamReader/knownName``), as it does namespaces.
enum KnownName: UInt8 {
    /// Any other name.
    case other
    case author, category, channel, content, contributor, created, creator, date, description, email, enclosure
    case encoded, entry, group, guid, id, issued, item, link, modified, name, pubDate, published, subject, summary
    case thumbnail, title, ttl, updated, uri, url

    init(_ name: String) {
        self = Self.byName[name] ?? .other
    }

    private static let byName: [String: KnownName] = [
        "author": .author, "category": .category, "channel": .channel, "content": .content,
        "contributor": .contributor, "created": .created, "creator": .creator, "date": .date,
        "description": .description, "email": .email, "enclosure": .enclosure, "encoded": .encoded, "entry": .entry,
        "group": .group, "guid": .guid, "id": .id, "issued": .issued, "item": .item, "link": .link,
        "modified": .modified, "name": .name, "pubDate": .pubDate, "published": .published, "subject": .subject,
        "summary": .summary, "thumbnail": .thumbnail, "title": .title, "ttl": .ttl, "updated": .updated, "uri": .uri,
        "url": .url,
    ]
}

/// How the text of a captured element is turned into plain text.
enum TextMode: Equatable {
    /// Plain text already (Atom `type="text"`, links, ids, dates).
    case plain
    /// Escaped or CDATA HTML (Atom `type="html"`).
    case html
    /// RSS text: HTML by convention but often plain; converted only when it contains a tag or an entity.
    case maybeHTML
    /// Inline XHTML markup (Atom `type="xhtml"`): tags are rebuilt and text escaped before HTML conversion.
    case xhtml
    /// Base64-encoded text (Atom 0.3 `mode="base64"`, an Atom 1.0 text construct with a binary MIME type),
    /// HTML or plain once decoded. Text that does not decode to UTF-8 is read as written, as plain text.
    case base64(html: Bool)
    /// Content that is not text (an image, an out-of-line `src`): dropped.
    case ignored

    /// Renders captured text for a single-line field (titles).
    func singleLine(_ text: String, html converter: HTMLTextConverter) -> String {
        switch self {
        case .plain: text.collapsedToOneLine()
        // Without markup, tidying first would change nothing that collapsing does not.
        case .maybeHTML where !text.looksLikeMarkup: text.collapsedToOneLine()
        default: body(text, html: converter).collapsedToOneLine()
        }
    }

    /// Renders captured text for a body field (summary, content).
    func body(_ text: String, html converter: HTMLTextConverter) -> String {
        switch self {
        case .plain: text.tidiedPlainText()
        case .html, .xhtml: converter.plainText(fromHTML: text)
        case .maybeHTML: text.looksLikeMarkup ? converter.plainText(fromMarkup: text) : text.tidiedPlainText()
        case .base64(let html):
            if let decoded = Self.decodeBase64(text) {
                html ? converter.plainText(fromHTML: decoded) : decoded.tidiedPlainText()
            } else {
                text.tidiedPlainText()
            }
        case .ignored: ""
        }
    }

    /// Base64 text decoded to UTF-8; nil when it is not base64 or not UTF-8 text once decoded.
    private static func decodeBase64(_ text: String) -> String? {
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters), !data.isEmpty else {
            return nil
        }
        return String(bytes: data, encoding: .utf8)
    }

    /// The captured text as markup, when it is markup: nil for plain text and for RSS text without a tag or an
    /// entity.
    func sourceHTML(_ text: String) -> String? {
        switch self {
        case .html, .xhtml: text.trimmingWhitespace().nonEmpty
        case .maybeHTML: text.looksLikeMarkup ? text.trimmingWhitespace().nonEmpty : nil
        case .base64(let html): html ? Self.decodeBase64(text)?.trimmingWhitespace().nonEmpty : nil
        case .plain, .ignored: nil
        }
    }

    /// Whether child elements are written back into the text as tags.
    var keepsMarkup: Bool {
        switch self {
        case .html, .maybeHTML, .xhtml: true
        case .plain, .base64, .ignored: false
        }
    }
}

/// Which item or feed field an element fills.
enum FeedField: Equatable {
    case title
    case link
    /// RSS `<guid>`; `isPermaLink` (default true) says it doubles as the item's URL.
    case guid(isPermaLink: Bool)
    case atomID
    /// A publication date; lower `rank` wins (`pubDate` over `dc:date`, `published` over `issued`).
    case published(rank: Int)
    /// A last-update date; lower `rank` wins.
    case updated(rank: Int)
    case summary
    case content
    /// An author as one piece of text (`<author>`, `dc:creator`).
    case author
    /// A category label as text (`<category>`, `dc:subject`).
    case category
    /// Parts of an Atom person construct (`<author><name>…`).
    case personName
    case personEmail
    case personURI
    /// `media:title`: the title when the item has no other.
    case mediaTitle
    /// `media:description`: the summary when the item has no other.
    case mediaDescription
    /// The RSS channel's `<ttl>`, in minutes.
    case ttl
}

/// Which part of the document a child element belongs to.
enum FieldOwner {
    case feed
    case item
}

/// The field an element fills and how its text is read, decided from its name, namespace and attributes.
struct FieldSpec: Equatable {
    var field: FeedField
    var mode: TextMode
}

extension FieldSpec {
    /// The field of an RSS 0.9x / 2.0 or RSS 1.0 element, nil when feedwatch does not read it.
    static func rss(name: KnownName, namespace: KnownNamespace, owner: FieldOwner, attribute: (String) -> String?)
        -> FieldSpec?
    {
        if namespace.isRSS {
            switch (name, owner) {
            case (.title, _): return FieldSpec(field: .title, mode: .maybeHTML)
            case (.link, _): return FieldSpec(field: .link, mode: .plain)
            case (.description, .item): return FieldSpec(field: .summary, mode: .maybeHTML)
            case (.guid, .item):
                let isPermaLink = attribute("isPermaLink")?.trimmingWhitespace().lowercased() != "false"
                return FieldSpec(field: .guid(isPermaLink: isPermaLink), mode: .plain)
            case (.pubDate, .item): return FieldSpec(field: .published(rank: 0), mode: .plain)
            case (.author, .item): return FieldSpec(field: .author, mode: .maybeHTML)
            case (.category, .item): return FieldSpec(field: .category, mode: .maybeHTML)
            case (.ttl, .feed): return FieldSpec(field: .ttl, mode: .plain)
            default: return nil
            }
        }
        guard owner == .item else { return nil }
        if namespace.isDublinCore {
            switch name {
            case .date, .issued, .created: return FieldSpec(field: .published(rank: 1), mode: .plain)
            case .modified: return FieldSpec(field: .updated(rank: 1), mode: .plain)
            case .creator, .contributor: return FieldSpec(field: .author, mode: .maybeHTML)
            case .subject: return FieldSpec(field: .category, mode: .maybeHTML)
            case .title: return FieldSpec(field: .mediaTitle, mode: .maybeHTML)
            default: return nil
            }
        }
        switch (name, namespace) {
        case (.encoded, .content): return FieldSpec(field: .content, mode: .maybeHTML)
        case (.updated, .atom10): return FieldSpec(field: .updated(rank: 0), mode: .plain)
        case (.published, .atom10): return FieldSpec(field: .published(rank: 2), mode: .plain)
        default: return media(name: name, namespace: namespace, attribute: attribute)
        }
    }

    /// The field of an Atom element (other than `<link>`, `<category>` and `<author>`, which are handled apart).
    static func atom(name: KnownName, owner: FieldOwner, isAtom03: Bool, attribute: (String) -> String?)
        -> FieldSpec?
    {
        switch (name, owner) {
        case (.title, _):
            return FieldSpec(field: .title, mode: textConstructMode(isAtom03: isAtom03, isContent: false, attribute))
        case (.id, .item): return FieldSpec(field: .atomID, mode: .plain)
        case (.published, .item): return FieldSpec(field: .published(rank: 0), mode: .plain)
        case (.issued, .item): return FieldSpec(field: .published(rank: 1), mode: .plain)
        case (.created, .item): return FieldSpec(field: .published(rank: 2), mode: .plain)
        case (.updated, .item): return FieldSpec(field: .updated(rank: 0), mode: .plain)
        case (.modified, .item): return FieldSpec(field: .updated(rank: 1), mode: .plain)
        case (.summary, .item):
            return FieldSpec(field: .summary, mode: textConstructMode(isAtom03: isAtom03, isContent: false, attribute))
        case (.content, .item):
            let mode =
                attribute("src") == nil ? textConstructMode(isAtom03: isAtom03, isContent: true, attribute) : .ignored
            return FieldSpec(field: .content, mode: mode)
        default: return nil
        }
    }

    /// The text-bearing Media RSS elements (`media:content` and `media:thumbnail` are read from attributes).
    static func media(name: KnownName, namespace: KnownNamespace, attribute: (String) -> String?) -> FieldSpec? {
        guard namespace.isMedia else { return nil }
        let isHTML = attribute("type")?.trimmingWhitespace().lowercased() == "html"
        switch name {
        case .title: return FieldSpec(field: .mediaTitle, mode: isHTML ? .html : .plain)
        case .description: return FieldSpec(field: .mediaDescription, mode: isHTML ? .html : .plain)
        default: return nil
        }
    }

    /// The parts of an Atom person construct (Atom 0.3 says `url` where 1.0 says `uri`).
    static func person(name: KnownName) -> FieldSpec? {
        switch name {
        case .name: FieldSpec(field: .personName, mode: .plain)
        case .email: FieldSpec(field: .personEmail, mode: .plain)
        case .uri, .url: FieldSpec(field: .personURI, mode: .plain)
        default: nil
        }
    }

    /// Atom 1.0 `type` = text | html | xhtml | a MIME type; Atom 0.3 adds `mode` = xml | escaped | base64.
    ///
    /// A `text/*` type is plain text and another XML type inline markup (read as plain text in a title or
    /// summary, dropped as content); any other MIME type means base64 (RFC 4287 §4.1.3.3): decoded in a title or
    /// summary, dropped as content, which then holds a file rather than text.
    private static func textConstructMode(isAtom03: Bool, isContent: Bool, _ attribute: (String) -> String?)
        -> TextMode
    {
        let type = attribute("type")?.trimmingWhitespace().lowercased() ?? (isAtom03 ? "text/plain" : "text")
        let encodingMode = attribute("mode")?.trimmingWhitespace().lowercased()
        let isHTML = ["html", "text/html", "xhtml", "application/xhtml+xml"].contains(type)
        if isAtom03, encodingMode == "base64" {
            return isHTML || type.hasPrefix("text/") || !isContent ? .base64(html: isHTML) : .ignored
        }
        switch type {
        case "text", "text/plain": return .plain
        case "html", "text/html": return isAtom03 && encodingMode != "escaped" ? .xhtml : .html
        case "xhtml", "application/xhtml+xml": return .xhtml
        default:
            if type.hasPrefix("text/") { return .plain }
            if isContent { return .ignored }
            return type.hasSuffix("+xml") || type.hasSuffix("/xml") ? .plain : .base64(html: false)
        }
    }
}
