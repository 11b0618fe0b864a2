/// Builds plain text from runs of text and structural breaks, collapsing whitespace as it goes.
///
/// Runs of whitespace become one space; breaks become at most two newlines (one blank line);
/// leading and trailing whitespace never reaches the output. Works on UTF-8 bytes: this is the inner loop of
/// every text field of every item.
struct PlainTextBuilder {
    private var output: [UInt8] = []
    private var pendingSpace = false
    private var pendingBreaks = 0
    /// When true a newline in appended text is kept as a line break (plain text); otherwise it is a space (HTML).
    private let keepsNewlines: Bool

    init(keepsNewlines: Bool, capacity: Int = 0) {
        self.keepsNewlines = keepsNewlines
        if capacity > 0 { output.reserveCapacity(capacity) }
    }

    /// Appends text, collapsing its whitespace.
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(utf8: $0) }
    }

    /// Appends a NUL-terminated UTF-8 string from libxml2.
    mutating func append(cString: UnsafePointer<UInt8>) {
        append(utf8: UnsafeBufferPointer(start: cString, count: Int(strlenUTF8(cString))))
    }

    /// Appends UTF-8 text, collapsing its whitespace.
    mutating func append(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte <= 0x20 {
                if byte == 0x20 || (0x09...0x0D).contains(byte) {
                    if byte == 0x0A, keepsNewlines { breakLine() } else { pendingSpace = true }
                    index += 1
                    continue
                }
            } else if byte >= 0x80 {
                let length = UTF8Whitespace.whitespaceLength(in: bytes, at: index)
                if length > 0 {
                    pendingSpace = true
                    index += length
                    continue
                }
            }
            // A run of words: everything up to the next whitespace other than a single space between two words
            // (which collapsing would write back unchanged), copied in one go.
            flushPending()
            var end = index + 1
            while end < count {
                let next = bytes[end]
                if next <= 0x20 {
                    if next == 0x20, end + 1 < count, Self.startsNonSpace(bytes[end + 1]) {
                        end += 2
                        continue
                    }
                    if next == 0x20 || (0x09...0x0D).contains(next) { break }
                } else if next == 0xC2 || (next >= 0xE1 && next <= 0xE3),
                    UTF8Whitespace.whitespaceLength(in: bytes, at: end) > 0
                {
                    break
                }
                end += 1
            }
            if output.isEmpty { output.reserveCapacity(count) }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
            index = end
        }
    }

    /// Whether a character starting with `byte` is certainly not whitespace.
    private static func startsNonSpace(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte != 0xC2 && !(0xE1...0xE3).contains(byte)
    }

    /// Appends one character (a decoded entity), collapsing it if it is whitespace.
    mutating func append(scalar: Unicode.Scalar) {
        var encoded: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &encoded) { buffer in
            for unit in UTF8.encode(scalar)! {
                buffer[count] = unit
                count += 1
            }
        }
        withUnsafeBytes(of: &encoded) { buffer in
            append(utf8: UnsafeBufferPointer(rebasing: buffer.bindMemory(to: UInt8.self)[0..<count]))
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
    var text: String { String(decoding: output, as: UTF8.self) }

    private mutating func flushPending() {
        defer {
            pendingSpace = false
            pendingBreaks = 0
        }
        guard !output.isEmpty else { return }
        if pendingBreaks > 0 {
            output.append(0x0A)
            if pendingBreaks > 1 { output.append(0x0A) }
        } else if pendingSpace {
            output.append(0x20)
        }
    }
}

/// The Unicode White_Space characters (a fixed list: U+0009–000D, U+0020, U+0085, U+00A0, U+1680, U+2000–200A,
/// U+2028, U+2029, U+202F, U+205F, U+3000), tested on UTF-8 bytes or scalars without property look-ups.
enum UTF8Whitespace {
    /// The byte length of the whitespace character starting at `index`, 0 when it is not whitespace.
    static func whitespaceLength(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        if lead < 0x80 { return lead == 0x20 || (0x09...0x0D).contains(lead) ? 1 : 0 }
        let count = bytes.count
        switch lead {
        case 0xC2:
            guard index + 1 < count else { return 0 }
            return bytes[index + 1] == 0x85 || bytes[index + 1] == 0xA0 ? 2 : 0
        case 0xE1:
            guard index + 2 < count else { return 0 }
            return bytes[index + 1] == 0x9A && bytes[index + 2] == 0x80 ? 3 : 0
        case 0xE2:
            guard index + 2 < count else { return 0 }
            let second = bytes[index + 1]
            let third = bytes[index + 2]
            if second == 0x80 { return third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0 }
            return second == 0x81 && third == 0x9F ? 3 : 0
        case 0xE3:
            guard index + 2 < count else { return 0 }
            return bytes[index + 1] == 0x80 && bytes[index + 2] == 0x80 ? 3 : 0
        default:
            return 0
        }
    }

