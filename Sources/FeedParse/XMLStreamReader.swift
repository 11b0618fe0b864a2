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

/// How a parse ended.
enum XMLParseEnd {
    /// libxml2 read the whole document (in recovery mode, whatever it could).
    case endOfDocument
    /// The visitor asked to stop.
    case stopped
    /// libxml2 stopped: a fatal well-formedness error in strict mode, or an internal failure.
    case failed
}

/// Streams an in-memory document through libxml2's SAX2 push parser, handing each node to a visitor as libxml2
/// reports it; owns the parser context and the state its callbacks share.
///
/// The document is pushed to libxml2 in chunks of ``chunkSize`` bytes. Each SAX callback makes its node the
/// current one and calls the visitor, which reads the node through this reader's properties (``kind``,
/// ``localName``, ``attribute(_:namespace:)``, ``withText(_:)``…) before returning: nothing is queued or copied,
/// and those properties are only meaningful inside the visitor. No tree is built and no `String` is made for a
/// node unless the visitor asks: element and namespace names are converted once per parse (libxml2 interns them
/// in its dictionary), text is handed over as libxml2's own bytes, attribute values are decoded only when asked
/// for. Memory stays bounded by the chunk size whatever the document's size (plus the longest text piece:
/// libxml2 caps a text at 10 MB without `XML_PARSE_HUGE`).
///
/// Text comes in the pieces libxml2 delivers it in (a long text, CDATA sections and character references are
/// separate pieces): consecutive ``XMLNodeKind/text`` nodes belong together.
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
    /// How much of `document` has been pushed to libxml2.
    private var pushed: Int
    /// The callbacks' state, reached through the context's `_private` pointer: allocated with the reader and
    /// freed in `deinit`. Accessed only through this pointer, one short access at a time, so neither reference
    /// counting nor exclusivity checks run per callback.
    private let state: UnsafeMutablePointer<SAXState>

    /// Opens a reader over `bytes`.
    ///
    /// - Parameters:
    ///   - encoding: a libxml2 encoding name that overrides the document's own declaration, or nil.
    ///   - recover: parse in recovery mode (`XML_PARSE_RECOVER`): keep going after well-formedness errors.
    /// - Returns: nil for empty input or input larger than 2 GiB, or when libxml2 cannot create a parser.
    init?(bytes: [UInt8], encoding: String?, recover: Bool) {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { return nil }
        LibXML2.prepareThread()

        var handler = SAXState.makeHandler()
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
        state = UnsafeMutablePointer<SAXState>.allocate(capacity: 1)
        state.initialize(to: SAXState(context: context))
        context.pointee._private = UnsafeMutableRawPointer(state)
    }

    deinit {
        context.pointee._private = nil
        if let tree = context.pointee.myDoc { xmlFreeDoc(tree) }  // holds only the DTD's declarations
        xmlFreeParserCtxt(context)
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The first fatal error libxml2 reported, if any.
    var firstFatalError: FeedProblem? { state.pointee.problems.firstFatalError }

    /// Whether libxml2 reported a reference to an entity the document never declared, or a bare `&`.
    var sawEntityError: Bool { state.pointee.problems.sawEntityError }

    /// Every problem libxml2 reported, followed by a count of the dropped ones when there were too many.
    var problems: [FeedProblem] { state.pointee.problems.allProblems }

    /// Parses the document, calling `visit` for every node in document order; `visit` returns false to stop.
    ///
    /// After a stop, the rest of the chunk being parsed is still read for errors (``problems``), without
    /// visits, and no further chunk is pushed.
    func parse(_ visit: () -> Bool) -> XMLParseEnd {
        withoutActuallyEscaping(visit) { visit in
            // The state holds the box unretained (see `SAXState.visitor`): it is kept alive here, and gone (with
            // its reference to `visit`) before `withoutActuallyEscaping` checks that `visit` did not escape.
            let visitor = Visitor(visit)
            return withExtendedLifetime(visitor) { pushChunks(visitor: visitor) }
        }
    }

    /// The push loop of ``parse(_:)``.
    private func pushChunks(visitor: Visitor) -> XMLParseEnd {
        state.pointee.visitor = Unmanaged.passUnretained(visitor)
        defer { state.pointee.visitor = nil }
        while true {
            let end = min(document.count, pushed + Self.chunkSize)
            let isLast = end == document.count
            document.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { characters in
                    let start = characters.baseAddress.map { $0 + pushed }
                    _ = xmlParseChunk(context, start, Int32(end - pushed), isLast ? 1 : 0)
                }
            }
            pushed = end
            if state.pointee.stopped { return .stopped }
            // After a fatal error in strict mode libxml2 disables its callbacks: nothing more will come.
            let halted = context.pointee.disableSAX != 0 || context.pointee.instate == XML_PARSER_EOF
            if isLast || halted {
                return !recover && context.pointee.wellFormed == 0 ? .failed : .endOfDocument
            }
        }
    }

    private var current: SAXState.Node { state.pointee.node }

    /// Whether text nodes are visited (the default). A visitor that has no use for the text at its current
    /// position turns this off until it needs text again: libxml2 still reads (and checks) the text, but no
    /// visit is made for it. Entity references are visited either way.
    var visitsText: Bool {
        get { state.pointee.visitsText }
        set { state.pointee.visitsText = newValue }
    }

    /// The kind of the current node.
    var kind: XMLNodeKind { current.kind }

    /// Depth of the current node; the root element is at depth 0.
    var depth: Int { Int(current.depth) }

    /// True for an element written `<name/>`: no end-element node follows it.
    var isEmptyElement: Bool { current.isEmptyElement }

    /// Local name of the current element (or the name of the entity reference), without prefix.
    var localName: String {
        let node = current
        switch node.kind {
        case .startElement, .endElement: return node.name >= 0 ? state.pointee.names[Int(node.name)] : ""
        case .entityReference: return String(decoding: state.pointee.bytes, as: UTF8.self)
        case .text, .other: return ""
        }
    }

    /// Namespace URI of the current element, nil when it has none.
    var namespaceURI: String? {
        let node = current
        guard node.kind == .startElement || node.kind == .endElement, node.namespace >= 0 else { return nil }
        return state.pointee.names[Int(node.namespace)]
    }

    /// The local name of the current element as one the walker reads (`.other` for any other).
    var knownName: KnownName {
        let node = current
        guard node.kind == .startElement || node.kind == .endElement, node.name >= 0 else { return .other }
        return state.pointee.knownNames[Int(node.name)]
    }

    /// The namespace of the current element as a known vocabulary (`.none` when it has no namespace).
    var namespace: KnownNamespace {
        let node = current
        guard node.kind == .startElement || node.kind == .endElement, node.namespace >= 0 else { return .none }
        return state.pointee.namespaces[Int(node.namespace)]
    }

    /// The text of the current text node (entities and character references already decoded).
    var text: String {
        guard current.kind == .text else { return "" }
        return String(decoding: state.pointee.bytes, as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of the current text node, without copying them into a `String`.
    func withText(_ body: (UnsafePointer<UInt8>, Int) -> Void) {
        let bytes = state.pointee.bytes
        guard current.kind == .text, let start = bytes.baseAddress, bytes.count > 0 else { return }
        body(start, bytes.count)
    }

    /// Whether the current element has attributes.
    var hasAttributes: Bool { current.kind == .startElement && state.pointee.attributeCount > 0 }

    /// Line of the current node in the document, when libxml2 knows it.
    var line: Int? {
        let line = current.line
        return line > 0 ? Int(line) : nil
    }

    /// The value of an attribute of the current element, matched by local name and namespace URI.
    ///
    /// An entity reference inside the value is dropped, never expanded; character references are decoded.
    func attribute(_ localName: String, namespace: String? = nil) -> String? {
        guard current.kind == .startElement, let fields = state.pointee.attributeFields else { return nil }
        // Five pointers per attribute: local name, prefix, namespace URI, value start, value end.
        for index in 0..<state.pointee.attributeCount {
            let attribute = fields + index * 5
            guard let name = attribute[0], let valueStart = attribute[3], let valueEnd = attribute[4] else { continue }
            // Most attributes have no namespace: that test is a pointer one.
            guard (attribute[2] != nil) == (namespace != nil), state.pointee.name(name) == localName else { continue }
            if let namespace, let uri = attribute[2], state.pointee.name(uri) != namespace { continue }
            return Self.decodeAttributeValue(UnsafeBufferPointer(start: valueStart, count: valueEnd - valueStart))
        }
        return nil
    }

    /// An attribute value as libxml2 passes it without entity substitution: `&` only starts a character reference
    /// (`&#38;` stands for a literal `&`) or a reference to a declared entity, which is dropped.
    private static func decodeAttributeValue(_ value: UnsafeBufferPointer<UInt8>) -> String {
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
    private static func characterReference(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Unicode.Scalar? {
        let hex = digits.first == UInt8(ascii: "x")
        let number = String(decoding: hex ? digits.dropFirst() : digits, as: UTF8.self)
        guard let value = UInt32(number, radix: hex ? 16 : 10) else { return nil }
        return Unicode.Scalar(value)
    }
}

/// The visitor of ``XMLStreamReader/parse(_:)`` in a box the SAX state can hold without reference counting.
private final class Visitor {
    let visit: () -> Bool

    init(_ visit: @escaping () -> Bool) {
        self.visit = visit
    }
}

/// What the SAX callbacks share with ``XMLStreamReader``: the node being visited, the visitor, the names met so
/// far and the errors reported.
///
/// The node's bytes and attributes are libxml2's own, valid only while the callback that reported the node runs;
/// they are cleared before it returns.
private struct SAXState {
    struct Node {
        var kind: XMLNodeKind = .other
        var isEmptyElement = false
        var depth: Int32 = 0
        var line: Int32 = 0
        /// Element: index of its local name in `names`.
        var name: Int32 = -1
        /// Element: index of its namespace URI in `names`, -1 when it has none.
        var namespace: Int32 = -1
    }

    /// The document's parser context: callbacks from another one (libxml2 parsing an entity's replacement text
    /// in a context of its own) are not part of the document.
    let context: xmlParserCtxtPtr
    /// Called for each node during ``XMLStreamReader/parse(_:)``; returns false to stop. Unretained: the box is
    /// kept alive by `parse` for as long as this is set, and calling through it then costs no reference counting
    /// per node.
    var visitor: Unmanaged<Visitor>?
    /// See ``XMLStreamReader/visitsText``.
    var visitsText = true
    /// Set when `visit` asked to stop: later callbacks visit nothing.
    var stopped = false
    private(set) var node = Node()
    /// Text node: its UTF-8 bytes; entity reference: its name.
    private(set) var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// Start element: libxml2's attribute array, five pointers per attribute.
    private(set) var attributeFields: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    private(set) var attributeCount = 0
    /// Depth of the next element to start.
    private var openDepth: Int32 = 0
    /// The start element just visited was written `<name/>`: the end libxml2 reports next is not a node.
    private var skipsNextEnd = false
    var problems = XMLProblemCollector()

    /// Local names and namespace URIs met so far, and their index by address in libxml2's dictionary
    /// (the addresses stay valid while the parser context lives).
    private(set) var names: [String] = []
    /// Each name of `names` classified as a namespace URI, and as a local name.
    private(set) var namespaces: [KnownNamespace] = []
    private(set) var knownNames: [KnownName] = []
    private var nameIndex: [UnsafeRawPointer: Int32] = [:]
    /// The slots of the cache: the top 8 bits of the hash.
    private static let recentNameSlots = 256
    private var recentNames = [(address: UnsafeRawPointer?, index: Int32)](repeating: (nil, 0), count: recentNameSlots)

    init(context: xmlParserCtxtPtr) {
        self.context = context
        // Room for the few dozen names of a feed at once, rather than growing (and rehashing) step by step.
        names.reserveCapacity(64)
        namespaces.reserveCapacity(64)
        knownNames.reserveCapacity(64)
        nameIndex.reserveCapacity(64)
    }

    /// The index of an interned libxml2 string in `names`, converting it the first time it is met.
    ///
    /// A feed uses a few dozen names, each at one address: a small direct-mapped cache in front of the
    /// dictionary answers almost every look-up with one comparison.
    private mutating func intern(_ string: UnsafePointer<xmlChar>) -> Int32 {
        let address = UnsafeRawPointer(string)
        // Names sit a few bytes apart in the dictionary: a multiplicative hash spreads them over the slots.
        let slot = Int(truncatingIfNeeded: (UInt(bitPattern: address) &* 0x9E37_79B9_7F4A_7C15) >> 56)
        if recentNames[slot].address == address { return recentNames[slot].index }
        let index: Int32
        if let known = nameIndex[address] {
            index = known
        } else {
            index = Int32(names.count)
            let name = String(cString: string)
            names.append(name)
            namespaces.append(KnownNamespace(name))
            knownNames.append(KnownName(name))
            nameIndex[address] = index
        }
        recentNames[slot] = (address, index)
        return index
    }

    /// An interned libxml2 string (an attribute's name or namespace URI) as a `String`.
    mutating func name(_ string: UnsafePointer<xmlChar>) -> String {
        names[Int(intern(string))]
    }

    private var currentLine: Int32 { Int32(truncatingIfNeeded: xmlSAX2GetLineNumber(context)) }

    /// Makes an element start the current node.
    mutating func startElement(
        localName: UnsafePointer<xmlChar>,
        namespace: UnsafePointer<xmlChar>?,
        attributeCount: Int,
        attributeFields: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        // libxml2 reports the start before consuming the "/>" of an empty element, then reports its end at once.
        let isEmpty = nextBytesCloseEmptyElement()
        node = Node(
            kind: .startElement,
            isEmptyElement: isEmpty,
            depth: openDepth,
            line: currentLine,
            name: intern(localName),
            namespace: namespace.map { intern($0) } ?? -1
        )
        self.attributeFields = attributeFields
        self.attributeCount = attributeFields == nil ? 0 : attributeCount
        skipsNextEnd = isEmpty
        openDepth += 1
    }

    /// Makes an element end the current node; false for the end of an empty element, which is no node.
    mutating func endElement(localName: UnsafePointer<xmlChar>, namespace: UnsafePointer<xmlChar>?) -> Bool {
        openDepth -= 1
        if skipsNextEnd {
            skipsNextEnd = false
            return false
        }
        node = Node(
            kind: .endElement,
            depth: openDepth,
            line: currentLine,
            name: intern(localName),
            namespace: namespace.map { intern($0) } ?? -1
        )
        return true
    }

    /// Whether the next two bytes libxml2 will read are "/>".
    private func nextBytesCloseEmptyElement() -> Bool {
        guard let input = context.pointee.input, let cursor = input.pointee.cur, let end = input.pointee.end,
            end - cursor >= 2
        else { return false }
        return cursor[0] == UInt8(ascii: "/") && cursor[1] == UInt8(ascii: ">")
    }

    /// Makes a piece of text the current node; false when text is not visited (``XMLStreamReader/visitsText``).
    mutating func characters(_ characters: UnsafePointer<xmlChar>, count: Int) -> Bool {
        skipsNextEnd = false
        guard visitsText else { return false }
        node = Node(kind: .text, depth: openDepth, line: currentLine)
        bytes = UnsafeBufferPointer(start: characters, count: count)
        return true
    }

    /// Makes an entity reference the current node.
    mutating func entityReference(_ name: UnsafePointer<xmlChar>) {
        skipsNextEnd = false
        node = Node(kind: .entityReference, depth: openDepth, line: currentLine)
        bytes = UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name)))
    }

    /// Forgets libxml2's pointers once the current node has been visited.
    mutating func clearNodeData() {
        bytes = UnsafeBufferPointer(start: nil, count: 0)
        attributeFields = nil
        attributeCount = 0
    }

    /// The state a callback's context feeds; nil outside ``XMLStreamReader``'s parse, and for a context libxml2
    /// made to parse an entity's replacement text.
    private static func sink(of context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<SAXState>? {
        guard let parser = context?.assumingMemoryBound(to: xmlParserCtxt.self),
            let state = parser.pointee._private?.assumingMemoryBound(to: SAXState.self),
            state.pointee.context == parser, state.pointee.visitor != nil, !state.pointee.stopped
        else { return nil }
        return state
    }

    /// Hands the current node to the visitor, outside any access to the state (the visitor reads it through the
    /// reader).
    private static func deliver(_ state: UnsafeMutablePointer<SAXState>) {
        guard let visitor = state.pointee.visitor else { return }
        let goesOn = visitor._withUnsafeGuaranteedRef { $0.visit() }
        state.pointee.clearNodeData()
        if !goesOn { state.pointee.stopped = true }
    }

    /// libxml2's SAX2 handler (which records the DTD's declarations) with the document callbacks replaced.
    static func makeHandler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        xmlSAXVersion(&handler, 2)
        handler.startElementNs = { context, localName, _, namespace, _, _, attributeCount, _, attributeFields in
            guard let localName, let state = SAXState.sink(of: context) else { return }
            state.pointee.startElement(
                localName: localName,
                namespace: namespace,
                attributeCount: Int(attributeCount),
                attributeFields: attributeFields
            )
            SAXState.deliver(state)
        }
        handler.endElementNs = { context, localName, _, namespace in
            guard let localName, let state = SAXState.sink(of: context) else { return }
            if state.pointee.endElement(localName: localName, namespace: namespace) { SAXState.deliver(state) }
        }
        handler.characters = { context, bytes, count in
            guard let bytes, count > 0, let state = SAXState.sink(of: context) else { return }
            if state.pointee.characters(bytes, count: Int(count)) { SAXState.deliver(state) }
        }
        handler.cdataBlock = handler.characters
        handler.ignorableWhitespace = handler.characters
        handler.reference = { context, name in
            guard let name, let state = SAXState.sink(of: context) else { return }
            state.pointee.entityReference(name)
            SAXState.deliver(state)
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
            guard let error, let parser = context?.assumingMemoryBound(to: xmlParserCtxt.self),
                let state = parser.pointee._private?.assumingMemoryBound(to: SAXState.self),
                state.pointee.context == parser
            else { return }
            state.pointee.problems.record(error.pointee)
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
