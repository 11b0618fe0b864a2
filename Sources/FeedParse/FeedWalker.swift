/// The result of one pass over a document.
enum WalkOutcome {
    /// A recognised feed (in recovery mode: whatever could be read).
    case feed(ParsedFeed)
    /// The document is not well-formed and no feed was produced.
    case malformed(MalformedDocument)
}

/// What a failed pass learnt about the document.
struct MalformedDocument {
    /// The first fatal error, when libxml2 reported one.
    var firstError: FeedProblem?
    /// An entity reference was wrong: undeclared (typically an HTML entity such as `&nbsp;`) or a bare `&`.
    var hasEntityError: Bool
}

/// Turns the nodes an ``XMLStreamReader`` reports into a ``ParsedFeed``, one node at a time as libxml2 reads them.
///
/// Tracks only what the current position needs: the `xml:base` URIs in force, the item being built,
/// the container (Atom person, `media:group`) being read and the element whose text is being captured.
struct FeedWalker {
    private let reader: XMLStreamReader
    private let documentBase: String?
    private let limits: FeedParseLimits
    /// Turns the feed's HTML fragments into text, reusing one HTML parser context.
    private let html = HTMLTextConverter()

    private var format: FeedFormat?
    private var version: String?
    /// Namespace of the Atom root (Atom elements must share it); `.none` for a `<feed>` without one.
    private var atomNamespace = KnownNamespace.none
    /// The base URIs that `xml:base` attributes of the open elements set, with each element's depth, outermost
    /// first. An element's base URI is the last one's, or the document's URL when there is none (``currentBase``):
    /// the elements without `xml:base`, nearly all, cost nothing here.
    private var baseChanges: [(depth: Int, uri: String)] = []
    /// Depth at which feed-level fields (title, link) sit: children of the open `<channel>` or of the Atom `<feed>`.
    private var feedFieldDepth: Int?
    private var insideChannel = false

    private var feedTitle: CapturedText?
    private var feedLink: String?
    /// An `atom:link rel="alternate"` of an RSS channel: the feed link when `<link>` is missing.
    private var feedAlternateLink: String?
    private var feedTTL: Int?
    /// Atom feed-level authors: they apply to entries that name none (RFC 4287 §4.2.1).
    private var feedAuthors: [String] = []
    /// The item being read, while `insideItem`; kept (not optional) so that its fields are updated in place.
    private var item = ItemBuilder()
    /// Whether `item` is open.
    private var insideItem = false
    private var itemDepth = 0
    private var container: Container?
    private var items: [FeedItem] = []
    private var capture: Capture?
    /// The text of `capture`, kept apart so its storage is reused from one field to the next.
    private var captureText = CappedText(limit: 0)
    /// The base URI and the name of `capture`'s element, kept apart so that `Capture` holds no reference: copying
    /// and dropping it (on every text node) then costs nothing.
    private var captureBase: String?
    private var captureElementName = ""
    private var problems = ProblemList()
    private var reportedEntities: Set<String> = []
    private var stopped = false

    /// An element whose children are fields of something other than the item: an Atom author, a `media:group`.
    private struct Container {
        enum Kind {
            case person(PersonBuilder)
            case mediaGroup
        }
        var kind: Kind
        var depth: Int
        var owner: FieldOwner
    }

    /// The element whose text is being collected (with `captureText`, `captureBase`, `captureElementName`).
    private struct Capture {
        var spec: FieldSpec
        var owner: FieldOwner
        var depth: Int
        var line: Int?
    }

    private init(reader: XMLStreamReader, documentBase: String?, limits: FeedParseLimits) {
        self.reader = reader
        self.documentBase = documentBase
        self.limits = limits
    }

