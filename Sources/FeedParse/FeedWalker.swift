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
    /// An undeclared entity was referenced (typically an HTML entity such as `&nbsp;`).
    var hasUndeclaredEntity: Bool
}

/// Turns the node stream of an ``XMLStreamReader`` into a ``ParsedFeed``.
///
/// Tracks only what the current position needs: the `xml:base` of each open element, the item being built
/// and the element whose text is being captured.
struct FeedWalker {
    private let reader: XMLStreamReader
    private let documentBase: String?

    private var format: FeedFormat?
    /// Namespace of the Atom root (Atom elements must share it).
    private var atomNamespace: String?
    /// Effective base URI of each open element, indexed by depth.
    private var bases: [String?] = []
    /// Depth at which feed-level fields (title, link) sit: children of the open `<channel>` or of the Atom `<feed>`.
    private var feedFieldDepth: Int?
    private var insideChannel = false

    private var feedTitle: CapturedText?
    private var feedLink: String?
    private var item: ItemBuilder?
    private var itemDepth = 0
    private var items: [FeedItem] = []
    private var capture: Capture?
    private var problems: [FeedProblem] = []
    private var reportedEntities: Set<String> = []
    private var stopped = false

    /// Caps the walker's own reports (dates, truncations, entities), like libxml2's are capped.
    private static let maximumProblemCount = 100

    /// The element whose text is being collected.
    private struct Capture {
        var spec: FieldSpec
        var owner: FieldOwner
        var depth: Int
        var line: Int?
        var base: String?
        var elementName: String
        var text = CappedText(limit: FeedParser.maximumFieldBytes)
    }

    private init(reader: XMLStreamReader, documentBase: String?) {
        self.reader = reader
        self.documentBase = documentBase
    }

    /// Reads `bytes` in one pass.
    /// - Throws: ``FeedParseError`` when the root element is not a feed.
    static func walk(_ bytes: [UInt8], encoding: String?, recover: Bool, baseURL: String?) throws(FeedParseError)
        -> WalkOutcome
    {
        guard let reader = XMLStreamReader(bytes: bytes, encoding: encoding, recover: recover) else {
            // In recovery mode libxml2 builds no tree at all for input that is not XML.
            return .malformed(MalformedDocument(firstError: nil, hasUndeclaredEntity: false))
        }
        var walker = FeedWalker(reader: reader, documentBase: baseURL)
        return try walker.run(recover: recover)
    }

    private mutating func run(recover: Bool) throws(FeedParseError) -> WalkOutcome {
        var failed = false
        reading: while !stopped {
            switch reader.read() {
            case .endOfDocument: break reading
            case .failed:
                failed = true
                break reading
            case .node:
                try visitNode()
            }
        }
        let malformed = failed || reader.firstFatalError != nil
        guard let format, !(malformed && !recover) else {
            return .malformed(
                MalformedDocument(firstError: reader.firstFatalError, hasUndeclaredEntity: reader.sawUndeclaredEntity)
            )
        }
        // In recovery mode an item left open by a truncated document is still worth keeping.
        if item != nil { finishItem() }
        let title = feedTitle.map { $0.mode.singleLine($0.text) }.flatMap { $0.isEmpty ? nil : $0 }
        return .feed(
            ParsedFeed(
                format: format,
                title: title,
                link: feedLink,
                items: items,
                problems: reader.problems + problems
            )
        )
    }

    private mutating func visitNode() throws(FeedParseError) {
        switch reader.kind {
        case .startElement:
            let depth = reader.depth
            if bases.count > depth { bases.removeSubrange(depth...) }
            let parentBase = depth == 0 ? documentBase : bases.last ?? documentBase
            let ownBase = reader.attribute("base", namespace: FeedNamespace.xml)
            bases.append(ownBase.map { URLResolution.resolve($0, against: parentBase) } ?? parentBase)
            let isEmpty = reader.isEmptyElement
            if let capture, depth > capture.depth {
                // Markup inside a captured field: rebuilt as tags for the HTML converter.
                if capture.spec.mode.keepsMarkup {
                    self.capture?.text.append(isEmpty ? "<\(reader.localName)/>" : "<\(reader.localName)>")
                }
                if isEmpty { bases.removeLast() }
                return
            }
            try startElement(depth: depth)
            if isEmpty { endElement(depth: depth) }
        case .endElement:
            endElement(depth: reader.depth)
        case .text:
            switch capture?.spec.mode {
            case .xhtml: capture?.text.append(reader.text.escapedForMarkup())
            case .plain, .html, .maybeHTML: capture?.text.append(reader.text)
            case .ignored, nil: break
            }
        case .entityReference:
            let name = reader.localName
            if capture?.spec.mode.keepsMarkup == true {
                // Left for the HTML converter: it knows &nbsp; and friends; anything else stays literal.
                capture?.text.append("&\(name);")
            }
            if reportedEntities.count < 10, reportedEntities.insert(name).inserted {
                report("entity reference &\(name); was not expanded")
            }
        case .other:
            break
        }
    }

