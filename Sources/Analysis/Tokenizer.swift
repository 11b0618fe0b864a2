/// A word or number in folded text.
struct Token: Sendable {
    /// The script of a token.
    enum Kind: UInt8, Sendable {
        case arabic, latin, number, other
    }

    /// First folded scalar.
    var start: Int32
    /// One past the last folded scalar.
    var end: Int32
    /// Script or number.
    var kind: Kind

    /// Number of folded scalars.
    var length: Int { Int(end - start) }
    /// The folded range.
    var range: Range<Int> { Int(start)..<Int(end) }
}

/// Splits folded text into words (letter runs of one script) and numbers (digits with inner , or . separators).
enum Tokenizer {
    static func tokenize(_ text: NormalizedText) -> [Token] {
        text.scalars.withUnsafeBufferPointer { scalars in
            // Built inside the closure: a captured `var` would be boxed and checked on every append.
            var tokens: [Token] = []
            // Room for words of three letters and a space on average: news text rarely needs more, so the
            // array is allocated once.
            tokens.reserveCapacity(scalars.count / 4 + 4)
            var index = 0
            let count = scalars.count
            while index < count {
                let value = scalars[index]
                let start = index
                if ScalarClass.isDigit(value) {
                    index += 1
                    while index < count {
                        if ScalarClass.isDigit(scalars[index]) {
                            index += 1
                        } else if scalars[index] == 0x2C || scalars[index] == 0x2E, index + 1 < count,
                            ScalarClass.isDigit(scalars[index + 1])
                        {
                            index += 2
                        } else {
                            break
                        }
                    }
                    tokens.append(Token(start: Int32(start), end: Int32(index), kind: .number))
                } else if ScalarClass.isArabicLetter(value) {
                    index += 1
                    while index < count, ScalarClass.isArabicLetter(scalars[index]) { index += 1 }
                    tokens.append(Token(start: Int32(start), end: Int32(index), kind: .arabic))
                } else if ScalarClass.isLatinLetter(value) {
                    index += 1
                    while index < count, ScalarClass.isLatinLetter(scalars[index]) { index += 1 }
                    tokens.append(Token(start: Int32(start), end: Int32(index), kind: .latin))
                } else if value >= 0x80, ScalarClass.isLetter(value) {
                    index += 1
                    while index < count, ScalarClass.isLetter(scalars[index]),
                        !ScalarClass.isArabicLetter(scalars[index]), !ScalarClass.isLatinLetter(scalars[index])
                    {
                        index += 1
                    }
                    tokens.append(Token(start: Int32(start), end: Int32(index), kind: .other))
                } else {
                    index += 1
                }
            }
            return tokens
        }
    }
}
