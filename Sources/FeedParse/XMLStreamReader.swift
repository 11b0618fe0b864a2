import CLibXML2

/// What the reader is positioned on, reduced to the cases the feed walker distinguishes.
enum XMLNodeKind {
    case startElement
    case endElement
    /// Text, CDATA (merged into text by `XML_PARSE_NOCDATA`) or whitespace.
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

/// A libxml2 `xmlTextReader` over an in-memory document; owns the reader, the bytes it reads and,
/// in recovery mode, the recovered tree it walks.
///
/// Strict mode streams: only the current node and its ancestors are kept in memory. Recovery mode cannot
/// stream, because libxml2's reader stops at the first well-formedness error even with `XML_PARSE_RECOVER`
/// (`xmlTextReaderPushData` gives up once `wellFormed` is 0); so the document is parsed with `xmlReadMemory` in
/// recovery mode and the same reader interface walks the resulting tree (`xmlReaderWalker`). Only malformed
/// documents pay for a tree, and libxml2's default size limits still apply.
///
/// Options are fixed to the safe set (`NONET | NOCDATA | COMPACT | BIG_LINES`, plus `RECOVER` when asked):
/// entities are never substituted and no DTD is loaded. Errors go to ``problems``, never to stderr.
final class XMLStreamReader {
    private let reader: xmlTextReaderPtr
    /// The recovered tree in recovery mode; nil when streaming.
    private let document: xmlDocPtr?
    /// libxml2 reads the document in place (`xmlReaderForMemory` does not copy), so the bytes live here.
    private let buffer: UnsafeMutableBufferPointer<CChar>
    private let collector: XMLProblemCollector
    /// Namespace URIs already converted, by their address in the reader's dictionary (valid while it lives).
    private var namespaceCache: [(pointer: UnsafePointer<xmlChar>, uri: String)] = []

    /// Opens a reader over `bytes`.
    ///
    /// - Parameters:
    ///   - encoding: a libxml2 encoding name that overrides the document's own declaration, or nil.
    ///   - recover: parse in recovery mode (`XML_PARSE_RECOVER`): keep going after well-formedness errors.
    /// - Returns: nil when libxml2 cannot create a reader (empty input, or larger than 2 GiB).
    init?(bytes: [UInt8], encoding: String?, recover: Bool) {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { return nil }
        LibXML2.prepareThread()

        var options = XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
            | XML_PARSE_BIG_LINES.rawValue
        if recover { options |= XML_PARSE_RECOVER.rawValue }
        // An explicit encoding must win over the XML declaration, which libxml2 would otherwise switch to.
        if encoding != nil { options |= XML_PARSE_IGNORE_ENC.rawValue }

        let storage = UnsafeMutableBufferPointer<CChar>.allocate(capacity: bytes.count)
        bytes.withUnsafeBytes { source in
            UnsafeMutableRawBufferPointer(storage).copyMemory(from: source)
        }
        let collector = XMLProblemCollector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        let size = Int32(bytes.count)

        if recover {
            // libxml2 keeps the structured error handler per thread: set it for this parse only.
            xmlSetStructuredErrorFunc(context, XMLProblemCollector.handler)
            let document = xmlReadMemory(storage.baseAddress, size, nil, encoding, Int32(bitPattern: options))
            xmlSetStructuredErrorFunc(nil, nil)
            guard let document else {
                storage.deallocate()
                return nil
            }
            guard let reader = xmlReaderWalker(document) else {
                xmlFreeDoc(document)
                storage.deallocate()
                return nil
            }
            self.reader = reader
            self.document = document
        } else {
            guard let reader = xmlReaderForMemory(storage.baseAddress, size, nil, encoding, Int32(bitPattern: options))
            else {
                storage.deallocate()
                return nil
            }
            xmlTextReaderSetStructuredErrorHandler(reader, XMLProblemCollector.handler, context)
            self.reader = reader
            self.document = nil
        }
        self.buffer = storage
        self.collector = collector
    }

    deinit {
        xmlFreeTextReader(reader)
        if let document { xmlFreeDoc(document) }
        buffer.deallocate()
    }

    /// The first fatal error libxml2 reported, if any.
    var firstFatalError: FeedProblem? { collector.firstFatalError }

    /// Compares a libxml2 string with a Swift string without converting either.
    private static func equals(_ cString: UnsafePointer<xmlChar>, _ string: String) -> Bool {
        var index = 0
        for byte in string.utf8 {
            guard cString[index] == byte else { return false }
            index += 1
        }
        return cString[index] == 0
    }

    /// Whether libxml2 reported a reference to an entity the document never declared, or a bare `&`.
    var sawEntityError: Bool { collector.sawEntityError }

