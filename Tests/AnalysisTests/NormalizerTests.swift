import Testing

@testable import Analysis

@Suite struct NormalizerTests {
    private func key(_ text: String) -> String {
        String(String.UnicodeScalarView(Normalizer.key(text).compactMap(Unicode.Scalar.init)))
    }

    @Test(arguments: [
        "", "Rockets HIT the Base", "القوات الأميركية تنسحب", "مليشيات مدعومة من إيران", "٥٠٠٠ جندي خلال ٣ سنوات",
        "Café ＦＵＬＬ width", "emoji 😀 and \u{0}", "مُصْطَفَى الكاظمي",
    ])
    func matchingFormIsTheNormalizedKeyAsText(_ text: String) {
        #expect(matchingForm(of: text) == key(text))
    }

    @Test(arguments: [
        ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آمن", "امن"), ("ٱلله", "الله"),  // alef variants
        ("مصطفى", "مصطفي"), ("سلیمانی", "سليماني"), ("کرکوک", "كركوك"),  // yaa, Persian letters
        ("دولة", "دوله"), ("مؤتمر", "موتمر"), ("رئيس", "رييس"),  // taa marbuta, hamza seats
        ("بـغـــداد", "بغداد"), ("مَدْرَسَةٌ", "مدرسه"), ("جنديًا", "جنديا"),  // tatweel, harakat, tanween
        ("\u{FEFB}", "لا"), ("\u{FE97}\u{FEAE}\u{FE8E}\u{FEE3}\u{FE90}", "ترامب"),  // presentation forms (NFKC)
        ("Iraq IRAQ", "iraq iraq"), ("Erdoğan", "erdogan"),
    ])
    func foldsToTheMatchingKey(_ pair: (String, String)) {
        #expect(key(pair.0) == pair.1)
    }

    @Test func foldsDigitsOfEveryScriptAndTheirSeparators() {
        #expect(key("٣٬٥٠٠ جندي") == "3,500 جندي")
        #expect(key("٠٫٧٧") == "0.77")
        #expect(key("۱۲ سال") == "12 سال")
        #expect(key("٪٥٠") == "%50")
    }

    @Test func keepsTheMapBackToOriginalScalars() {
        let original = "قال: بـغـداد، وَالعِرَاقُ 2020"
        let text = Normalizer.normalize(original)
        let tokens = Tokenizer.tokenize(text)
        let words = tokens.map { token in
            text.originalText(
                Int(text.originStart[token.range.lowerBound]),
                text.originEnd(token.range.upperBound - 1)
            )
        }
        #expect(words == ["قال", "بـغـداد", "وَالعِرَاقُ", "2020"])
    }

    @Test func expandsALigatureToTwoScalarsWithTheSameOrigin() {
        let text = Normalizer.normalize("x\u{FEFB}y")
        #expect(text.scalars.count == 4)
        #expect(Array(text.originStart) == [0, 1, 1, 2])
        #expect(text.scalars.indices.map(text.originEnd) == [1, 2, 2, 3])
    }

    @Test func tableDrivenAndGeneralFoldingAgree() {
        // The emoji sends the whole text down the general (Unicode properties) path; the prefix must fold
        // exactly as the table-driven path folds it alone.
        let sample = "أعلنت الـقوات، يوم ٢٠ مايو، سحب 5٬000 جندي — “Troops” withdraw\u{00A0}now\u{200F}؛ إِلى الشمال"
        let fast = Normalizer.normalize(sample)
        let general = Normalizer.normalize(sample + " \u{1F600}")
        #expect(Array(general.scalars.prefix(fast.scalars.count)) == fast.scalars)
        #expect(Array(general.originStart.prefix(fast.originStart.count)) == fast.originStart)
        #expect(fast.originalCount == sample.unicodeScalars.count)
    }

    @Test func splitsSpellingVariants() {
        #expect(SpellingVariants.expand("الميليشيات").contains("المليشيات"))
        #expect(SpellingVariants.expand("القوات الأمريكية").contains("القوات الاميركيه"))
        #expect(SpellingVariants.expand("بغداد") == ["بغداد"])
    }
}
