/// Tells windows-1256, ISO-8859-6 and windows-1252 apart from the bytes alone.
///
/// Each code page is scored on the words of the document (runs of letters under that code page) that contain a
/// byte ≥ 0x80. Arabic words are made of Arabic letters only, with at most as many diacritics as letters; Latin
/// words mostly carry ASCII letters around an accented one and do not switch from lower to upper case midway.
/// A word that fits its code page's script adds its high-byte count to the score, one that does not subtracts it,
/// and every byte the code page leaves unassigned or maps to a C1 control costs three. Arabic read as
/// windows-1252 gives runs of accented capitals and small letters ("ÇáÚÑÈíÉ"); windows-1256 read as ISO-8859-6
/// hits unassigned bytes and diacritic pile-ups; ISO-8859-6 read as windows-1256 puts Latin letters (ç è ê) inside
/// Arabic words.
struct EncodingDetector {
    /// The detection result.
    struct Verdict: Equatable {
        /// The best-scoring code page.
        var codePage: CodePage
        /// Whether the evidence is clear: a positive score well ahead of every code page that would read the
        /// document's high bytes differently.
        var isConfident: Bool
        /// Score of each code page, in `CodePage.allCases` order (for diagnostics and tests).
        var scores: [Int]
        /// High bytes that were scored (in words) plus unassigned or control bytes.
        var evidence: Int
    }

    /// How one byte reads under a code page.
    private enum ByteClass: UInt8 {
        case arabicLetter
        case arabicMark
        case lowerLatin
        case upperLatin
        /// Unassigned, or a C1 control character.
        case invalid
        /// Digits, punctuation, symbols, spaces: ends a word.
        case other

        var isLetter: Bool { self != .invalid && self != .other }
        var isLatin: Bool { self == .lowerLatin || self == .upperLatin }
    }

    /// Classes of all 256 bytes under each code page, in `CodePage.allCases` order.
    private static let classTables: [[ByteClass]] = CodePage.allCases.map { codePage in
        (0..<256).map { byte in
            if byte < 0x80 {
                if (0x41...0x5A).contains(byte) { return .upperLatin }
                if (0x61...0x7A).contains(byte) { return .lowerLatin }
                return .other
            }
            let value = UInt32(codePage.upperHalf[byte - 0x80])
            guard value != 0, let scalar = Unicode.Scalar(value) else { return .invalid }
            let isArabicBlock = (0x0600...0x06FF).contains(value)
            switch scalar.properties.generalCategory {
            case .control: return .invalid
            case .otherLetter, .modifierLetter: return isArabicBlock ? .arabicLetter : .lowerLatin
            case .nonspacingMark: return isArabicBlock ? .arabicMark : .other
            case .uppercaseLetter, .titlecaseLetter: return .upperLatin
            case .lowercaseLetter: return .lowerLatin
            default: return .other
            }
        }
    }

    /// Scores the code pages on `bytes`; nil when there is no byte ≥ 0x80 to judge by.
    static func detect(_ bytes: [UInt8]) -> Verdict? {
        let pages = CodePage.allCases
        var scores = [Int](repeating: 0, count: pages.count)
        var evidence = 0
        bytes.withUnsafeBufferPointer { buffer in
            // Only a word with a byte ≥ 0x80 scores, and only such a byte can be unassigned: the stretches that can
            // hold them are found once, and each code page reads only those (in most feeds, a fraction of the
            // bytes: the markup is ASCII).
            let stretches = highByteStretches(in: buffer)
            for (index, page) in pages.enumerated() {
                var counted = 0
                for stretch in stretches {
                    let text = UnsafeBufferPointer(rebasing: buffer[stretch])
                    let part = score(text, classes: classTables[index], arabic: page.isArabic)
                    scores[index] += part.score
                    counted += part.evidence
                }
                evidence = max(evidence, counted)
            }
        }
        guard evidence > 0 else { return nil }
        let ranked = scores.indices.sorted { scores[$0] > scores[$1] }
        let best = ranked[0]
        let winner = pages[best]
        // A rival only matters when it would decode the bytes actually present differently.
        let rivals = ranked.dropFirst().filter { decodesDifferently(bytes, pages[best], pages[$0]) }
        let margin = rivals.first.map { scores[best] - scores[$0] } ?? evidence
        let confident = scores[best] * 2 >= evidence && margin * 5 >= evidence
        return Verdict(codePage: winner, isConfident: confident, scores: scores, evidence: evidence)
    }

