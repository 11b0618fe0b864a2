import CLibXML2

/// Converts HTML fragments (item descriptions and contents) to plain text.
public enum HTMLText {
    /// Converts an HTML fragment to clean plain text using libxml2's lenient HTML parser.
    ///
    /// Entities are decoded, block elements (`<p>`, `<div>`, `<li>`, headings…) and `<br>` become line breaks,
    /// `<script>`, `<style>` and similar non-content elements are dropped, and whitespace is collapsed.
    /// Never touches the network and never fails: unparseable input yields whatever text could be recovered.
    public static func plainText(fromHTML html: String) -> String {
        // Without a tag or an entity there is nothing for the HTML parser to do.
        guard html.looksLikeMarkup else { return html.collapsedToOneLine() }
        guard let document = HTMLDocument(parsing: html) else { return html.collapsedToOneLine() }
        return document.plainText()
    }
}

/// A libxml2 HTML document tree, owned and freed by this object.
private final class HTMLDocument {
    private let document: htmlDocPtr

    /// Parses `html` (as UTF-8) without network access or error output; nil when libxml2 produced nothing.
    init?(parsing html: String) {
        LibXML2.prepareThread()
        let options = HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue | HTML_PARSE_COMPACT.rawValue
            | HTML_PARSE_IGNORE_ENC.rawValue  // the text is already UTF-8 whatever a <meta charset> claims
        var source = html
        let parsed: htmlDocPtr? = source.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count < Int(Int32.max) else { return nil }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                htmlReadMemory(characters, Int32(bytes.count), nil, "UTF-8", Int32(bitPattern: options))
            }
        }
        guard let parsed else { return nil }
        document = parsed
    }

    deinit {
        xmlFreeDoc(document)
    }

    /// Walks the tree in document order (iteratively: deep nesting cannot exhaust the stack).
    func plainText() -> String {
        var builder = PlainTextBuilder(keepsNewlines: false)
        var next = document.pointee.children
        while let node = next {
            if enter(node, into: &builder), let child = node.pointee.children {
                next = child
                continue
            }
            // Leave this node, then climb until an ancestor has a following sibling.
            var leaving = node
            next = nil
            while true {
                leave(leaving, into: &builder)
                if let sibling = leaving.pointee.next {
                    next = sibling
                    break
                }
                guard let parent = leaving.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { break }
                leaving = parent
            }
        }
        return builder.text
    }

    /// Renders the start of a node; returns whether its children are content to visit.
    private func enter(_ node: xmlNodePtr, into builder: inout PlainTextBuilder) -> Bool {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { builder.append(String(cString: content)) }
            return false
        case XML_ELEMENT_NODE:
            let role = HTMLElementRole(name: node.pointee.name)
            switch role {
            case .lineBreak: builder.breakLine()
            case .block: builder.breakBlock()
            case .cell: builder.separate()
            case .skipped, .inline: break
            }
            return role != .skipped
        default:
            return false
        }
    }

    /// Renders the end of a node.
    private func leave(_ node: xmlNodePtr, into builder: inout PlainTextBuilder) {
        guard node.pointee.type == XML_ELEMENT_NODE else { return }
        switch HTMLElementRole(name: node.pointee.name) {
        case .block: builder.breakBlock()
        case .cell: builder.separate()
        case .skipped, .inline, .lineBreak: break
        }
    }
}

/// How an HTML element affects the plain-text rendering.
private enum HTMLElementRole {
    /// Not content: dropped with everything inside it.
    case skipped
    /// `<br>`.
    case lineBreak
    /// Starts and ends on its own line.
    case block
    /// A table cell: separated from its neighbours by a space.
    case cell
    case inline

    init(name: UnsafePointer<xmlChar>?) {
        guard let name else {
            self = .inline
            return
        }
        // libxml2's HTML parser lower-cases element names.
        let tag = String(cString: name)
        if Self.skippedTags.contains(tag) {
            self = .skipped
        } else if tag == "br" {
            self = .lineBreak
        } else if Self.blockTags.contains(tag) {
            self = .block
        } else if tag == "td" || tag == "th" {
            self = .cell
        } else {
            self = .inline
        }
    }

    private static let skippedTags: Set<String> = [
        "script", "style", "noscript", "template", "head", "iframe", "object", "embed", "select", "button",
    ]
    private static let blockTags: Set<String> = [
        "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "ul",
    ]
}