    /// Reads `bytes` in one pass.
    /// - Throws: ``FeedParseError`` when the root element is not a feed.
    static func walk(
        _ bytes: [UInt8],
        encoding: String?,
        recover: Bool,
        baseURL: String?,
        limits: FeedParseLimits
    ) throws(FeedParseError) -> WalkOutcome {
        guard let reader = XMLStreamReader(bytes: bytes, encoding: encoding, recover: recover) else {
            // Empty input, or libxml2 could not allocate a parser.
            return .malformed(MalformedDocument(firstError: nil, hasEntityError: false))
        }
        var walker = FeedWalker(reader: reader, documentBase: baseURL, limits: limits)
        return try walker.run(recover: recover)
    }

    private mutating func run(recover: Bool) throws(FeedParseError) -> WalkOutcome {
        // Text matters only inside a captured field (see `startCapture`): the whitespace between elements and
        // the text of elements feedwatch does not read are never visited.
        reader.visitsText = false
        var thrown: FeedParseError?
        let end = reader.parse {
            do throws(FeedParseError) {
                try visitNode()
            } catch {
                thrown = error
                return false
            }
            return !stopped
        }
        if let thrown { throw thrown }
        let malformed = end == .failed || reader.firstFatalError != nil
        guard let format, !(malformed && !recover) else {
            return .malformed(
                MalformedDocument(firstError: reader.firstFatalError, hasEntityError: reader.sawEntityError)
            )
        }
        // In recovery mode an item left open by a truncated document is still worth keeping.
        if insideItem { finishItem() }
        let title = feedTitle.map { $0.mode.singleLine($0.text, html: html) }.flatMap(\.nonEmpty)
        return .feed(
            ParsedFeed(
                format: format,
                title: title,
                link: feedLink ?? feedAlternateLink,
                items: items,
                problems: reader.problems + problems.all,
                ttl: feedTTL,
                version: version
            )
        )
    }

    private mutating func visitNode() throws(FeedParseError) {
        switch reader.kind {
        case .startElement:
            let depth = reader.depth
            closeBases(downTo: depth)
            if reader.hasAttributes, let ownBase = reader.attribute("base", namespace: FeedNamespace.xml) {
                baseChanges.append((depth, URLResolution.resolve(ownBase, against: currentBase)))
            }
            let isEmpty = reader.isEmptyElement
            if let captureDepth = capture?.depth, depth > captureDepth {
                // Markup inside a captured field: rebuilt as tags for the HTML converter.
                if capture?.spec.mode.keepsMarkup == true {
                    let name = reader.localName
                    captureText.append(isEmpty ? "<\(name)/>" : "<\(name)>")
                }
                if isEmpty { closeBases(downTo: depth) }
                return
            }
            try startElement(depth: depth)
            if isEmpty { endElement(depth: depth) }
        case .endElement:
            endElement(depth: reader.depth)
        case .text:
            switch capture?.spec.mode {
            case .xhtml: captureText.append(reader.text.escapedForMarkup())
            case .plain, .html, .maybeHTML, .base64: reader.withText { captureText.append(utf8: $0, count: $1) }
            case .ignored, nil: break
            }
        case .entityReference:
            let name = reader.localName
            if capture?.spec.mode.keepsMarkup == true {
                // Left for the HTML converter: it knows &nbsp; and friends; anything else stays literal.
                captureText.append("&\(name);")
            }
            if reportedEntities.count < 10, reportedEntities.insert(name).inserted {
                report("entity reference &\(name); was not expanded")
            }
        case .other:
            break
        }
    }

