/// A sentence: a run of tokens and its span in the original field.
struct Sentence: Sendable {
    /// First token index.
    var tokenStart: Int
    /// One past the last token index.
    var tokenEnd: Int
    /// First original scalar (whitespace trimmed).
    var originalStart: Int
    /// One past the last original scalar, terminator and closing quotes included.
    var originalEnd: Int

    /// The token indices.
    var tokens: Range<Int> { tokenStart..<tokenEnd }
}

/// Splits folded text into sentences at . ! ? ؟ ؛ and line breaks.
///
/// A period does not end a sentence inside a number (3.5), after a single letter (U.S., initials),
/// after a common abbreviation (Mr., Gen., Jan.), or when the next word starts with a lowercase letter.
enum SentenceSplitter {
    /// Each abbreviation `packed`: a lookup builds no array.
    private static let abbreviations: Set<UInt64> = Set(
        [
            "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt", "cpt", "adm", "gov", "sen", "rep",
            "st", "jr", "sr", "vs", "etc", "no", "inc", "corp", "co", "ltd", "jan", "feb", "mar", "apr", "jun",
            "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est", "dept", "prof",
        ].map { packed($0.unicodeScalars.map(\.value)[...])! }
    )

    /// A word of at most twelve letters a-z as one number, five bits a letter (1 to 26, the first lowest), so
    /// two words get equal numbers only if equal; nil for a longer word or any other scalar (no abbreviation).
    private static func packed(_ word: ArraySlice<UInt32>) -> UInt64? {
        guard word.count <= 12 else { return nil }
        var key: UInt64 = 0
        var shift: UInt64 = 0
        for value in word {
            guard value >= 0x61, value <= 0x7A else { return nil }
            key |= UInt64(value - 0x60) << shift
            shift += 5
        }
        return key
    }

    /// Scalars that may trail a terminator and still belong to its sentence.
    private static func isCloser(_ value: UInt32) -> Bool {
        switch value {
        case 0x2E, 0x21, 0x3F, 0x061F, 0x061B, 0x22, 0x27, 0x29, 0x5D, 0xBB, 0x2019, 0x201D, 0x2026: true
        default: false
        }
    }

    /// The scalars below U+0040 that may end a sentence: ! . ? and the line breaks U+000A and U+000D.
    private static let asciiStops: UInt64 = 1 << 0x21 | 1 << 0x2E | 1 << 0x3F | 1 << 0x0A | 1 << 0x0D

    private static func isHardBreak(_ value: UInt32) -> Bool {
        value == 0x0A || value == 0x0D || value == 0x2028 || value == 0x2029 || value == 0x85
    }

    static func split(_ text: NormalizedText, tokens: [Token]) -> [Sentence] {
        var sentences: [Sentence] = []
        // Room for sentences of eight words on average: allocated once for nearly any text.
        sentences.reserveCapacity(tokens.count / 8 + 2)
        text.scalars.withUnsafeBufferPointer { scalars in
            tokens.withUnsafeBufferPointer { tokens in
                let count = scalars.count
                var nextToken = 0
                var segmentStart = 0

                func close(_ end: Int) {
                    var first = segmentStart
                    var last = end
                    while first < last, ScalarClass.isSpace(scalars[first]) { first += 1 }
                    while last > first, ScalarClass.isSpace(scalars[last - 1]) { last -= 1 }
                    let tokenStart = nextToken
                    while nextToken < tokens.count, Int(tokens[nextToken].start) < end { nextToken += 1 }
                    guard nextToken > tokenStart, first < last else { return }
                    sentences.append(
                        Sentence(
                            tokenStart: tokenStart,
                            tokenEnd: nextToken,
                            originalStart: Int(text.originStart[first]),
                            originalEnd: text.originEnd(last - 1)
                        )
                    )
                }

                var index = 0
                var token = 0
                while index < count {
                    // Only the scalars between tokens can end a sentence (a period inside a number never does):
                    // jump over words and numbers.
                    while token < tokens.count, Int(tokens[token].end) <= index { token += 1 }
                    if token < tokens.count, Int(tokens[token].start) <= index {
                        index = Int(tokens[token].end)
                        continue
                    }
                    let value = scalars[index]
                    // Most other scalars are spaces: a bit or a range test rejects them. It must let through
                    // every scalar the switch below and `isHardBreak` end a sentence on
                    // (TokenizerTests.everySentenceEndSplits).
                    if value < 0x40 {
                        if Self.asciiStops & (1 << UInt64(value)) == 0 {
                            index += 1
                            continue
                        }
                    } else if value != 0x85, value < 0x0A0 || (value >= 0x0620 && value < 0x2028) {
                        index += 1
                        continue
                    }
                    let ends: Bool
                    switch value {
                    case 0x21, 0x3F, 0x061F, 0x061B: ends = true
                    case 0x2E: ends = periodEndsSentence(at: index, in: text)
                    default: ends = isHardBreak(value)
                    }
                    guard ends else {
                        index += 1
                        continue
                    }
                    var end = index + 1
                    if !isHardBreak(value) {
                        while end < count, isCloser(scalars[end]) { end += 1 }
                    }
                    close(end)
                    segmentStart = end
                    index = end
                }
                close(count)
            }
        }
        return sentences
    }

    private static func periodEndsSentence(at index: Int, in text: NormalizedText) -> Bool {
        let scalars = text.scalars
        let count = scalars.count
        if index > 0, index + 1 < count, ScalarClass.isDigit(scalars[index - 1]),
            ScalarClass.isDigit(scalars[index + 1])
        {
            return false
        }
        var wordStart = index
        while wordStart > 0, ScalarClass.isLetter(scalars[wordStart - 1]) { wordStart -= 1 }
        let wordLength = index - wordStart
        if wordLength == 1 { return false }
        if wordLength > 1, wordLength <= 6, let key = packed(scalars[wordStart..<index]), abbreviations.contains(key) {
            return false
        }
        var next = index + 1
        while next < count, ScalarClass.isSpace(scalars[next]), !isHardBreak(scalars[next]) { next += 1 }
        if next < count {
            let original = text.originalScalar(Int(text.originStart[next])).value
            if (0x61...0x7A).contains(original) { return false }
        }
        return true
    }
}
