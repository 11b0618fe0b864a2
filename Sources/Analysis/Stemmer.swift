/// Light stemming on folded scalars. Every result is a sub-range of the token, so stems cost no allocation.
///
/// Arabic follows Larkey's light10, made conservative (no stem shorter than three letters):
/// a leading و, then one article prefix (بال كال فال لل ال), then at most one pronoun enclitic
/// (هما هم ها كم نا), an accusative alif (هجوما → هجوم), and one pass over ات ون ين ان يه ي ه.
/// Single-letter proclitics (ب ل ك ف, و/ف + ب ل ك) and the future س are offered as alternative
/// readings that a lexicon lookup validates, because stripping them blindly breaks real words.
/// English uses a minimal stemmer: plurals, -ing, -ed, a final e (not after c or g) and a final y after a consonant.
enum Stemmer {
    /// How an alternative reading of a token was obtained.
    enum VariantKind: UInt8, Sendable {
        /// One or two proclitic letters removed (بالقوات → القوات, وبقصف → قصف).
        case clitic
        /// The future prefix س removed from a verb (ستغادر → تغادر); a cue for intent.
        case future
        /// لل (li- + article) removed: the remainder is a word that was written with ال.
        case afterArticle
    }

    private static let waw: UInt32 = 0x0648
    private static let fa: UInt32 = 0x0641
    private static let ba: UInt32 = 0x0628
    private static let lam: UInt32 = 0x0644
    private static let kaf: UInt32 = 0x0643
    private static let sin: UInt32 = 0x0633
    private static let yeh: UInt32 = 0x064A
    private static let teh: UInt32 = 0x062A
    private static let noon: UInt32 = 0x0646
    private static let alef: UInt32 = 0x0627

    private static let minimumArabicStem = 3

    // MARK: Arabic

    private static let heh: UInt32 = 0x0647
    private static let meem: UInt32 = 0x0645

    /// The token without its leading و and article (light10 prefix step): the first of بال كال فال لل ال
    /// that leaves at least three letters.
    /// (Generic over the text, like the suffix step and `forEachVariant`: `PreparedField` passes a buffer, which
    /// its closures capture without a retain per word.)
    @inline(__always)
    static func arabicPrefixStripped<Text: RandomAccessCollection<UInt32>>(
        _ text: Text,
        _ range: Range<Int>
    ) -> Range<Int> where Text.Index == Int {
        var lower = range.lowerBound
        let upper = range.upperBound
        if upper - lower >= 4, text[lower] == waw { lower += 1 }
        let length = upper - lower
        if length >= 6, text[lower + 1] == alef, text[lower + 2] == lam,
            text[lower] == ba || text[lower] == kaf || text[lower] == fa
        {
            lower += 3
        } else if length >= 5, text[lower + 1] == lam, text[lower] == lam || text[lower] == alef {
            lower += 2
        }
        return lower..<upper
    }

    /// The Arabic light stem: prefixes, then suffixes.
    static func arabicStem(_ text: [UInt32], _ range: Range<Int>) -> Range<Int> {
        arabicSuffixStripped(text, arabicPrefixStripped(text, range))
    }

    /// Light10's suffix step on a prefix-stripped range: at most one pronoun enclitic (هما هم ها كم نا),
    /// an accusative alif, then one pass over ات ون ين ان يه ي ه; never below three letters.
    static func arabicSuffixStripped<Text: RandomAccessCollection<UInt32>>(
        _ text: Text,
        _ stripped: Range<Int>
    ) -> Range<Int> where Text.Index == Int {
        let lower = stripped.lowerBound
        var upper = stripped.upperBound
        @inline(__always) func ends(_ first: UInt32, _ second: UInt32) -> Bool {
            upper - lower - 2 >= minimumArabicStem && text[upper - 2] == first && text[upper - 1] == second
        }
        @inline(__always) func ends(_ last: UInt32) -> Bool {
            upper - lower - 1 >= minimumArabicStem && text[upper - 1] == last
        }
        // Every ending below finishes with ا م ت ن ه or ي and leaves at least three letters: most words
        // are done after one look at their last letter.
        guard upper - lower > minimumArabicStem else { return stripped }
        switch text[upper - 1] {
        case alef, meem, teh, noon, heh, yeh: break
        default: return stripped
        }
        // Enclitics, first match only: هما, هم, ها, كم, نا.
        if upper - lower - 3 >= minimumArabicStem, text[upper - 3] == heh, text[upper - 2] == meem,
            text[upper - 1] == alef
        {
            upper -= 3
        } else if ends(heh, meem) || ends(heh, alef) || ends(kaf, meem) || ends(noon, alef) {
            upper -= 2
        }
        if ends(alef) { upper -= 1 }
        // Inflections, each in turn: ات, ون, ين, ان, يه, ي, ه.
        if ends(alef, teh) { upper -= 2 }
        if ends(waw, noon) { upper -= 2 }
        if ends(yeh, noon) { upper -= 2 }
        if ends(alef, noon) { upper -= 2 }
        if ends(yeh, heh) { upper -= 2 }
        if ends(yeh) { upper -= 1 }
        if ends(heh) { upper -= 1 }
        return lower..<upper
    }