    private mutating func startElement(depth: Int) throws(FeedParseError) {
        if depth == 0 {
            try recognizeRoot(localName: reader.localName, namespace: reader.namespaceURI)
            return
        }
        guard let format else { return }
        let name = reader.knownName
        let namespace = reader.namespace

        if let container {
            guard depth == container.depth + 1 else { return }
            startContainerChild(container, name: name, namespace: namespace, depth: depth)
            return
        }

        switch format {
        case .rss, .rdf:
            if !insideItem, namespace.isRSS {
                if name == .channel, depth == 1 {
                    if format == .rdf { version = namespace == .rss090 ? "0.90" : "1.0" }
                    insideChannel = true
                    feedFieldDepth = 2
                    return
                }
                if name == .item, depth == 1 || (depth == 2 && insideChannel) {
                    startItem(depth: depth)
                    if format == .rdf, insideItem {
                        item.about = reader.attribute("about", namespace: FeedNamespace.rdf)?.trimmingWhitespace()
                            .nonEmpty
                    }
                    return
                }
            }
        case .atom:
            if !insideItem, depth == 1, name == .entry, namespace == atomNamespace {
                startItem(depth: depth)
                return
            }
        case .json:
            return
        }

        let owner: FieldOwner
        if insideItem, depth == itemDepth + 1 {
            owner = .item
        } else if !insideItem, depth == feedFieldDepth {
            owner = .feed
        } else {
            return
        }

        if namespace.isMedia {
            guard owner == .item else { return }
            startMediaElement(name: name, namespace: namespace, depth: depth)
            return
        }

        let spec: FieldSpec?
        switch format {
        case .rss, .rdf, .json:
            if namespace.isRSS, name == .enclosure, owner == .item {
                readEnclosure(urlAttribute: "url", lengthAttribute: "length")
                return
            }
            if namespace == .atom10, name == .link {
                readAtomLink(owner: owner, isSecondary: true)
                return
            }
            spec = FieldSpec.rss(name: name, namespace: namespace, owner: owner) { reader.attribute($0) }
        case .atom:
            guard namespace == atomNamespace else { return }
            switch name {
            case .link:
                readAtomLink(owner: owner, isSecondary: false)
                return
            case .category:
                if owner == .item, let label = reader.attribute("label") ?? reader.attribute("term") {
                    item.addCategory(label.collapsedToOneLine())
                }
                return
            case .author:
                container = Container(kind: .person(PersonBuilder()), depth: depth, owner: owner)
                return
            default:
                spec = FieldSpec.atom(
                    name: name,
                    owner: owner,
                    isAtom03: atomNamespace == .atom03
                ) { reader.attribute($0) }
            }
        }
        guard let spec else { return }
        startCapture(spec, owner: owner, depth: depth)
    }

    /// A child of an Atom person or a `media:group`.
    private mutating func startContainerChild(
        _ container: Container,
        name: KnownName,
        namespace: KnownNamespace,
        depth: Int
    ) {
        switch container.kind {
        case .person:
            guard namespace == atomNamespace, let spec = FieldSpec.person(name: name) else { return }
            startCapture(spec, owner: container.owner, depth: depth)
        case .mediaGroup:
            guard namespace.isMedia else { return }
            startMediaElement(name: name, namespace: namespace, depth: depth)
        }
    }

    /// A Media RSS element of an item, directly or inside a `media:group`.
    private mutating func startMediaElement(name: KnownName, namespace: KnownNamespace, depth: Int) {
        switch name {
        case .group:
            if container == nil { container = Container(kind: .mediaGroup, depth: depth, owner: .item) }
        case .content:
            readEnclosure(urlAttribute: "url", lengthAttribute: "fileSize")
        case .thumbnail:
            if item.thumbnail == nil, let url = reader.attribute("url")?.trimmingWhitespace(), !url.isEmpty {
                item.thumbnail = URLResolution.resolve(url, against: currentBase)
            }
        default:
            guard
                let spec = FieldSpec.media(name: name, namespace: namespace, attribute: { reader.attribute($0) })
            else { return }
            startCapture(spec, owner: .item, depth: depth)
        }
    }

    /// Starts collecting the text of the current element.
    private mutating func startCapture(_ spec: FieldSpec, owner: FieldOwner, depth: Int) {
        let limit: Int
        switch owner {
        case .item: limit = max(0, limits.maximumItemTextBytes - item.textBytes)
        case .feed: limit = limits.maximumItemTextBytes
        }
        capture = Capture(spec: spec, owner: owner, depth: depth, line: reader.line)
        captureBase = currentBase
        captureElementName = reader.localName
        captureText.reset(limit: limit)
        reader.visitsText = spec.mode != .ignored
    }

