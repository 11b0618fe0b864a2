import CLibXML2
import Glibc

/// A fast path for the HTML fragments most feeds carry: ordinary tags, text and standard entities
/// (`<p>Text with <a href="…">a link</a> &amp; an&nbsp;entity.</p>`).
///
/// libxml2's HTML parser spends 20–40 instructions per byte on such text; this scanner renders the same plain
/// text (the same block breaks, cell separators and line breaks, the same decoded entities) in a few. It gives up
/// (nil) on anything where the HTML parser does more than tokenise: comments, declarations, processing
/// instructions, `<script>`-like and document-level elements, elements with special text rules (`<pre>`,
/// `<textarea>`…), a `<` that does not open a tag, an entity it does not know, a character reference to a
/// control character. The caller then uses libxml2. A differential test holds both paths to the same output.
enum SimpleHTML {
    /// The storage a conversion works in, kept from one fragment to the next by whoever converts many
    /// (``HTMLTextConverter``), so that a fragment costs no allocation but its result.
    struct Workspace {
        fileprivate var builder = PlainTextBuilder(keepsNewlines: false)
        /// Open elements: an end tag that closes none of them is ignored by the HTML parser, not rendered.
        fileprivate var open: [TagName] = []
    }

    /// The plain text of `html`, or nil when the fragment needs the full HTML parser.
    static func plainText(_ html: String) -> String? {
        var workspace = Workspace()
        return plainText(html, in: &workspace)
    }

    /// ``plainText(_:)``, working in `workspace`.
    static func plainText(_ html: String, in workspace: inout Workspace) -> String? {
        html.withUTF8Bytes { plainText(utf8: $0, in: &workspace) }
    }

