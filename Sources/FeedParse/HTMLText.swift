import CLibXML2

/// Converts HTML fragments (item descriptions and contents) to plain text.
public enum HTMLText {
    /// Converts an HTML fragment to clean plain text using libxml2's lenient HTML parser.
    ///
    /// Entities are decoded, block elements (`<p>`, `<div>`, `<li>`, headings…) and `<br>` become line breaks,
    /// `<script>`, `<style>` and similar non-content elements are dropped, and whitespace is collapsed.
    /// Never touches the network and never fails: unparseable input yields whatever text could be recovered.
    public static func plainText(fromHTML html: String) -> String {
        HTMLTextConverter().plainText(fromHTML: html)
    }
}

/// libxml2's HTML parser in SAX mode, turning fragments into plain text without building a tree.
///
/// Owns one parser context, reset and reused for every fragment it converts (a feed has one or two fragments per
/// item), and frees it in `deinit`. Not thread-safe: one converter per parse.
final class HTMLTextConverter {
    /// Created at the first fragment that needs libxml2 (most take the ``SimpleHTML`` path); nil when libxml2
    /// could not allocate one, and fragments are then reduced to their collapsed text.
    private var context: htmlParserCtxtPtr?
    private var contextCreated = false
    private var builder = PlainTextBuilder(keepsNewlines: false)
    /// The ``SimpleHTML`` fast path's storage, reused from one fragment to the next.
    private var simpleWorkspace = SimpleHTML.Workspace()
    /// Depth inside dropped elements (`<script>`…); text is ignored while positive.
    private var skippedDepth = 0
    /// Roles by element name: the parser interns names in its dictionary, which outlives every reset.
    private var roles: [UnsafePointer<xmlChar>: HTMLElementRole] = [:]

    private static let options = Int32(
        bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue | HTML_PARSE_COMPACT.rawValue
            | HTML_PARSE_IGNORE_ENC.rawValue  // the text is already UTF-8 whatever a <meta charset> claims
    )

    init() {}

    /// Creates the parser context with this converter's SAX callbacks.
    private func makeContext() -> htmlParserCtxtPtr? {
        LibXML2.prepareThread()
        guard let context = htmlNewParserCtxt() else { return nil }
        guard let handler = context.pointee.sax else {
            htmlFreeParserCtxt(context)
            return nil
        }
        // Only the callbacks that carry text and structure; the parser builds nothing.
        handler.pointee = htmlSAXHandler()
        handler.pointee.initialized = 1
        handler.pointee.startElement = { context, name, _ in
            guard let name else { return }
            HTMLTextConverter.from(context)?.startElement(name)
        }
        handler.pointee.endElement = { context, name in
            guard let name else { return }
            HTMLTextConverter.from(context)?.endElement(name)
        }
        handler.pointee.characters = { context, text, length in
            guard let text, length > 0 else { return }
            HTMLTextConverter.from(context)?.characters(text, Int(length))
        }
        handler.pointee.ignorableWhitespace = handler.pointee.characters
        handler.pointee.cdataBlock = handler.pointee.characters
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        return context
    }

    deinit {
        if let context { htmlFreeParserCtxt(context) }
    }

    /// See ``HTMLText/plainText(fromHTML:)``.
    func plainText(fromHTML html: String) -> String {
        // Without a tag or an entity there is nothing for the HTML parser to do.
        guard html.looksLikeMarkup else { return html.collapsedToOneLine() }
        return plainText(fromMarkup: html)
    }

    /// ``plainText(fromHTML:)`` for text already known to contain a tag or a reference (``String/looksLikeMarkup``).
    func plainText(fromMarkup html: String) -> String {
        if let simple = SimpleHTML.plainText(html, in: &simpleWorkspace) { return simple }
        return libxml2PlainText(fromHTML: html)
    }

    /// The text libxml2's HTML parser gives, bypassing the ``SimpleHTML`` fast path (tests compare the two).
    func libxml2PlainText(fromHTML html: String) -> String {
        if !contextCreated {
            contextCreated = true
            context = makeContext()
        }
        guard let context else { return html.collapsedToOneLine() }
        builder.removeAll()
        skippedDepth = 0
        var source = html
        let parsed: Bool = source.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count < Int(Int32.max) else { return false }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                // The SAX handler builds no document; free one anyway should libxml2 ever return it.
                if let document = htmlCtxtReadMemory(context, characters, Int32(bytes.count), nil, "UTF-8", Self.options) {
                    xmlFreeDoc(document)
                }
                return true
            }
        }
        guard parsed else { return html.collapsedToOneLine() }
        return builder.text
    }

    /// The converter a SAX callback belongs to (its context is the parser context, whose `_private` points here).
    private static func from(_ context: UnsafeMutableRawPointer?) -> HTMLTextConverter? {
        guard let parser = context?.assumingMemoryBound(to: xmlParserCtxt.self), let owner = parser.pointee._private
        else { return nil }
        return Unmanaged<HTMLTextConverter>.fromOpaque(owner).takeUnretainedValue()
    }

    private func role(of name: UnsafePointer<xmlChar>) -> HTMLElementRole {
        if let known = roles[name] { return known }
        let role = HTMLElementRole(name: name)
        if roles.count < 512 { roles[name] = role }
        return role
    }

    private func startElement(_ name: UnsafePointer<xmlChar>) {
        // libxml2 reports an end for every start (implied and void elements included), so depth stays balanced.
        if skippedDepth > 0 {
            skippedDepth += 1
            return
        }
        let role = role(of: name)
        switch role {
        case .lineBreak: builder.breakLine()
        case .block: builder.breakBlock()
        case .cell: builder.separate()
        case .skipped: skippedDepth = 1
        case .inline: break
        }
    }

    private func endElement(_ name: UnsafePointer<xmlChar>) {
        if skippedDepth > 0 {
            skippedDepth -= 1
            return
        }
        switch role(of: name) {
        case .block: builder.breakBlock()
        case .cell: builder.separate()
        case .skipped, .inline, .lineBreak: break
        }
    }

    private func characters(_ text: UnsafePointer<xmlChar>, _ length: Int) {
        guard skippedDepth == 0 else { return }
        builder.append(utf8: UnsafeBufferPointer(start: text, count: length))
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

    init(name: UnsafePointer<xmlChar>) {
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