    /// The scores and evidence of ``detect(_:)`` from one pass over all of `bytes`, each code page reading every
    /// byte (tests hold ``detect(_:)``, which reads only the stretches with high bytes, to the same figures).
    static func scoresOfWholeText(_ bytes: [UInt8]) -> (scores: [Int], evidence: Int) {
        bytes.withUnsafeBufferPointer { buffer in
            var evidence = 0
            let scores = CodePage.allCases.enumerated().map { index, page in
                let (score, counted) = score(buffer, classes: classTables[index], arabic: page.isArabic)
                evidence = max(evidence, counted)
                return score
            }
            return (scores, evidence)
        }
    }

    /// The maximal runs of ASCII letters and bytes ≥ 0x80 that hold a byte ≥ 0x80. Whatever the code page, a
    /// word is made of such bytes (an ASCII byte that is not a letter ends it), so a word with a high byte lies
    /// within one of these runs, and what lies outside them (words of ASCII letters, other ASCII bytes) adds
    /// nothing to a score.
    private static func highByteStretches(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard let base = bytes.baseAddress else { return [] }
        let count = bytes.count
        var stretches: [Range<Int>] = []
        var index = 0
        while index < count {
            // Eight ASCII bytes at a time.
            if index + 8 <= count,
                UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            guard bytes[index] >= 0x80 else {
                index += 1
                continue
            }
            var start = index
            let previousEnd = stretches.last?.upperBound ?? 0
            while start > previousEnd, bytes[start - 1].isASCIILetter { start -= 1 }
            var end = index + 1
            while end < count, bytes[end] >= 0x80 || bytes[end].isASCIILetter { end += 1 }
            stretches.append(start..<end)
            index = end
        }
        return stretches
    }

    private static func score(_ bytes: UnsafeBufferPointer<UInt8>, classes: [ByteClass], arabic: Bool)
        -> (score: Int, evidence: Int)
    {
        var score = 0
        var evidence = 0
        // The current word.
        var highCount = 0
        var asciiLetters = 0
        var marks = 0
        var coherent = true
        var previous = ByteClass.other
        var wordLength = 0

        func finishWord() {
            if highCount > 0 {
                evidence += highCount
                var fits = coherent
                if arabic {
                    fits = fits && asciiLetters == 0 && marks * 2 <= wordLength
                } else {
                    fits = fits && (highCount <= 2 || asciiLetters >= highCount)
                }
                score += fits ? highCount : -highCount
            }
            highCount = 0
            asciiLetters = 0
            marks = 0
            coherent = true
            previous = .other
            wordLength = 0
        }

        for byte in bytes {
            let byteClass = classes[Int(byte)]
            guard byteClass.isLetter else {
                finishWord()
                if byteClass == .invalid {
                    score -= 3
                    evidence += 1
                }
                continue
            }
            if byte >= 0x80 {
                highCount += 1
            } else {
                asciiLetters += 1
            }
            if arabic {
                switch byteClass {
                case .arabicMark:
                    marks += 1
                    if wordLength == 0 { coherent = false }  // a word cannot start with a diacritic
                case .arabicLetter: break
                default: coherent = false  // a Latin letter inside an Arabic word
                }
            } else if previous == .lowerLatin, byteClass == .upperLatin {
                coherent = false
            } else if byteClass == .arabicLetter || byteClass == .arabicMark {
                coherent = false
            }
            previous = byteClass
            wordLength += 1
        }
        finishWord()
        return (score, evidence)
    }

    /// Whether two code pages map some byte of `bytes` to different characters.
    private static func decodesDifferently(_ bytes: [UInt8], _ first: CodePage, _ second: CodePage) -> Bool {
        let one = first.upperHalf
        let other = second.upperHalf
        var differing = [Bool](repeating: false, count: 128)
        for index in 0..<128 { differing[index] = one[index] != other[index] }
        return bytes.contains { $0 >= 0x80 && differing[Int($0) - 0x80] }
    }
}
