import Testing

@testable import Analysis

@Suite struct StemmerTests {
    private func stems(_ text: String) -> [String] {
        let normalized = Normalizer.normalize(text)
        return Tokenizer.tokenize(normalized).map { token in
            let range = Stemmer.stem(normalized.scalars, token)
            return String(String.UnicodeScalarView(normalized.scalars[range].compactMap(Unicode.Scalar.init)))
        }
    }

    private func variants(_ word: String) -> [(String, Stemmer.VariantKind)] {
        let scalars = Normalizer.key(word)
        var found: [(String, Stemmer.VariantKind)] = []
        Stemmer.forEachVariant(scalars, 0..<scalars.count) { range, kind in
            found.append((String(String.UnicodeScalarView(scalars[range].compactMap(Unicode.Scalar.init))), kind))
        }
        return found
    }

    @Test func stripsArabicProclitics() {
        #expect(stems("والانسحاب الانسحاب انسحاب") == ["انسحاب", "انسحاب", "انسحاب"])
        #expect(stems("بالقوات القوات وللقوات") == ["قوات", "قوات", "قوات"])
    }

    @Test func stripsSuffixesConservatively() {
        #expect(stems("قواتنا قواتهم") == ["قوات", "قوات"])  // never below three letters: قوات stays
        #expect(stems("هجوما هجوم") == ["هجوم", "هجوم"])  // accusative alif
        #expect(stems("الميليشيات ميليشيا") == ["ميليش", "ميليش"])
        #expect(stems("الأمريكية أمريكي") == ["امريك", "امريك"])
        #expect(stems("مسلحون مسلحين") == ["مسلح", "مسلح"])
        #expect(stems("هو في") == ["هو", "في"])
    }

    @Test func offersCliticStrippedReadingsForLookup() {
        let readings = variants("لقوات")
        #expect(readings.contains { $0.0 == "قوات" && $0.1 == .clitic })
        #expect(variants("وبقصف").contains { $0.0 == "قصف" && $0.1 == .clitic })
        #expect(variants("ستنسحب").contains { $0.0 == "تنسحب" && $0.1 == .future })
        #expect(variants("للعراق").contains { $0.0 == "عراق" && $0.1 == .afterArticle })
        #expect(variants("سنة").isEmpty)
    }

    @Test func stemsEnglishMinimally() {
        #expect(stems("troops attacked attacking attacks") == ["troop", "attack", "attack", "attack"])
        #expect(stems("forces forced") == ["force", "forc"])
        #expect(stems("casualties casualty") == ["casualt", "casualt"])
        #expect(stems("fired fire firing") == ["fir", "fir", "fir"])
        #expect(stems("withdrawing withdraws withdrew") == ["withdraw", "withdraw", "withdrew"])
        #expect(stems("planned shelling ISIS news") == ["plan", "shell", "isis", "new"])
    }
}
