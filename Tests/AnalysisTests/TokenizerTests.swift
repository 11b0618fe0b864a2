import Testing

@testable import Analysis

@Suite struct TokenizerTests {
    private func sentences(_ text: String) -> [String] {
        let normalized = Normalizer.normalize(text)
        let tokens = Tokenizer.tokenize(normalized)
        return SentenceSplitter.split(normalized, tokens: tokens).map {
            normalized.originalText($0.originalStart, $0.originalEnd)
        }
    }

    @Test func keepsNumbersWithSeparatorsWhole() {
        let text = Normalizer.normalize("بلغ 3.5 مليون و5,000 جندي F-16")
        let tokens = Tokenizer.tokenize(text).map {
            text.originalText(Int(text.originStart[$0.range.lowerBound]), text.originEnd($0.range.upperBound - 1))
        }
        #expect(tokens == ["بلغ", "3.5", "مليون", "و", "5,000", "جندي", "F", "16"])
    }

    @Test func splitsSentencesOnArabicAndLatinTerminators() {
        #expect(
            sentences("قال الوزير. هل انسحبت القوات؟ نعم؛ انسحبت\nسطر جديد!") == [
                "قال الوزير.", "هل انسحبت القوات؟", "نعم؛", "انسحبت", "سطر جديد!",
            ]
        )
    }

    @Test func doesNotSplitOnDecimalsInitialsOrAbbreviations() {
        #expect(
            sentences("Oil rose 3.5 percent. U.S. forces left Iraq. Gen. Smith said so.") == [
                "Oil rose 3.5 percent.", "U.S. forces left Iraq.", "Gen. Smith said so.",
            ]
        )
    }

    @Test func treatsPunctuationAndQuotesAsSeparatorsAndNextLineAsABreak() {
        let text = Normalizer.normalize("«هجوم» — “attack”… ١٢ Ωμέγα")
        let tokens = Tokenizer.tokenize(text).map {
            text.originalText(Int(text.originStart[$0.range.lowerBound]), text.originEnd($0.range.upperBound - 1))
        }
        #expect(tokens == ["هجوم", "attack", "١٢", "Ωμέγα"])
        #expect(sentences("سطر أول\u{85}سطر ثان") == ["سطر أول", "سطر ثان"])
    }

    /// Every mark that ends a sentence does, also past the splitter's one-range fast skip of letters.
    @Test(arguments: [".", "!", "?", "\u{061F}", "\u{061B}", "\n", "\r", "\u{2028}", "\u{2029}", "\u{85}"])
    func everySentenceEndSplits(_ mark: String) {
        #expect(sentences("قال الوزير\(mark) Then he left") == ["قال الوزير" + (mark.first!.isNewline ? "" : mark), "Then he left"])
    }

    @Test func keepsClosingQuotesWithTheirSentence() {
        #expect(sentences("قال \"انسحبنا.\" ثم غادر.") == ["قال \"انسحبنا.\"", "ثم غادر."])
    }
}