    /// Every problem libxml2 reported, followed by a count of the dropped ones when there were too many.
    var problems: [FeedProblem] { collector.allProblems }

    /// Advances to the next node in document order.
    func read() -> XMLReadStep {
        switch xmlTextReaderRead(reader) {
        case 1: .node
        case 0: .endOfDocument
        default: .failed
        }
    }

    /// The kind of the current node.
    var kind: XMLNodeKind {
        switch xmlReaderTypes(UInt32(bitPattern: xmlTextReaderNodeType(reader))) {
        case XML_READER_TYPE_ELEMENT: .startElement
        case XML_READER_TYPE_END_ELEMENT: .endElement
        case XML_READER_TYPE_TEXT, XML_READER_TYPE_CDATA, XML_READER_TYPE_WHITESPACE,
            XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            .text
        case XML_READER_TYPE_ENTITY_REFERENCE: .entityReference
        default: .other
        }
    }

    /// Depth of the current node; the root element is at depth 0.
    var depth: Int { Int(xmlTextReaderDepth(reader)) }

    /// True when no end-element node follows this element: `<name/>` when streaming, any childless element
    /// when walking a recovered tree.
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// Local name of the current element (or entity reference), without prefix.
    var localName: String {
        xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }

    /// Namespace URI of the current element, nil when it has none.
    ///
    /// libxml2 interns namespace URIs in the reader's dictionary, so the few a feed uses are converted to
    /// `String` once each and found again by address.
    var namespaceURI: String? {
        guard let pointer = xmlTextReaderConstNamespaceUri(reader) else { return nil }
        if let known = namespaceCache.first(where: { $0.pointer == pointer }) { return known.uri }
        let uri = String(cString: pointer)
        if namespaceCache.count < 16 { namespaceCache.append((pointer, uri)) }
        return uri
    }

    /// The text of the current text node (entities and character references already decoded).
    var text: String {
        xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
    }

    /// Calls `body` with the UTF-8 bytes of the current text node, without copying them into a `String`.
    func withText(_ body: (UnsafePointer<UInt8>, Int) -> Void) {
        guard let value = xmlTextReaderConstValue(reader) else { return }
        body(value, Int(xmlStrlen(value)))
    }

    /// Whether the current element has attributes (or namespace declarations).
    var hasAttributes: Bool { xmlTextReaderHasAttributes(reader) == 1 }

    /// Line of the current node in the document, when libxml2 knows it.
    var line: Int? {
        guard let node = xmlTextReaderCurrentNode(reader) else { return nil }
        let line = Int(xmlGetLineNo(node))
        return line > 0 ? line : nil
    }

    /// The value of an attribute of the current element, matched by local name and namespace URI.
    ///
    /// Reads the attribute's text children only: an entity reference inside an attribute is dropped,
    /// never expanded (libxml2's own attribute getters expand them, which a billion-laughs document abuses).
    func attribute(_ localName: String, namespace: String? = nil) -> String? {
        guard let node = xmlTextReaderCurrentNode(reader), node.pointee.type == XML_ELEMENT_NODE else { return nil }
        var attribute = node.pointee.properties
        while let current = attribute {
            defer { attribute = current.pointee.next }
            guard let name = current.pointee.name, Self.equals(name, localName) else { continue }
            let attributeNamespace = current.pointee.ns?.pointee.href.map { String(cString: $0) }
            guard attributeNamespace == namespace else { continue }
            var value = ""
            var child = current.pointee.children
            while let part = child {
                if part.pointee.type == XML_TEXT_NODE, let content = part.pointee.content {
                    value += String(cString: content)
                }
                child = part.pointee.next
            }
            return value
        }
        return nil
    }
}

/// Collects libxml2's structured error reports for one document.
private final class XMLProblemCollector {
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

    /// The C callback; its context is an unretained `XMLProblemCollector` kept alive by its reader.
    static let handler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        Unmanaged<XMLProblemCollector>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
    }

    var allProblems: [FeedProblem] {
        guard droppedProblemCount > 0 else { return problems }
        return problems + [FeedProblem(line: nil, message: "\(droppedProblemCount) more XML problems not listed")]
    }

    private func record(_ error: xmlError) {
        let message = error.message.map { String(cString: $0) } ?? "unknown XML error"
        let problem = FeedProblem(line: error.line > 0 ? Int(error.line) : nil, message: message.trimmingWhitespace())
        if Self.entityErrorCodes.contains(error.code) {
            sawEntityError = true
        }
        if error.level == XML_ERR_FATAL, firstFatalError == nil {
            firstFatalError = problem
        }
        if problems.count < Self.maximumProblemCount {
            problems.append(problem)
        } else {
            droppedProblemCount += 1
        }
    }
}