    private mutating func endElement(depth: Int) {
        defer { closeBases(downTo: depth) }
        if let captureDepth = capture?.depth {
            if depth > captureDepth {
                if capture?.spec.mode.keepsMarkup == true { captureText.append("</\(reader.localName)>") }
                return
            }
            if let current = capture.take() {
                reader.visitsText = false
                finishCapture(current)
            }
        }
        if let containerDepth = container?.depth, depth <= containerDepth, let current = container.take() {
            if case .person(let person) = current.kind, let author = person.display {
                switch current.owner {
                case .item: item.addAuthor(author)
                case .feed: if !feedAuthors.contains(author) { feedAuthors.append(author) }
                }
            }
        }
        if insideItem, depth == itemDepth {
            finishItem()
        } else if depth == 1, insideChannel {
            // The channel closed: RSS 1.0 items and images that follow are not channel fields.
            insideChannel = false
            feedFieldDepth = nil
        }
    }

    /// The base URI of the element last started and still open.
    private var currentBase: String? { baseChanges.last?.uri ?? documentBase }

    /// Drops the base URIs set by the elements at `depth` and deeper.
    private mutating func closeBases(downTo depth: Int) {
        while let last = baseChanges.last, last.depth >= depth { baseChanges.removeLast() }
    }

    private mutating func recognizeRoot(localName: String, namespace: String?) throws(FeedParseError) {
        switch (localName, namespace) {
        case ("rss", _):
            format = .rss
            version = reader.attribute("version")?.trimmingWhitespace().nonEmpty
        case ("RDF", FeedNamespace.rdf):
            format = .rdf
        case ("feed", let namespace) where FeedNamespace.isAtom(namespace):
            format = .atom
            atomNamespace = KnownNamespace(namespace)
            feedFieldDepth = 1
            version = namespace == FeedNamespace.atom03 ? "0.3" : "1.0"
        case ("feed", nil):
            format = .atom
            atomNamespace = .none
            feedFieldDepth = 1
            report("the <feed> root has no Atom namespace; read as Atom 1.0")
        case ("entry", let namespace) where FeedNamespace.isAtom(namespace):
            // An Atom Entry Document (RFC 4287 §4.1.2): one entry, no feed around it.
            format = .atom
            atomNamespace = KnownNamespace(namespace)
            version = namespace == FeedNamespace.atom03 ? "0.3" : "1.0"
            startItem(depth: 0)
        default:
            let name = namespace.map { "\(localName) in namespace \($0)" } ?? localName
            throw FeedParseError(
                line: reader.line,
                message: "unknown root element <\(name)>: not RSS, RDF, Atom or JSON Feed"
            )
        }
    }

    private mutating func startItem(depth: Int) {
        if format == .rdf, version == nil {
            // RSS 1.0 and 0.90 share the RDF root; the namespace of their items tells them apart.
            version = reader.namespace == .rss090 ? "0.90" : "1.0"
        }
        guard items.count < limits.maximumItemCount else {
            report("more than \(limits.maximumItemCount) items; the rest were ignored")
            stopped = true
            return
        }
        item = ItemBuilder()
        insideItem = true
        itemDepth = depth
    }

    private mutating func finishItem() {
        guard insideItem else { return }
        insideItem = false
        items.append(item.build(feedLink: feedLink, feedAuthors: feedAuthors, problems: &problems, html: html))
    }

