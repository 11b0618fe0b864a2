import CLibXML2

/// What the reader is positioned on, reduced to the cases the feed walker distinguishes.
enum XMLNodeKind {
    case startElement
    case endElement
    /// Text, CDATA or whitespace.
    case text
    /// An entity reference left unexpanded (entities are never substituted).
    case entityReference
    case other
}

/// The outcome of advancing the reader by one node.
enum XMLReadStep {
    case node
    case endOfDocument
    /// libxml2 stopped: a fatal well-formedness error in strict mode, or an internal failure.
    case failed
}

/// A pull reader over an in-memory document, driven by libxml2's SAX2 push parser; owns the parser context.
///
/// The document is pushed to libxml2 in chunks of ``chunkSize`` bytes. The SAX callbacks of one chunk append
/// compact events (element starts and ends, text, entity references) to reusable buffers (``SAXEvents``), and
/// ``read()`` hands them out one by one, pushing the next chunk when they run out. No tree is built and no
/// `String` is made for a node: element and namespace names are converted once per parse (libxml2 interns them
/// in its dictionary), text stays bytes until the walker asks for it, attribute values are decoded only when asked
/// for. Memory stays bounded by the chunk size whatever the document's size (plus the longest text node: libxml2
/// hands a text over once it has read all of it, and caps it at 10 MB without `XML_PARSE_HUGE`).
///
/// Safety, with the options fixed to `NONET | BIG_LINES` (plus `RECOVER` when asked): entities are never
/// substituted (`XML_PARSE_NOENT` is off), no DTD is loaded, and every internal entity is declared with empty
/// replacement text, so a reference costs nothing however the document nests them (billion laughs, quadratic
/// blow-up) and is reported as an ``XMLNodeKind/entityReference``. External entities are never loaded (and the
/// process-wide external entity loader denies every load anyway). Errors go to ``problems``, never to stderr.
///
/// In recovery mode the same push parser runs with `XML_PARSE_RECOVER`, keeping going after well-formedness
/// errors.
final class XMLStreamReader {
    /// Bytes pushed to libxml2 at a time.
    static let chunkSize = 64 * 1024

    private let context: xmlParserCtxtPtr
    private let recover: Bool
    private let document: [UInt8]
    // The state below is touched only by this reader's methods, on the calling thread, never while another access
    // is open: the runtime's exclusivity checks, which cost as much as the parsing here, are turned off for it.
    /// How much of `document` has been pushed to libxml2.
    @exclusivity(unchecked) private var pushed: Int
    @exclusivity(unchecked) private var finished = false
    /// The events of the chunk being read.
    @exclusivity(unchecked) private var chunk: SAXEvents
    /// The current event's index in `chunk.events`.
    @exclusivity(unchecked) private var position = 0

