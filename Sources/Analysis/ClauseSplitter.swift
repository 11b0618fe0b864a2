/// Splits a sentence into clauses, so an exclusion vetoes only the clause it stands in.
///
/// A clause ends at a comma (، or ,), a semicolon, a colon, a parenthesis or a dash, and a new one starts
/// at a clause-opening word: a reporting verb (قال, أضاف, أكد ... with or without و), a contrast or
/// simultaneity particle (بينما, فيما, في حين, لكن; but, while, whereas), so that in
/// "شن هجوما لاذعا على الحكومة، بينما قتل ثلاثة جنود في هجوم" the first هجوم is criticism and the
/// second is not vetoed by it.
struct ClauseSplitter: Sendable {
    private static let openers = [
        "قال", "قالت", "أضاف", "أضافت", "أكد", "أكدت", "أوضح", "أوضحت", "أشار", "أشارت", "ذكر", "ذكرت",
        "أعلن", "أعلنت", "تابع", "تابعت", "كشف", "كشفت", "لفت", "لفتت", "شدد", "شددت", "اعتبر", "اعتبرت",
        "بينما", "فيما", "حين", "لكن", "لكنه", "لكنها", "لكنهم", "بيد", "إلا", "ثم", "حيث", "كما",
        "but", "while", "whereas", "although", "though", "however", "meanwhile", "said", "added",
    ]

    private var openerKeys = IDSet()

    /// An empty splitter (no opener words; punctuation only).
    init() {}

    /// Compiles the opener words.
    init(vocabulary: inout Vocabulary) {
        for word in Self.openers {
            for key in vocabulary.bareKeys(of: word) ?? [] { openerKeys.insert(key) }
        }
    }

    /// Fills `clauses` with a clause number for each token of `sentence` (index 0 is the sentence's first token).
    func assign(_ field: PreparedField, _ sentence: Sentence, into clauses: inout [Int32]) {
        clauses.removeAll(keepingCapacity: true)
        clauses.reserveCapacity(sentence.tokens.count)
        var clause: Int32 = 0
        // Through buffers: array accesses through the field would be checked (and may retain) per token.
        field.text.scalars.withUnsafeBufferPointer { scalars in
            field.tokens.withUnsafeBufferPointer { tokens in
                for index in sentence.tokens {
                    if index > sentence.tokenStart {
                        var separated = false
                        for position in Int(tokens[index - 1].end)..<Int(tokens[index].start)
                        where Self.isClauseBreak(scalars[position]) {
                            separated = true
                            break
                        }
                        if separated || startsClause(field, index) { clause += 1 }
                    }
                    clauses.append(clause)
                }
            }
        }
    }

    private func startsClause(_ field: PreparedField, _ index: Int) -> Bool {
        var found = false
        field.forEachBareKey(index) { key in
            if !found, openerKeys.contains(key) { found = true }
        }
        return found
    }

    private static func isClauseBreak(_ value: UInt32) -> Bool {
        switch value {
        case 0x2C, 0x060C, 0x3B, 0x061B, 0x3A, 0x28, 0x29, 0x5B, 0x5D, 0x2013, 0x2014: true
        default: false
        }
    }
}