    private mutating func finishCapture(_ capture: Capture) {
        let text = captureText
        let captured = CapturedText(text: text.string, mode: capture.spec.mode)
        switch capture.owner {
        case .item:
            item.textBytes += text.count
            if text.isTruncated, !item.textTruncated {
                item.textTruncated = true
                let limit = limits.maximumItemTextBytes
                let message = "the item's text exceeds \(limit) bytes; truncated in <\(captureElementName)>"
                report(message, line: capture.line)
            }
            if case .person = container?.kind {
                storePersonPart(capture.spec.field, captured.text)
            } else {
                item.store(capture.spec.field, captured, line: capture.line, base: captureBase, html: html)
            }
        case .feed:
            if text.isTruncated {
                report(
                    "<\(captureElementName)> is longer than \(limits.maximumItemTextBytes) bytes; truncated",
                    line: capture.line
                )
            }
            if case .person = container?.kind {
                storePersonPart(capture.spec.field, captured.text)
                return
            }
            switch capture.spec.field {
            case .title where feedTitle == nil && !captured.text.trimmingWhitespace().isEmpty:
                feedTitle = captured
            case .link where feedLink == nil:
                let href = captured.text.trimmingWhitespace()
                if !href.isEmpty { feedLink = URLResolution.resolve(href, against: captureBase) }
            case .ttl where feedTTL == nil:
                let value = captured.text.trimmingWhitespace()
                if let minutes = Int(value), minutes > 0 {
                    feedTTL = minutes
                } else if !value.isEmpty {
                    report("<ttl> \"\(value.prefix(40))\" is not a positive number of minutes; ignored", line: capture.line)
                }
            default:
                break
            }
        }
    }

    private mutating func storePersonPart(_ field: FeedField, _ text: String) {
        guard case .person(var person) = container?.kind else { return }
        let value = text.collapsedToOneLine().nonEmpty
        switch field {
        case .personName: person.name = person.name ?? value
        case .personEmail: person.email = person.email ?? value
        case .personURI: person.uri = person.uri ?? value
        default: return
        }
        container?.kind = .person(person)
    }

    /// An Atom `<link>`: the `alternate` one (the default relation) is the page of the entry or feed, an
    /// `enclosure` one a file. `isSecondary` marks an `atom:link` inside RSS, which only fills a missing link.
    private mutating func readAtomLink(owner: FieldOwner, isSecondary: Bool) {
        let relation = reader.attribute("rel")?.trimmingWhitespace().lowercased() ?? "alternate"
        if relation == "enclosure", owner == .item {
            readEnclosure(urlAttribute: "href", lengthAttribute: "length")
            return
        }
        guard relation == "alternate" || relation == FeedNamespace.ianaAlternate,
            let href = reader.attribute("href")?.trimmingWhitespace(), !href.isEmpty
        else { return }
        let resolved = URLResolution.resolve(href, against: currentBase)
        switch (owner, isSecondary) {
        case (.item, false):
            if item.link == nil { item.link = resolved }
        case (.item, true):
            if item.alternateLink == nil { item.alternateLink = resolved }
        case (.feed, false):
            if feedLink == nil { feedLink = resolved }
        case (.feed, true):
            if feedAlternateLink == nil { feedAlternateLink = resolved }
        }
    }

    /// An attached file described by attributes: RSS `<enclosure>`, Atom `rel="enclosure"`, `media:content`.
    private mutating func readEnclosure(urlAttribute: String, lengthAttribute: String) {
        guard insideItem, let url = reader.attribute(urlAttribute)?.trimmingWhitespace(), !url.isEmpty else { return }
        let type = reader.attribute("type")?.trimmingWhitespace().nonEmpty
        let length = reader.attribute(lengthAttribute).flatMap { Int($0.trimmingWhitespace()) }.flatMap {
            $0 >= 0 ? $0 : nil
        }
        let resolved = URLResolution.resolve(url, against: currentBase)
        item.addEnclosure(FeedEnclosure(url: resolved, type: type, length: length))
    }

    private mutating func report(_ message: String, line: Int? = nil) {
        problems.report(message, line: line ?? reader.line)
    }
}

extension FeedNamespace {
    /// The IANA-registered spelling of the `alternate` relation.
    static let ianaAlternate = "http://www.iana.org/assignments/relation/alternate"
}

extension String {
    /// Text made safe to place between tags: `&`, `<` and `>` escaped.
    func escapedForMarkup() -> String {
        guard contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return self }
        var escaped = ""
        for character in self {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
