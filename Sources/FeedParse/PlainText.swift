/// Builds plain text from runs of text and structural breaks, collapsing whitespace as it goes.
///
/// Runs of whitespace become one space; breaks become at most two newlines (one blank line);
/// leading and trailing whitespace never reaches the output.
struct PlainTextBuilder {
    private var output = String.UnicodeScalarView()
    private var pendingSpace = false
    private var pendingBreaks = 0
    /// When true a newline in appended text is kept as a line break (plain text); otherwise it is a space (HTML).
    private let keepsNewlines: Bool

    init(keepsNewlines: Bool) {
        self.keepsNewlines = keepsNewlines
    }

    /// Appends text, collapsing its whitespace.
    mutating func append(_ text: String) {
        for scalar in text.unicodeScalars {
            if scalar == "\n", keepsNewlines {
                breakLine()
            } else if scalar.properties.isWhitespace {
                pendingSpace = true
            } else {
                flushPending()
                output.append(scalar)
            }
        }
    }

    /// A hard line break (`<br>`); two in a row leave one blank line.
    mutating func breakLine() {
        pendingBreaks = min(pendingBreaks + 1, 2)
    }

    /// The end or start of a block element: the next text starts on a new line.
    mutating func breakBlock() {
        pendingBreaks = max(pendingBreaks, 1)
    }

    /// A soft separation (between table cells): at least a space.
    mutating func separate() {
        pendingSpace = true
    }

    /// The text built so far.
    var text: String { String(output) }

    private mutating func flushPending() {
        defer {
            pendingSpace = false
            pendingBreaks = 0
        }
        guard !output.isEmpty else { return }
        if pendingBreaks > 0 {
            output.append(contentsOf: String(repeating: "\n", count: pendingBreaks).unicodeScalars)
        } else if pendingSpace {
            output.append(" ")
        }
    }
}

extension String {
    /// The string without leading and trailing whitespace (Unicode White_Space, so NBSP too).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Plain text tidied for reading: runs of spaces collapsed, line breaks kept (at most one blank line), trimmed.
    func tidiedPlainText() -> String {
        var builder = PlainTextBuilder(keepsNewlines: true)
        builder.append(self)
        return builder.text
    }

    /// All whitespace, newlines included, collapsed to single spaces; trimmed.
    func collapsedToOneLine() -> String {
        var builder = PlainTextBuilder(keepsNewlines: false)
        builder.append(self)
        return builder.text
    }

    /// True when the text contains an HTML tag (`<p`, `</`, `<!`) or an entity or character reference
    /// (`&amp;`, `&#39;`).
    var looksLikeMarkup: Bool {
        let bytes = Array(utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<"), index + 1 < bytes.count {
                let next = bytes[index + 1]
                if next.isASCIILetter || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") { return true }
            } else if byte == UInt8(ascii: "&") {
                var end = index + 1
                if end < bytes.count, bytes[end] == UInt8(ascii: "#") { end += 1 }
                let nameStart = end
                while end < bytes.count, end - nameStart < 32, bytes[end].isASCIILetter || bytes[end].isASCIIDigit {
                    end += 1
                }
                if end > nameStart, end < bytes.count, bytes[end] == UInt8(ascii: ";") { return true }
            }
            index += 1
        }
        return false
    }
}

extension UInt8 {
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    var isASCIIDigit: Bool { (0x30...0x39).contains(self) }
}