    /// Calls `body` with each alternative reading of an Arabic token that has leading clitics removed.
    static func forEachVariant<Text: RandomAccessCollection<UInt32>>(
        _ text: Text,
        _ range: Range<Int>,
        _ body: (Range<Int>, VariantKind) -> Void
    ) where Text.Index == Int {
        let lower = range.lowerBound
        let upper = range.upperBound
        let length = upper - lower
        guard length >= 4 else { return }
        let first = text[lower]
        let second = text[lower + 1]
        let conjunction = first == waw || first == fa
        func isImperfectPrefix(_ value: UInt32) -> Bool {
            value == yeh || value == teh || value == noon || value == alef
        }
        if first == ba || first == lam || first == kaf || conjunction {
            body((lower + 1)..<upper, .clitic)
        }
        if length >= 5, conjunction, second == ba || second == lam || second == kaf {
            body((lower + 2)..<upper, .clitic)
        }
        if length >= 5, first == sin, isImperfectPrefix(second) {
            body((lower + 1)..<upper, .future)
        }
        if length >= 6, conjunction, second == sin, isImperfectPrefix(text[lower + 2]) {
            body((lower + 2)..<upper, .future)
        }
        let lamLam = conjunction ? lower + 1 : lower
        if upper - lamLam >= 5, text[lamLam] == lam, text[lamLam + 1] == lam {
            body((lamLam + 2)..<upper, .afterArticle)
        }
    }

    // MARK: English

    private static func isVowel(_ value: UInt32) -> Bool {
        value == 0x61 || value == 0x65 || value == 0x69 || value == 0x6F || value == 0x75
    }

    /// The minimal English stem: troops → troop, forces → forc, attacked → attack, shelling → shell,
    /// casualties / casualty → casualt, fired / fire → fir, forces → force. Words of three letters or fewer are kept.
    static func englishStem(_ text: [UInt32], _ range: Range<Int>) -> Range<Int> {
        let lower = range.lowerBound
        var upper = range.upperBound
        guard upper - lower > 3 else { return range }
        // Suffixes as scalars, compared by `englishEnds` (a closure over `upper` would box it).
        let (s, e, i, n, g, d, u): (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0x73, 0x65, 0x69, 0x6E, 0x67, 0x64, 0x75)
        func hasVowel(before end: Int) -> Bool {
            text[lower..<end].contains(where: isVowel) || text[lower..<end].contains(0x79)
        }
        var pluralY = false
        if englishEnds(text, lower, upper, i, e, s), upper - lower > 4 {
            upper -= 3
            pluralY = true
        } else if englishEnds(text, lower, upper, s, s, e, s) {
            upper -= 2
        } else if englishEnds(text, lower, upper, s, s) || englishEnds(text, lower, upper, u, s)
            || englishEnds(text, lower, upper, i, s) {
            // keep: press, campus, crisis, isis
        } else if text[upper - 1] == s {
            upper -= 1
        }
        if !pluralY {
            if englishEnds(text, lower, upper, i, n, g), upper - 3 - lower >= 3, hasVowel(before: upper - 3) {
                upper -= 3
                upper = undoubled(text, lower, upper)
            } else if englishEnds(text, lower, upper, e, d), upper - 2 - lower >= 3, hasVowel(before: upper - 2) {
                upper -= 2
                upper = undoubled(text, lower, upper)
            }
            // A final e goes (fire/fired → fir) except after c or g, so forces ≠ forced.
            if upper - lower >= 4, text[upper - 1] == 0x65, text[upper - 2] != 0x63, text[upper - 2] != 0x67 {
                upper -= 1
            }
            if upper - lower >= 4, text[upper - 1] == 0x79, !isVowel(text[upper - 2]) { upper -= 1 }  // final y
        }
        return lower..<upper
    }

    /// Whether `text[lower..<upper]` ends with the two to four scalars given (trailing zeros unused).
    @inline(__always)
    private static func englishEnds(
        _ text: [UInt32], _ lower: Int, _ upper: Int, _ a: UInt32, _ b: UInt32, _ c: UInt32 = 0, _ d: UInt32 = 0
    ) -> Bool {
        let suffix = d != 0 ? 4 : c != 0 ? 3 : 2
        guard upper - lower >= suffix else { return false }
        switch suffix {
        case 2: return text[upper - 2] == a && text[upper - 1] == b
        case 3: return text[upper - 3] == a && text[upper - 2] == b && text[upper - 1] == c
        default: return text[upper - 4] == a && text[upper - 3] == b && text[upper - 2] == c && text[upper - 1] == d
        }
    }

    /// planned → plan, but shelled → shell, passed → pass.
    private static func undoubled(_ text: [UInt32], _ lower: Int, _ upper: Int) -> Int {
        guard upper - lower >= 4 else { return upper }
        let last = text[upper - 1]
        guard last == text[upper - 2], !isVowel(last), last != 0x6C, last != 0x73, last != 0x7A else { return upper }
        return upper - 1
    }

    // MARK: Any token

    /// The stem of a token of any kind (numbers and other scripts are their own stem).
    static func stem(_ text: [UInt32], _ token: Token) -> Range<Int> {
        switch token.kind {
        case .arabic: arabicStem(text, token.range)
        case .latin: englishStem(text, token.range)
        case .number, .other: token.range
        }
    }

    /// The token with prefixes removed (Arabic) or as is (other scripts).
    static func bare(_ text: [UInt32], _ token: Token) -> Range<Int> {
        token.kind == .arabic ? arabicPrefixStripped(text, token.range) : token.range
    }
}