    /// Whether the scalar is White_Space.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}

/// The length of a NUL-terminated byte string.
func strlenUTF8(_ pointer: UnsafePointer<UInt8>) -> Int {
    var length = 0
    while pointer[length] != 0 { length += 1 }
    return length
}

extension String {
    /// The string without leading and trailing whitespace (Unicode White_Space, so NBSP too).
    func trimmingWhitespace() -> String {
        // Most fields need nothing trimmed (and the empty string is trimmed already).
        var text = self
        let isTrimmed = text.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last else { return true }
            // White space beyond ASCII starts with 0xC2 or 0xE1–0xE3 (see ``UTF8Whitespace``).
            if first <= 0x20 || first == 0xC2 || (0xE1...0xE3).contains(first) { return false }
            if last < 0x80 { return last > 0x20 }
            // A multi-byte last character (Arabic text): white space only if it is a two- or three-byte space.
            let count = bytes.count
            if count >= 2, UTF8Whitespace.whitespaceLength(in: bytes, at: count - 2) == 2 { return false }
            if count >= 3, UTF8Whitespace.whitespaceLength(in: bytes, at: count - 3) == 3 { return false }
            return true
        }
        if isTrimmed { return self }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !UTF8Whitespace.isWhitespace($0) }),
            let end = scalars.lastIndex(where: { !UTF8Whitespace.isWhitespace($0) })
        else { return "" }
        return String(scalars[start...end])
    }

    /// Plain text tidied for reading: runs of spaces collapsed, line breaks kept (at most one blank line), trimmed.
    func tidiedPlainText() -> String {
        if hasOnlySingleSpaces { return self }
        var builder = PlainTextBuilder(keepsNewlines: true, capacity: utf8.count)
        builder.append(self)
        return builder.text
    }

    /// All whitespace, newlines included, collapsed to single spaces; trimmed.
    func collapsedToOneLine() -> String {
        if hasOnlySingleSpaces { return self }
        var builder = PlainTextBuilder(keepsNewlines: false, capacity: utf8.count)
        builder.append(self)
        return builder.text
    }

    /// True when collapsing whitespace would change nothing: no whitespace but single ASCII spaces between
    /// words (most titles, ids, links and dates), so the string can be returned as it is.
    private var hasOnlySingleSpaces: Bool {
        var text = self
        return text.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return false }
            var previousWasSpace = false
            for byte in bytes {
                if byte == 0x20 {
                    if previousWasSpace { return false }
                    previousWasSpace = true
                    continue
                }
                previousWasSpace = false
                // Other ASCII whitespace, or a lead byte that may start a Unicode space: do the full work.
                if (0x09...0x0D).contains(byte) || byte == 0xC2 || (0xE1...0xE3).contains(byte) { return false }
            }
            return true
        }
    }

    /// True when the text contains an HTML tag (`<p`, `</`, `<!`) or an entity or character reference
    /// (`&amp;`, `&#39;`).
    var looksLikeMarkup: Bool {
        var text = self
        return text.withUTF8 { bytes in
            let count = bytes.count
            var index = 0
            while index < count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "<"), index + 1 < count {
                    let next = bytes[index + 1]
                    if next.isASCIILetter || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") { return true }
                } else if byte == UInt8(ascii: "&") {
                    var end = index + 1
                    if end < count, bytes[end] == UInt8(ascii: "#") { end += 1 }
                    let nameStart = end
                    while end < count, end - nameStart < 32, bytes[end].isASCIILetter || bytes[end].isASCIIDigit {
                        end += 1
                    }
                    if end > nameStart, end < count, bytes[end] == UInt8(ascii: ";") { return true }
                }
                index += 1
            }
            return false
        }
    }
}

extension UInt8 {
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    var isASCIIDigit: Bool { (0x30...0x39).contains(self) }
}