    private mutating func startElement(depth: Int) throws(FeedParseError) {
        let localName = reader.localName
        let namespace = reader.namespaceURI
        if depth == 0 {
            try recognizeRoot(localName: localName, namespace: namespace)
            return
        }
        guard let format else { return }

        switch format {
        case .rss, .rdf:
            if item == nil, FeedNamespace.isRSS(namespace) {
                if localName == "channel", depth == 1 {
                    insideChannel = true
                    feedFieldDepth = 2
                    return
                }
                if localName == "item", depth == 1 || (depth == 2 && insideChannel) {
                    startItem(depth: depth)
                    if format == .rdf {
                        item?.about = reader.attribute("about", namespace: FeedNamespace.rdf)?.trimmingWhitespace()
                            .nonEmpty
                    }
                    return
                }
            }
        case .atom:
            if item == nil, depth == 1, localName == "entry", namespace == atomNamespace {
                startItem(depth: depth)
                return
            }
        }

        let owner: FieldOwner
        if item != nil, depth == itemDepth + 1 {
            owner = .item
        } else if item == nil, depth == feedFieldDepth {
            owner = .feed
        } else {
            return
        }
        let spec: FieldSpec?
        switch format {
        case .rss, .rdf:
            spec = FieldSpec.rss(localName: localName, namespace: namespace, owner: owner) { reader.attribute($0) }
        case .atom:
            guard namespace == atomNamespace else { return }
            if localName == "link" {
                readAtomLink(owner: owner)
                return
            }
            spec = FieldSpec.atom(
                localName: localName,
                owner: owner,
                isAtom03: atomNamespace == FeedNamespace.atom03
            ) { reader.attribute($0) }
        }
        guard let spec else { return }
        capture = Capture(
            spec: spec,
            owner: owner,
            depth: depth,
            line: reader.line,
            base: bases.last ?? documentBase,
            elementName: localName
        )
    }

    private mutating func endElement(depth: Int) {
        defer { if bases.count > depth { bases.removeSubrange(depth...) } }
        if let current = capture {
            if depth > current.depth {
                if current.spec.mode.keepsMarkup { capture?.text.append("</\(reader.localName)>") }
                return
            }
            capture = nil
            finishCapture(current)
        }
        if item != nil, depth == itemDepth {
            finishItem()
        } else if depth == 1, insideChannel {
            // The channel closed: RSS 1.0 items and images that follow are not channel fields.
            insideChannel = false
            feedFieldDepth = nil
        }
    }

    private mutating func recognizeRoot(localName: String, namespace: String?) throws(FeedParseError) {
        switch (localName, namespace) {
        case ("rss", _):
            format = .rss
        case ("RDF", FeedNamespace.rdf):
            format = .rdf
        case ("feed", let namespace) where FeedNamespace.isAtom(namespace):
            format = .atom
            atomNamespace = namespace
            feedFieldDepth = 1
        case ("feed", nil):
            format = .atom
            atomNamespace = nil
            feedFieldDepth = 1
            report("the <feed> root has no Atom namespace; read as Atom 1.0")
        case ("entry", let namespace) where FeedNamespace.isAtom(namespace):
            // An Atom Entry Document (RFC 4287 §4.1.2): one entry, no feed around it.
            format = .atom
            atomNamespace = namespace
            startItem(depth: 0)
        default:
            let name = namespace.map { "\(localName) in namespace \($0)" } ?? localName
            throw FeedParseError(line: reader.line, message: "unknown root element <\(name)>: not RSS, RDF or Atom")
        }
    }

    private mutating func startItem(depth: Int) {
        guard items.count < FeedParser.maximumItemCount else {
            report("more than \(FeedParser.maximumItemCount) items; the rest were ignored")
            stopped = true
            return
        }
        item = ItemBuilder()
        itemDepth = depth
    }

    private mutating func finishItem() {
        guard let builder = item else { return }
        item = nil
        items.append(builder.build(feedLink: feedLink, problems: &problems))
    }

    private mutating func finishCapture(_ capture: Capture) {
        if capture.text.isTruncated {
            report(
                "<\(capture.elementName)> is longer than \(FeedParser.maximumFieldBytes) bytes; truncated",
                line: capture.line
            )
        }
        let captured = CapturedText(text: capture.text.string, mode: capture.spec.mode)
        switch capture.owner {
        case .item:
            item?.store(capture.spec.field, captured, line: capture.line, base: capture.base)
        case .feed:
            switch capture.spec.field {
            case .title where feedTitle == nil && !captured.text.trimmingWhitespace().isEmpty:
                feedTitle = captured
            case .link where feedLink == nil:
                let href = captured.text.trimmingWhitespace()
                if !href.isEmpty { feedLink = URLResolution.resolve(href, against: capture.base) }
            default:
                break
            }
        }
    }

    /// An Atom `<link>`: the `alternate` one (the default relation) is the page of the entry or feed.
    private mutating func readAtomLink(owner: FieldOwner) {
        let relation = reader.attribute("rel")?.trimmingWhitespace().lowercased() ?? "alternate"
        guard relation == "alternate" || relation == FeedNamespace.ianaAlternate,
            let href = reader.attribute("href")?.trimmingWhitespace(), !href.isEmpty
        else { return }
        let resolved = URLResolution.resolve(href, against: bases.last ?? documentBase)
        switch owner {
        case .item:
            if item?.link == nil { item?.link = resolved }
        case .feed:
            if feedLink == nil { feedLink = resolved }
        }
    }

    private mutating func report(_ message: String, line: Int? = nil) {
        guard problems.count < Self.maximumProblemCount else { return }
        problems.append(FeedProblem(line: line ?? reader.line, message: message))
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