    /// ``plainText(_:)`` of a string's bytes: valid UTF-8, which the output is made of (text cut at ASCII
    /// bytes, decoded references), so it is not checked again.
    private static func plainText(utf8 bytes: UnsafeBufferPointer<UInt8>, in workspace: inout Workspace) -> String? {
        let count = bytes.count
        guard let start = bytes.baseAddress, count > 0 else { return "" }
        // A NUL anywhere sends the fragment to the full parser.
        guard memchr(start, 0, count) == nil else { return nil }
        workspace.builder.removeAll()
        workspace.open.removeAll(keepingCapacity: true)
        var index = 0
        var textStart = 0
        // Where the next "<" and the next "&" are (`count` when there is none), found with `memchr`: most of a
        // fragment is text, which is skipped at once rather than byte by byte.
        var nextTag = -1
        var nextReference = -1

        func flushText(upTo end: Int) {
            if end > textStart {
                workspace.builder.append(utf8: UnsafeBufferPointer(rebasing: bytes[textStart..<end]))
            }
        }

        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                flushText(upTo: index)
                guard let tag = Tag(bytes, at: index) else { return nil }
                if tag.isClosing {
                    guard let position = workspace.open.lastIndex(of: tag.name) else { return nil }
                    workspace.open.removeSubrange(position...)
                } else if !tag.isVoid {
                    guard workspace.open.count < 256 else { return nil }
                    workspace.open.append(tag.name)
                }
                switch tag.role {
                case .lineBreak: if !tag.isClosing { workspace.builder.breakLine() }
                case .block: workspace.builder.breakBlock()
                case .cell: workspace.builder.separate()
                case .inline: break
                }
                index = tag.end
                textStart = index
            } else if byte == UInt8(ascii: "&") {
                flushText(upTo: index)
                guard let (scalar, end) = reference(in: bytes, at: index) else { return nil }
                workspace.builder.append(scalar: scalar)
                index = end
                textStart = index
            } else {
                if nextTag < index { nextTag = bytes.offset(of: UInt8(ascii: "<"), from: index) }
                if nextReference < index { nextReference = bytes.offset(of: UInt8(ascii: "&"), from: index) }
                index = min(nextTag, nextReference)
            }
        }
        flushText(upTo: count)
        return workspace.builder.textOfValidUTF8
    }

    /// What an element does to the text, for the elements this scanner accepts.
    enum Role {
        case lineBreak
        case block
        case cell
        case inline
    }

    /// A start tag (`<p class="x">`, `<br/>`) or an end tag (`</p>`).
    struct Tag {
        var name = TagName()
        var isClosing: Bool
        var role: Role
        /// Whether the element has no content (`<br>`, `<img>`…), which the HTML parser closes at once.
        var isVoid: Bool
        /// Just past the `>`.
        var end: Int

        init?(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) {
            let count = bytes.count
            var index = start + 1
            isClosing = index < count && bytes[index] == UInt8(ascii: "/")
            if isClosing { index += 1 }
            let nameStart = index
            guard index < count, bytes[index].isASCIILetter else { return nil }
            while index < count, bytes[index].isASCIILetter || bytes[index].isASCIIDigit { index += 1 }
            guard index - nameStart <= 16 else { return nil }
            // The lower-cased name packed into integers: looked up without building a String.
            var name = TagName()
            for position in nameStart..<index { name.append(bytes[position] | 0x20) }
            guard let (role, isVoid) = Self.lookUp(name) else { return nil }
            // `</br>` is a line break to the HTML parser; leave that oddity to it.
            if isClosing, role == .lineBreak { return nil }
            self.name = name
            self.role = role
            self.isVoid = isVoid
            // Attributes: names, optional `=` and a quoted or bare value; nothing else.
            while true {
                while index < count, bytes[index].isHTMLSpace { index += 1 }
                guard index < count else { return nil }
                let byte = bytes[index]
                if byte == UInt8(ascii: ">") {
                    end = index + 1
                    return
                }
                if byte == UInt8(ascii: "/"), index + 1 < count, bytes[index + 1] == UInt8(ascii: ">") {
                    // `<br/>` is a void element either way; `<p/>` is a start tag to libxml2.
                    end = index + 2
                    return
                }
                guard !isClosing, Self.isAttributeNameByte(byte) else { return nil }
                while index < count, Self.isAttributeNameByte(bytes[index]) { index += 1 }
                while index < count, bytes[index].isHTMLSpace { index += 1 }
                guard index < count, bytes[index] == UInt8(ascii: "=") else { continue }
                index += 1
                while index < count, bytes[index].isHTMLSpace { index += 1 }
                guard index < count else { return nil }
                let quote = bytes[index]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    // The closing quote and any "<" before it, found with `memchr` (values are often long URLs).
                    // A NUL cannot be there: ``plainText(utf8:)`` sends a fragment with one to the full parser.
                    let valueStart = index + 1
                    let valueEnd = bytes.offset(of: quote, from: valueStart)
                    guard valueEnd < count,
                        bytes.offset(of: UInt8(ascii: "<"), from: valueStart, before: valueEnd) == valueEnd
                    else { return nil }
                    index = valueEnd + 1
                } else {
                    let valueStart = index
                    while index < count, !bytes[index].isHTMLSpace, bytes[index] != UInt8(ascii: ">") {
                        let byte = bytes[index]
                        if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
                            || byte == UInt8(ascii: "`") || byte == UInt8(ascii: "=") || byte == 0
                        {
                            return nil
                        }
                        index += 1
                    }
                    guard index > valueStart else { return nil }
                }
            }
        }

        private static func isAttributeNameByte(_ byte: UInt8) -> Bool {
            byte.isASCIILetter || byte.isASCIIDigit || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
        }

        /// Elements without content, which the HTML parser closes at once.
        private static let voids = ["br", "hr", "img", "wbr", "col", "source"]
        /// Every accepted element with its role and whether it is void, in an open-addressed hash table (linear
        /// probing from ``TagName/slot``): with a few dozen names in 256 slots, a look-up is one or two probes,
        /// cheaper than a binary search or `Dictionary`'s hashing.
        private static let table: [(name: TagName, role: Role, isVoid: Bool)?] = {
            var roles: [String: Role] = ["br": .lineBreak, "td": .cell, "th": .cell]
            for name in blocks { roles[name] = .block }
            for name in inlines { roles[name] = .inline }
            var table = [(name: TagName, role: Role, isVoid: Bool)?](repeating: nil, count: TagName.slotCount)
            for (name, role) in roles {
                let tag = TagName(name)
                var slot = tag.slot
                while table[slot] != nil { slot = (slot + 1) % TagName.slotCount }
                table[slot] = (tag, role, voids.contains(name))
            }
            return table
        }()
        /// The block elements of ``HTMLTextConverter``'s rendering that the HTML parser treats plainly.
        private static let blocks: [String] =
            [
                "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div",
                "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
                "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "section", "summary", "table", "tr", "ul",
            ]
        /// Inline and table-structure elements with no special parsing rules.
        private static let inlines: [String] = [
            "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "del", "dfn", "em", "font", "i", "img", "ins",
            "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
            "var", "wbr", "tbody", "thead", "tfoot", "col", "colgroup", "picture", "source",
        ]

        /// The role of an accepted element and whether it is void; nil for every other name (the full parser
        /// decides).
        private static func lookUp(_ name: TagName) -> (role: Role, isVoid: Bool)? {
            var slot = name.slot
            while let entry = table[slot] {
                if entry.name == name { return (entry.role, entry.isVoid) }
                slot = (slot + 1) % TagName.slotCount
            }
            return nil
        }
    }

    /// An ASCII element name of up to 16 bytes, packed into two integers.
    struct TagName: Equatable {
        private var high: UInt64 = 0
        private var low: UInt64 = 0

        /// Slots of ``Tag``'s hash table.
        static let slotCount = 256

        /// The name's home slot in ``Tag``'s table: the top bits of a multiplicative hash of both halves.
        var slot: Int { Int(truncatingIfNeeded: ((low ^ high &* 31) &* 0x9E37_79B9_7F4A_7C15) >> 56) }

        init() {}

        init(_ name: String) {
            for byte in name.utf8 { append(byte) }
        }

        mutating func append(_ byte: UInt8) {
            high = high << 8 | low >> 56
            low = low << 8 | UInt64(byte)
        }
    }

    /// The character an entity or character reference at `start` stands for, and the index past its `;`.
    /// Nil for an unknown name, a missing `;`, or a reference to a character the HTML parser would not pass on.
    static func reference(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (Unicode.Scalar, Int)? {
        let count = bytes.count
        var index = start + 1
        guard index < count else { return nil }
        if bytes[index] == UInt8(ascii: "#") {
            index += 1
            let hex = index < count && (bytes[index] == UInt8(ascii: "x") || bytes[index] == UInt8(ascii: "X"))
            if hex { index += 1 }
            var value: UInt32 = 0
            let digitsStart = index
            while index < count, index - digitsStart < 7 {
                let byte = bytes[index]
                if byte.isASCIIDigit {
                    value = value * (hex ? 16 : 10) + UInt32(byte - 0x30)
                } else if hex, let digit = byte.hexLetterValue {
                    value = value * 16 + digit
                } else {
                    break
                }
                index += 1
            }
            guard index > digitsStart, index < count, bytes[index] == UInt8(ascii: ";") else { return nil }
            // Controls (other than tab, newline, return), DEL and C1, surrogates and non-characters: full parser.
            guard value == 0x09 || value == 0x0A || value == 0x0D || (value >= 0x20 && value < 0x7F)
                || (value >= 0xA0 && value < 0xD800) || (value >= 0xE000 && value <= 0x10FFFF && value & 0xFFFE != 0xFFFE
                    && !(0xFDD0...0xFDEF).contains(value)),
                let scalar = Unicode.Scalar(value)
            else { return nil }
            return (scalar, index + 1)
        }
        let nameStart = index
        while index < count, index - nameStart < 32, bytes[index].isASCIILetter || bytes[index].isASCIIDigit {
            index += 1
        }
        guard index > nameStart, index < count, bytes[index] == UInt8(ascii: ";") else { return nil }
        var name: UInt64 = 0
        let length = index - nameStart
        if length <= 8 {
            for position in nameStart..<index { name = name << 8 | UInt64(bytes[position]) }
            if let scalar = commonEntities[name] { return (scalar, index + 1) }
        }
        // Any other HTML 4 entity, from libxml2's own table.
        var nameBytes = Array(bytes[nameStart..<index])
        nameBytes.append(0)
        guard let entity = nameBytes.withUnsafeBufferPointer({ htmlEntityLookup($0.baseAddress) }),
            let scalar = Unicode.Scalar(entity.pointee.value)
        else { return nil }
        return (scalar, index + 1)
    }

    /// The entities feeds use most, packed like tag names (case-sensitive, as in HTML).
    private static let commonEntities: [UInt64: Unicode.Scalar] = {
        let table: [(String, UInt32)] = [
            ("amp", 0x26), ("lt", 0x3C), ("gt", 0x3E), ("quot", 0x22), ("apos", 0x27), ("nbsp", 0xA0),
            ("mdash", 0x2014), ("ndash", 0x2013), ("hellip", 0x2026), ("rsquo", 0x2019), ("lsquo", 0x2018),
            ("rdquo", 0x201D), ("ldquo", 0x201C), ("laquo", 0xAB), ("raquo", 0xBB), ("copy", 0xA9), ("reg", 0xAE),
            ("trade", 0x2122), ("middot", 0xB7), ("bull", 0x2022), ("eacute", 0xE9), ("euro", 0x20AC),
        ]
        var entities: [UInt64: Unicode.Scalar] = [:]
        for (name, value) in table {
            entities[name.utf8.reduce(0) { $0 << 8 | UInt64($1) }] = Unicode.Scalar(value)
        }
        return entities
    }()
}

extension UInt8 {
    /// Space, tab, line feed, form feed or carriage return (HTML's whitespace).
    fileprivate var isHTMLSpace: Bool {
        self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0C || self == 0x0D
    }

    /// 10…15 for `a`…`f` and `A`…`F`.
    fileprivate var hexLetterValue: UInt32? {
        switch self {
        case 0x61...0x66: UInt32(self) - 0x61 + 10
        case 0x41...0x46: UInt32(self) - 0x41 + 10
        default: nil
        }
    }
}
