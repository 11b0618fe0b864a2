/// Namespace URIs of the feed vocabularies read here.
enum FeedNamespace {
    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let rss10 = "http://purl.org/rss/1.0/"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    static let content = "http://purl.org/rss/1.0/modules/content/"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let xml = "http://www.w3.org/XML/1998/namespace"

    /// RSS elements carry no namespace (0.9x, 2.0) or the RSS 1.0 / 0.90 one (RDF feeds).
    static func isRSS(_ namespace: String?) -> Bool {
        namespace == nil || namespace == rss10 || namespace == rss090
    }

    static func isAtom(_ namespace: String?) -> Bool {
        namespace == atom10 || namespace == atom03
    }
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
    /// Content that is not text (base64, an image, an out-of-line `src`): dropped.
    case ignored

    /// Renders captured text for a single-line field (titles).
    func singleLine(_ text: String) -> String {
        body(text).collapsedToOneLine()
    }

    /// Renders captured text for a body field (summary, content).
    func body(_ text: String) -> String {
        switch self {
        case .plain: text.tidiedPlainText()
        case .html, .xhtml: HTMLText.plainText(fromHTML: text)
        case .maybeHTML: text.looksLikeMarkup ? HTMLText.plainText(fromHTML: text) : text.tidiedPlainText()
        case .ignored: ""
        }
    }

    /// Whether child elements are written back into the text as tags.
    var keepsMarkup: Bool {
        switch self {
        case .html, .maybeHTML, .xhtml: true
        case .plain, .ignored: false
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
    /// A date; lower `rank` wins (`pubDate` over `dc:date`, `published` over `updated`).
    case date(rank: Int)
    case summary
    case content
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
    static func rss(localName: String, namespace: String?, owner: FieldOwner, attribute: (String) -> String?)
        -> FieldSpec?
    {
        if FeedNamespace.isRSS(namespace) {
            switch (localName, owner) {
            case ("title", _): return FieldSpec(field: .title, mode: .maybeHTML)
            case ("link", _): return FieldSpec(field: .link, mode: .plain)
            case ("description", .item): return FieldSpec(field: .summary, mode: .maybeHTML)
            case ("guid", .item):
                let isPermaLink = attribute("isPermaLink")?.trimmingWhitespace().lowercased() != "false"
                return FieldSpec(field: .guid(isPermaLink: isPermaLink), mode: .plain)
            case ("pubDate", .item): return FieldSpec(field: .date(rank: 0), mode: .plain)
            default: return nil
            }
        }
        guard owner == .item else { return nil }
        switch (localName, namespace) {
        case ("encoded", FeedNamespace.content): return FieldSpec(field: .content, mode: .maybeHTML)
        case ("date", FeedNamespace.dublinCore): return FieldSpec(field: .date(rank: 1), mode: .plain)
        default: return nil
        }
    }

    /// The field of an Atom element (other than `<link>`, which is read from its attributes).
    static func atom(localName: String, owner: FieldOwner, isAtom03: Bool, attribute: (String) -> String?)
        -> FieldSpec?
    {
        switch (localName, owner) {
        case ("title", _):
            return FieldSpec(field: .title, mode: textConstructMode(isAtom03: isAtom03, isContent: false, attribute))
        case ("id", .item): return FieldSpec(field: .atomID, mode: .plain)
        case ("published", .item): return FieldSpec(field: .date(rank: 0), mode: .plain)
        case ("issued", .item): return FieldSpec(field: .date(rank: 1), mode: .plain)
        case ("created", .item): return FieldSpec(field: .date(rank: 2), mode: .plain)
        case ("updated", .item): return FieldSpec(field: .date(rank: 3), mode: .plain)
        case ("modified", .item): return FieldSpec(field: .date(rank: 4), mode: .plain)
        case ("summary", .item):
            return FieldSpec(field: .summary, mode: textConstructMode(isAtom03: isAtom03, isContent: false, attribute))
        case ("content", .item):
            let mode =
                attribute("src") == nil ? textConstructMode(isAtom03: isAtom03, isContent: true, attribute) : .ignored
            return FieldSpec(field: .content, mode: mode)
        default: return nil
        }
    }

    /// Atom 1.0 `type` = text | html | xhtml | a MIME type; Atom 0.3 adds `mode` = xml | escaped | base64.
    /// Only `<content>` may hold non-text media (dropped); an odd type elsewhere is read as plain text.
    private static func textConstructMode(isAtom03: Bool, isContent: Bool, _ attribute: (String) -> String?)
        -> TextMode
    {
        let type = attribute("type")?.trimmingWhitespace().lowercased() ?? (isAtom03 ? "text/plain" : "text")
        let encodingMode = attribute("mode")?.trimmingWhitespace().lowercased()
        if isAtom03, encodingMode == "base64" { return .ignored }
        switch type {
        case "text", "text/plain": return .plain
        case "html", "text/html": return isAtom03 && encodingMode != "escaped" ? .xhtml : .html
        case "xhtml", "application/xhtml+xml": return .xhtml
        default: return type.hasPrefix("text/") || !isContent ? .plain : .ignored
        }
    }
}