    /// Opens a reader over `bytes`.
    ///
    /// - Parameters:
    ///   - encoding: a libxml2 encoding name that overrides the document's own declaration, or nil.
    ///   - recover: parse in recovery mode (`XML_PARSE_RECOVER`): keep going after well-formedness errors.
    /// - Returns: nil for empty input or input larger than 2 GiB, or when libxml2 cannot create a parser.
    init?(bytes: [UInt8], encoding: String?, recover: Bool) {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { return nil }
        LibXML2.prepareThread()

        var handler = SAXEvents.makeHandler()
        // The first bytes let libxml2 detect a byte-order mark or UTF-16/32 before anything is parsed.
        let head = min(4, bytes.count)
        let created = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                xmlCreatePushParserCtxt(&handler, nil, characters.baseAddress, Int32(head), nil)
            }
        }
        guard let context = created else { return nil }
        // An explicit encoding must win over the XML declaration, which libxml2 would otherwise switch to.
        // (``DocumentEncoding`` only names encodings libxml2 knows.)
        if let encoding, let encoder = xmlFindCharEncodingHandler(encoding) {
            xmlSwitchToEncoding(context, encoder)
        }
        var options = XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue
        if recover { options |= XML_PARSE_RECOVER.rawValue }
        if encoding != nil { options |= XML_PARSE_IGNORE_ENC.rawValue }
        xmlCtxtUseOptions(context, Int32(bitPattern: options))

        self.context = context
        self.recover = recover
        self.document = bytes
        self.pushed = head
        self.chunk = SAXEvents(context: context)
    }

    deinit {
        if let tree = context.pointee.myDoc { xmlFreeDoc(tree) }  // holds only the DTD's declarations
        xmlFreeParserCtxt(context)
    }

    /// The first fatal error libxml2 reported, if any.
    var firstFatalError: FeedProblem? { chunk.problems.firstFatalError }

    /// Whether libxml2 reported a reference to an entity the document never declared, or a bare `&`.
    var sawEntityError: Bool { chunk.problems.sawEntityError }

    /// Every problem libxml2 reported, followed by a count of the dropped ones when there were too many.
    var problems: [FeedProblem] { chunk.problems.allProblems }

    /// Advances to the next node in document order.
    func read() -> XMLReadStep {
        position += 1
        while position >= chunk.events.count {
            if finished {
                return !recover && context.pointee.wellFormed == 0 ? .failed : .endOfDocument
            }
            pushNextChunk()
        }
        return .node
    }

    /// Empties the event buffers and lets libxml2 parse the next chunk of the document into them.
    ///
    /// The callbacks reach `chunk` through the context's `_private` pointer, set for the duration of the call
    /// only: no reference counting and no exclusivity check per callback.
    private func pushNextChunk() {
        position = 0
        let end = min(document.count, pushed + Self.chunkSize)
        let isLast = end == document.count
        chunk.removeAll(reservingFor: end - pushed)
        withUnsafeMutablePointer(to: &chunk) { sink in
            context.pointee._private = UnsafeMutableRawPointer(sink)
            document.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { characters in
                    let start = characters.baseAddress.map { $0 + pushed }
                    _ = xmlParseChunk(context, start, Int32(end - pushed), isLast ? 1 : 0)
                }
            }
            context.pointee._private = nil
        }
        pushed = end
        // After a fatal error in strict mode libxml2 disables its callbacks: nothing more will come.
        let stopped = context.pointee.disableSAX != 0 || context.pointee.instate == XML_PARSER_EOF
        if isLast || stopped { finished = true }
    }

    private var current: SAXEvents.Event { chunk.events[position] }

    /// The kind of the current node.
    var kind: XMLNodeKind { current.kind }

    /// Depth of the current node; the root element is at depth 0.
    var depth: Int { Int(current.depth) }

    /// True for an element written `<name/>`: no end-element node follows it.
    var isEmptyElement: Bool { current.isEmptyElement }

    /// Local name of the current element (or the name of the entity reference), without prefix.
    var localName: String {
        let event = current
        switch event.kind {
        case .startElement, .endElement: return event.name >= 0 ? chunk.names[Int(event.name)] : ""
        case .entityReference: return String(decoding: chunk.bytes[Int(event.start)..<Int(event.end)], as: UTF8.self)
        case .text, .other: return ""
        }
    }

    /// Namespace URI of the current element, nil when it has none.
    var namespaceURI: String? {
        let event = current
        guard event.kind == .startElement || event.kind == .endElement, event.namespace >= 0 else { return nil }
        return chunk.names[Int(event.namespace)]
    }

    /// The text of the current text node (entities and character references already decoded).
    var text: String {
        let event = current
        guard event.kind == .text else { return "" }
        return String(decoding: chunk.bytes[Int(event.start)..<Int(event.end)], as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of the current text node, without copying them into a `String`.
    func withText(_ body: (UnsafePointer<UInt8>, Int) -> Void) {
        let event = current
        guard event.kind == .text, event.end > event.start else { return }
        chunk.bytes.withUnsafeBufferPointer { buffer in
            body(buffer.baseAddress! + Int(event.start), Int(event.end - event.start))
        }
    }

    /// Whether the current element has attributes.
    var hasAttributes: Bool {
        let event = current
        return event.kind == .startElement && event.end > event.start
    }

    /// Line of the current node in the document, when libxml2 knows it.
    var line: Int? {
        let line = current.line
        return line > 0 ? Int(line) : nil
    }

    /// The value of an attribute of the current element, matched by local name and namespace URI.
    ///
    /// An entity reference inside the value is dropped, never expanded; character references are decoded.
    func attribute(_ localName: String, namespace: String? = nil) -> String? {
        let event = current
        guard event.kind == .startElement else { return nil }
        for attribute in chunk.attributes[Int(event.start)..<Int(event.end)] {
            // Most attributes have no namespace: that test is an integer one.
            guard (attribute.namespace >= 0) == (namespace != nil), chunk.names[Int(attribute.name)] == localName
            else { continue }
            if let namespace, chunk.names[Int(attribute.namespace)] != namespace { continue }
            return Self.decodeAttributeValue(chunk.bytes[Int(attribute.start)..<Int(attribute.end)])
        }
        return nil
    }

    /// An attribute value as libxml2 passes it without entity substitution: `&` only starts a character reference
    /// (`&#38;` stands for a literal `&`) or a reference to a declared entity, which is dropped.
    private static func decodeAttributeValue(_ value: ArraySlice<UInt8>) -> String {
        guard value.contains(UInt8(ascii: "&")) else { return String(decoding: value, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(value.count)
        var index = value.startIndex
        while index < value.endIndex {
            let byte = value[index]
            guard byte == UInt8(ascii: "&"), let semicolon = value[index...].firstIndex(of: UInt8(ascii: ";")) else {
                decoded.append(byte)
                index += 1
                continue
            }
            let reference = value[(index + 1)..<semicolon]
            if reference.first == UInt8(ascii: "#"), let scalar = characterReference(reference.dropFirst()) {
                decoded.append(contentsOf: String(Character(scalar)).utf8)
            }
            index = semicolon + 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// The character of a numeric reference's digits (`38`, `x26`), nil when they name none.
    private static func characterReference(_ digits: ArraySlice<UInt8>) -> Unicode.Scalar? {
        let hex = digits.first == UInt8(ascii: "x")
        let number = String(decoding: hex ? digits.dropFirst() : digits, as: UTF8.self)
        guard let value = UInt32(number, radix: hex ? 16 : 10) else { return nil }
        return Unicode.Scalar(value)
    }

}

/// What the SAX callbacks of one chunk produce: compact events, their attributes, and the bytes of their text,
/// entity names and attribute values; plus the names met so far and the errors reported, which last the whole
/// parse.
///
/// The callbacks reach it through the parser context's `_private` pointer, which ``XMLStreamReader`` sets only
/// while libxml2 parses a chunk.
private struct SAXEvents {
    struct Event {
        var kind: XMLNodeKind
        var isEmptyElement = false
        var depth: Int32
        var line: Int32
        /// Element: index of its local name in `names`.
        var name: Int32 = -1
        /// Element: index of its namespace URI in `names`, -1 when it has none.
        var namespace: Int32 = -1
        /// Text and entity references: a byte range of `bytes`; elements: a range of `attributes`.
        var start: Int32 = 0
        var end: Int32 = 0
    }

    struct Attribute {
        var name: Int32
        var namespace: Int32
        /// The value as libxml2 passes it (references still escaped), a byte range of `bytes`.
        var start: Int32
        var end: Int32
    }

    /// The document's parser context: callbacks from another one (libxml2 parsing an entity's replacement text
    /// in a context of its own) are not part of the document.
    let context: xmlParserCtxtPtr
    private(set) var events: [Event] = []
    private(set) var attributes: [Attribute] = []
    /// Text, entity names and attribute values of the chunk's events.
    private(set) var bytes: [UInt8] = []
    /// Depth of the next element to start.
    private var openDepth: Int32 = 0
    private(set) var problems = XMLProblemCollector()

    /// Local names and namespace URIs met so far, and their index by address in libxml2's dictionary
    /// (the addresses stay valid while the parser context lives).
    private(set) var names: [String] = []
    private var nameIndex: [UnsafeRawPointer: Int32] = [:]
    private static let recentNameSlots = 64
    private var recentNames = [(address: UnsafeRawPointer?, index: Int32)](repeating: (nil, 0), count: recentNameSlots)

    init(context: xmlParserCtxtPtr) {
        self.context = context
    }

    /// Empties the events of the previous chunk, with room for those of a chunk of `byteCount` bytes (feeds run
    /// about one node per 16 bytes) rather than growing.
    mutating func removeAll(reservingFor byteCount: Int) {
        events.removeAll(keepingCapacity: true)
        attributes.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        events.reserveCapacity(byteCount / 16)
        bytes.reserveCapacity(byteCount)
    }

    /// The index of an interned libxml2 string in `names`, converting it the first time it is met.
    ///
    /// A feed uses a few dozen names, each at one address: a small direct-mapped cache in front of the
    /// dictionary answers almost every look-up with one comparison.
    private mutating func intern(_ string: UnsafePointer<xmlChar>) -> Int32 {
        let address = UnsafeRawPointer(string)
        let slot = Int(truncatingIfNeeded: UInt(bitPattern: address) >> 3) & (Self.recentNameSlots - 1)
        if recentNames[slot].address == address { return recentNames[slot].index }
        let index: Int32
        if let known = nameIndex[address] {
            index = known
        } else {
            index = Int32(names.count)
            names.append(String(cString: string))
            nameIndex[address] = index
        }
        recentNames[slot] = (address, index)
        return index
    }

    private var currentLine: Int32 { Int32(truncatingIfNeeded: xmlSAX2GetLineNumber(context)) }

    mutating func startElement(
        localName: UnsafePointer<xmlChar>,
        namespace: UnsafePointer<xmlChar>?,
        attributeCount: Int,
        attributeFields: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        let first = Int32(attributes.count)
        if let attributeFields {
            // Five pointers per attribute: local name, prefix, namespace URI, value start, value end.
            for index in 0..<attributeCount {
                let fields = attributeFields + index * 5
                guard let name = fields[0], let valueStart = fields[3], let valueEnd = fields[4] else { continue }
                let start = Int32(bytes.count)
                bytes.append(contentsOf: UnsafeBufferPointer(start: valueStart, count: valueEnd - valueStart))
                let attribute = Attribute(
                    name: intern(name),
                    namespace: fields[2].map { intern($0) } ?? -1,
                    start: start,
                    end: Int32(bytes.count)
                )
                attributes.append(attribute)
            }
        }
        let event = Event(
            kind: .startElement,
            depth: openDepth,
            line: currentLine,
            name: intern(localName),
            namespace: namespace.map { intern($0) } ?? -1,
            start: first,
            end: Int32(attributes.count)
        )
        events.append(event)
        openDepth += 1
    }

    mutating func endElement(localName: UnsafePointer<xmlChar>, namespace: UnsafePointer<xmlChar>?) {
        openDepth -= 1
        // `<name/>`: libxml2 reports the end right after the start, having just read "/>".
        if let last = events.last, last.kind == .startElement, last.depth == openDepth, justReadEmptyElementEnd() {
            events[events.count - 1].isEmptyElement = true
            return
        }
        let event = Event(
            kind: .endElement,
            depth: openDepth,
            line: currentLine,
            name: intern(localName),
            namespace: namespace.map { intern($0) } ?? -1
        )
        events.append(event)
    }

    /// Whether the two bytes libxml2 just consumed are "/>".
    private func justReadEmptyElementEnd() -> Bool {
        guard let input = context.pointee.input, let cursor = input.pointee.cur, let base = input.pointee.base,
            cursor - base >= 2
        else { return false }
        return cursor[-2] == UInt8(ascii: "/") && cursor[-1] == UInt8(ascii: ">")
    }

    mutating func characters(_ characters: UnsafePointer<xmlChar>, count: Int) {
        guard count > 0 else { return }
        // libxml2 delivers long text in pieces: consecutive pieces become one text node.
        if let last = events.last, last.kind == .text, Int(last.end) == bytes.count {
            bytes.append(contentsOf: UnsafeBufferPointer(start: characters, count: count))
            events[events.count - 1].end = Int32(bytes.count)
            return
        }
        let start = Int32(bytes.count)
        bytes.append(contentsOf: UnsafeBufferPointer(start: characters, count: count))
        events.append(Event(kind: .text, depth: openDepth, line: currentLine, start: start, end: Int32(bytes.count)))
    }

    mutating func entityReference(_ name: UnsafePointer<xmlChar>) {
        let start = Int32(bytes.count)
        bytes.append(contentsOf: UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name))))
        events.append(
            Event(kind: .entityReference, depth: openDepth, line: currentLine, start: start, end: Int32(bytes.count))
        )
    }

    /// The events a callback's context feeds; nil outside ``XMLStreamReader``'s parse of a chunk, and for a
    /// context libxml2 made to parse an entity's replacement text.
    private static func sink(of context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<SAXEvents>? {
        guard let parser = context?.assumingMemoryBound(to: xmlParserCtxt.self),
            let events = parser.pointee._private?.assumingMemoryBound(to: SAXEvents.self),
            events.pointee.context == parser
        else { return nil }
        return events
    }

    /// libxml2's SAX2 handler (which records the DTD's declarations) with the document callbacks replaced.
    static func makeHandler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        xmlSAXVersion(&handler, 2)
        handler.startElementNs = { context, localName, _, namespace, _, _, attributeCount, _, attributeFields in
            guard let localName else { return }
            SAXEvents.sink(of: context)?.pointee.startElement(
                localName: localName,
                namespace: namespace,
                attributeCount: Int(attributeCount),
                attributeFields: attributeFields
            )
        }
        handler.endElementNs = { context, localName, _, namespace in
            guard let localName else { return }
            SAXEvents.sink(of: context)?.pointee.endElement(localName: localName, namespace: namespace)
        }
        handler.characters = { context, bytes, count in
            guard let bytes else { return }
            SAXEvents.sink(of: context)?.pointee.characters(bytes, count: Int(count))
        }
        handler.cdataBlock = handler.characters
        handler.ignorableWhitespace = handler.characters
        handler.reference = { context, name in
            guard let name else { return }
            SAXEvents.sink(of: context)?.pointee.entityReference(name)
        }
        handler.entityDecl = { context, name, type, publicID, systemID, content in
            // Declared, so references to it are well-formed, but with no replacement text: never expanded.
            guard content != nil else {
                xmlSAX2EntityDecl(context, name, type, publicID, systemID, nil)
                return
            }
            var empty: xmlChar = 0
            xmlSAX2EntityDecl(context, name, type, publicID, systemID, &empty)
        }
        handler.processingInstruction = nil
        handler.comment = nil
        handler.startElement = nil
        handler.endElement = nil
        handler.serror = { context, error in
            guard let error else { return }
            SAXEvents.sink(of: context)?.pointee.problems.record(error.pointee)
        }
        return handler
    }
}

/// Collects libxml2's structured error reports for one document.
private struct XMLProblemCollector {
    /// Caps the problems kept for one document: garbage input can produce an error per byte.
    static let maximumProblemCount = 100

    private(set) var problems: [FeedProblem] = []
    private(set) var droppedProblemCount = 0
    private(set) var firstFatalError: FeedProblem?
    private(set) var sawEntityError = false

    /// Undeclared entity, `&` without a name, reference without `;`, name required.
    private static let entityErrorCodes: Set<Int32> = [
        Int32(XML_ERR_UNDECLARED_ENTITY.rawValue), Int32(XML_ERR_ENTITYREF_NO_NAME.rawValue),
        Int32(XML_ERR_ENTITYREF_SEMICOL_MISSING.rawValue), Int32(XML_ERR_NAME_REQUIRED.rawValue),
    ]

    var allProblems: [FeedProblem] {
        guard droppedProblemCount > 0 else { return problems }
        return problems + [FeedProblem(line: nil, message: "\(droppedProblemCount) more XML problems not listed")]
    }

    mutating func record(_ error: xmlError) {
        if Self.entityErrorCodes.contains(error.code) {
            sawEntityError = true
        }
        let isFirstFatal = error.level == XML_ERR_FATAL && firstFatalError == nil
        guard isFirstFatal || problems.count < Self.maximumProblemCount else {
            droppedProblemCount += 1
            return
        }
        let message = error.message.map { String(cString: $0) } ?? "unknown XML error"
        let problem = FeedProblem(line: error.line > 0 ? Int(error.line) : nil, message: message.trimmingWhitespace())
        if isFirstFatal { firstFatalError = problem }
        if problems.count < Self.maximumProblemCount {
            problems.append(problem)
        } else {
            droppedProblemCount += 1
        }
    }
}
