import Testing
@testable import FeedParse

/// Whitespace collapsing (``PlainTextBuilder``, eight bytes at a time where it can) held to a plain
/// character-by-character statement of the same rules, on generated text that puts every kind of white space,
/// look-alike lead byte and multi-byte character at every offset of the eight-byte words.
@Suite(.timeLimit(.minutes(1))) struct PlainTextTests {
    /// Pieces the generated texts are made of: words in three scripts, ASCII and Unicode white space, controls,
    /// and characters whose lead byte is one a Unicode space also starts with (0xC2, 0xE1–0xE3) or is 0xE0.
    static let pieces = [
        "a", "word", "Z9", "خبر", "ة", "é", "à", "—", "€", "\u{0800}", "\u{1681}", "\u{3001}", "\u{00A9}",
        "x.y",
        " ", " ", " ", "  ", "\t", "\n", "\n\n\n", "\r\n", "\u{0B}", "\u{0C}", "\u{01}", "\u{1F}",
        "\u{A0}", "\u{85}", "\u{1680}", "\u{2003}", "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}",
        "\u{3000}",
    ]

    /// A small deterministic generator (xorshift64), so a failure can be replayed.
    struct Generator {
        var state: UInt64

        mutating func next(below bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
    }

    static func texts() -> [String] {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        return (0..<3_000).map { _ in
            let count = generator.next(below: 40)
            return (0..<count).map { _ in pieces[generator.next(below: pieces.count)] }.joined()
        }
    }

    /// The rules, one character at a time: white space collapses to one space; with `keepsNewlines`, line feeds
    /// are line breaks (at most two in a row, which win over spaces); nothing leads or trails.
    static func reference(_ text: String, keepsNewlines: Bool) -> String {
        var output = ""
        var pendingSpace = false
        var pendingBreaks = 0
        for scalar in text.unicodeScalars {
            if UTF8Whitespace.isWhitespace(scalar) {
                if scalar == "\n", keepsNewlines {
                    pendingBreaks = min(pendingBreaks + 1, 2)
                } else {
                    pendingSpace = true
                }
                continue
            }
            if !output.isEmpty {
                if pendingBreaks > 0 {
                    output += String(repeating: "\n", count: pendingBreaks)
                } else if pendingSpace {
                    output += " "
                }
            }
            pendingSpace = false
            pendingBreaks = 0
            output.unicodeScalars.append(scalar)
        }
        return output
    }

    @Test func collapsingToOneLineFollowsTheRules() {
        for text in Self.texts() {
            #expect(text.collapsedToOneLine() == Self.reference(text, keepsNewlines: false), "\(Array(text.utf8))")
        }
    }

    @Test func tidyingPlainTextFollowsTheRules() {
        for text in Self.texts() {
            #expect(text.tidiedPlainText() == Self.reference(text, keepsNewlines: true), "\(Array(text.utf8))")
        }
    }

    @Test func wordScanStopsBeforeTheFirstByteThatNeedsALook() {
        func accepted(_ text: String, at index: Int = 0) -> Int {
            Array(text.utf8).withUnsafeBufferPointer { WordScan.wordsAndSingleSpaces(in: $0, at: index) }
        }
        #expect(accepted("abcdefgh") == 8)
        #expect(accepted("abc defgh") == 8)
        #expect(accepted("abcdefg x") == 8)  // the eighth byte is a space, a word follows it
        #expect(accepted("abcdefg  ") == 7)  // two spaces: the first is left to the caller
        #expect(accepted("abcdefg ") == 7)  // a space at the end of the text
        #expect(accepted("abc  def") == 3)
        #expect(accepted("ab\tcdefgh") == 2)
        #expect(accepted("خبر\u{A0}عاجل") == 6)  // U+00A0 starts with 0xC2
        #expect(accepted("ab\u{2014}cdefg") == 2)  // 0xE2: maybe a space, checked byte by byte
        #expect(accepted("ab\u{01}cdefgh") == 2)
        #expect(accepted("xx abcdefgh", at: 2) == 8)  // a space first, a word after it
    }
}
