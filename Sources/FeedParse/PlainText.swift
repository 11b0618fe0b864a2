import Glibc

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

    /// Empties the text for reuse, keeping the storage.
    mutating func removeAll() {
        output.removeAll(keepingCapacity: true)
        pendingSpace = false
        pendingBreaks = 0
    }

    /// Appends text, collapsing its whitespace.
    mutating func append(_ text: String) {
        text.withUTF8Bytes { append(utf8: $0) }
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
                // Eight bytes of words and single spaces at a time (the bulk of any text); stops short of the
                // first byte that needs the checks below.
                if end + 8 <= count {
                    let accepted = WordScan.wordsAndSingleSpaces(in: bytes, at: end)
                    end += accepted
                    if accepted == 8 { continue }
                }
                let next = bytes[end]
                if next <= 0x20 {
                    if next == 0x20, end + 1 < count, Self.startsNonSpace(bytes[end + 1]) {
                        end += 2
                        continue
                    }
                    if next == 0x20 || (0x09...0x0D).contains(next) { break }
                } else if UTF8Whitespace.mayStartMultiByteSpace(next),
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
        byte > 0x20 && !UTF8Whitespace.mayStartMultiByteSpace(byte)
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

    /// ``text`` when everything appended was valid UTF-8 (a `String`, a string's bytes cut between characters,
    /// scalars), made without checking the bytes again: the output is valid UTF-8 too, as whitespace is left
    /// out whole characters at a time and everything else is copied as it came. (Checking is most of the cost of
    /// making a long text a `String`.)
    var textOfValidUTF8: String {
        // Unchecked in release builds: a caller appending unchecked bytes (`append(cString:)`) must use `text`.
        assert(String(validating: output, as: UTF8.self) != nil, "textOfValidUTF8 of bytes that are not UTF-8")
        return String(copying: UTF8Span(unchecked: output.span))
    }

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
    /// Whether `byte` may lead a multi-byte white space character: 0xC2 (U+0085, U+00A0) or 0xE1–0xE3 (the
    /// rest). Every other non-ASCII byte certainly does not.
    @inline(__always)
    static func mayStartMultiByteSpace(_ byte: UInt8) -> Bool {
        byte == 0xC2 || (byte >= 0xE1 && byte <= 0xE3)
    }

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

/// Eight bytes at a time (SWAR: SIMD within a 64-bit register) for the module's hottest byte scans: whitespace
/// collapsing above and URL paths (``URLResolution``).
enum WordScan {
    private static let lanes: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// How many of the eight bytes at `index` (`index + 8 <= bytes.count`) are words and single spaces: bytes
    /// that certainly start no whitespace (above 0x20, and not 0xC2 or 0xE0–0xE3, the lead bytes of the
    /// Unicode spaces, 0xE0 included to keep the test short), and spaces each followed by such a byte (the byte
    /// after the eighth is looked at when the eighth is a space). 8 when all are; otherwise the count before
    /// the first byte that is not, never ending on a space, so the caller goes on byte by byte from there.
    ///
    /// Collapsing whitespace leaves such bytes unchanged: they are copied as they are.
    @inline(__always)
    static func wordsAndSingleSpaces(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let word = load(bytes, at: index)
        let spaces = zeroLanes(word ^ (lanes &* 0x20))
        // Below 0x21: ASCII lanes (high bit clear) whose low seven bits are below 0x21. Setting the high bit of
        // every lane first keeps the subtraction from borrowing across lanes.
        let belowSpace = ~((word | highBits) &- (lanes &* 0x21)) & ~word & highBits
        let unicodeSpaceLead = zeroLanes(word ^ (lanes &* 0xC2)) | zeroLanes((word & (lanes &* 0xFC)) ^ (lanes &* 0xE0))
        let notWord = belowSpace | unicodeSpaceLead
        // Lanes that fail: whatever is not a word byte or a space, and any space whose next byte is not a word.
        var failing = (notWord & ~spaces) | (notWord & (spaces << 8))
        if spaces >> 63 != 0 {
            let after = index + 8
            if after >= bytes.count || !startsWord(bytes[after]) { failing |= 1 << 63 }
        }
        guard failing != 0 else { return 8 }
        var accepted = failing.trailingZeroBitCount / 8
        // A space just before the failing byte is not followed by a word byte: leave it to the caller too.
        if accepted > 0, (spaces >> (accepted * 8 - 1)) & 1 != 0 { accepted -= 1 }
        return accepted
    }

    /// Whether the eight bytes at `index` (`index + 8 <= bytes.count`) hold a ".", "?" or "#" (the bytes that
    /// end or may spoil a URL path).
    static func containsDotQuestionOrHash(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let word = load(bytes, at: index)
        return zeroLanes(word ^ (lanes &* 0x2E)) | zeroLanes(word ^ (lanes &* 0x3F)) | zeroLanes(word ^ (lanes &* 0x23))
            != 0
    }

    /// The eight bytes at `index` as one little-endian word.
    @inline(__always)
    private static func load(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of each lane that is zero, no other bit (no carry crosses lanes: each lane adds at most
    /// 0x7F + 0x7F).
    @inline(__always)
    private static func zeroLanes(_ word: UInt64) -> UInt64 {
        ~(((word & lowBits) &+ lowBits) | word) & highBits
    }

    /// The byte test of ``wordsAndSingleSpaces(in:at:)`` for one byte: ``UTF8Whitespace/mayStartMultiByteSpace(_:)``
    /// widened to 0xE0, as the eight-byte test masks 0xE0–0xE3 together.
    private static func startsWord(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte != 0xC2 && byte & 0xFC != 0xE0
    }
}

/// The length of a NUL-terminated byte string.
func strlenUTF8(_ pointer: UnsafePointer<UInt8>) -> Int {
    var length = 0
    while pointer[length] != 0 { length += 1 }
    return length
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes in place: unlike `withUTF8`, which needs a mutable copy of the
    /// string (a retain and a release per call, on hot paths called for every field), it copies nothing when the
    /// bytes are contiguous, as they are in every native string.
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }

    /// The string without leading and trailing whitespace (Unicode White_Space, so NBSP too).
    func trimmingWhitespace() -> String {
        // Most fields need nothing trimmed (and the empty string is trimmed already).
        let isTrimmed = withUTF8Bytes { bytes in
            guard let first = bytes.first, let last = bytes.last else { return true }
            // White space beyond ASCII starts with 0xC2 or 0xE1–0xE3 (see ``UTF8Whitespace``).
            if first <= 0x20 || UTF8Whitespace.mayStartMultiByteSpace(first) { return false }
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
        return builder.textOfValidUTF8
    }

    /// All whitespace, newlines included, collapsed to single spaces; trimmed.
    func collapsedToOneLine() -> String {
        if hasOnlySingleSpaces { return self }
        var builder = PlainTextBuilder(keepsNewlines: false, capacity: utf8.count)
        builder.append(self)
        return builder.textOfValidUTF8
    }

    /// True when collapsing whitespace would change nothing: no whitespace but single ASCII spaces between
    /// words (most titles, ids, links and dates), so the string can be returned as it is.
    private var hasOnlySingleSpaces: Bool {
        withUTF8Bytes { bytes in
            guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return false }
            // The first byte is not a space (checked above), so eight bytes at a time need no look-behind.
            var index = 0
            while index + 8 <= bytes.count {
                let accepted = WordScan.wordsAndSingleSpaces(in: bytes, at: index)
                index += accepted
                if accepted < 8 { break }
            }
            var previousWasSpace = false
            for byte in bytes[index...] {
                if byte == 0x20 {
                    if previousWasSpace { return false }
                    previousWasSpace = true
                    continue
                }
                previousWasSpace = false
                // Other ASCII whitespace, or a lead byte that may start a Unicode space: do the full work.
                if (0x09...0x0D).contains(byte) || UTF8Whitespace.mayStartMultiByteSpace(byte) { return false }
            }
            return true
        }
    }

    /// True when the text contains an HTML tag (`<p`, `</`, `<!`) or an entity or character reference
    /// (`&amp;`, `&#39;`).
    var looksLikeMarkup: Bool {
        withUTF8Bytes { bytes in
            guard bytes.baseAddress != nil else { return false }
            let count = bytes.count
            // Each "<" and each "&" found with `memchr`: most text has few or none, and is skipped at once.
            var index = bytes.offset(of: UInt8(ascii: "<"), from: 0)
            while index < count {
                if index + 1 < count {
                    let next = bytes[index + 1]
                    if next.isASCIILetter || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") { return true }
                }
                index = bytes.offset(of: UInt8(ascii: "<"), from: index + 1)
            }
            index = bytes.offset(of: UInt8(ascii: "&"), from: 0)
            while index < count {
                var end = index + 1
                if end < count, bytes[end] == UInt8(ascii: "#") { end += 1 }
                let nameStart = end
                while end < count, end - nameStart < 32, bytes[end].isASCIILetter || bytes[end].isASCIIDigit {
                    end += 1
                }
                if end > nameStart, end < count, bytes[end] == UInt8(ascii: ";") { return true }
                index = bytes.offset(of: UInt8(ascii: "&"), from: index + 1)
            }
            return false
        }
    }
}

extension UInt8 {
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    var isASCIIDigit: Bool { (0x30...0x39).contains(self) }
}

extension UnsafeBufferPointer<UInt8> {
    /// The offset of the first `byte` at or after `offset`, found with `memchr`; `count` when there is none.
    func offset(of byte: UInt8, from offset: Int) -> Int {
        self.offset(of: byte, from: offset, before: count)
    }

    /// The offset of the first `byte` in `offset..<end`, found with `memchr`; `end` when there is none.
    func offset(of byte: UInt8, from offset: Int, before end: Int) -> Int {
        guard let start = baseAddress, offset < end, let found = memchr(start + offset, Int32(byte), end - offset)
        else { return end }
        return UnsafeRawPointer(found) - UnsafeRawPointer(start)
    }
}
