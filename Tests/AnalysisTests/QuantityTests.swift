import Testing

@testable import Analysis

@Suite struct QuantityTests {
    private static let analyzer = Result { try Analyzer(topics: [], entities: []) }

    private func quantities(_ text: String) throws -> [Quantity] {
        try Self.analyzer.get().analyze(Article(id: "q", text: text)).quantities
    }

    @Test(arguments: [
        ("نشر حوالي 5000 جندي", 5000.0, "soldiers"),
        ("في غضون 3 سنوات", 3, "years"),
        ("وصل ثلاثة آلاف جندي", 3000, "soldiers"),
        ("وصل ٣٬٥٠٠ جندي", 3500, "soldiers"),
        ("قتل خمسة وعشرون جنديا", 25, "soldiers"),
        ("سقط صاروخين على القاعدة", 2, "rockets"),
        ("الانسحاب خلال عامين", 2, "years"),
        ("لمدة ستة أشهر", 6, "months"),
        ("أطلقت ثلاثمائة وخمسون صاروخا", 350, "rockets"),
        ("بقيمة مئة ألف دولار", 100_000, "dollars"),
        ("three thousand troops", 3000, "soldiers"),
        ("twenty-five soldiers", 25, "soldiers"),
        ("a $5 million contract", 5_000_000, "dollars"),
        ("1.5 million barrels per day", 1_500_000, "barrels"),
        ("killed 12 people", 12, "killed"),
        ("7 people were wounded", 7, "wounded"),
        ("أسفر عن مقتل 4 أشخاص", 4, "killed"),
        ("unemployment rose to 14.5%", 14.5, "percent"),
        ("خلال الأيام العشرة الماضية أطلقت 3 طائرات مسيرة", 3, "drones"),
        ("قتل ثلاثة جنود", 3, "soldiers"),
        ("انتشار 25 جنديا", 25, "soldiers"),
        ("نشر ١٢٬٥٠٠ جندي", 12_500, "soldiers"),
        ("عقد بقيمة ٣٫٥ مليار دولار", 3_500_000_000, "dollars"),
        ("تصدير 2.5 مليون برميل يوميا", 2_500_000, "barrels"),
        ("خلال ثلاثة أعوام", 3, "years"),
        ("أصيب الجنديين", 2, "soldiers"),
        ("وصل ثلاثة آلاف وخمسمائة جندي", 3500, "soldiers"),
        ("sent 3,000 troops", 3000, "soldiers"),
    ])
    func readsNumberAndUnit(_ sample: (String, Double, String)) throws {
        let found = try quantities(sample.0)
        #expect(found.contains { $0.value == sample.1 && $0.unit == sample.2 }, "\(sample.0) → \(found)")
        for quantity in found {
            #expect(AnalysisFixtures.scalars(sample.0, quantity.start, quantity.end) == quantity.text)
        }
    }

    @Test func marksVagueAndHedgedFiguresApproximate() throws {
        let vague = try #require(try quantities("أطلقت عشرات الصواريخ").first)
        #expect(vague.value == 10 && vague.unit == "rockets" && vague.approximate)
        let hedged = try #require(try quantities("more than 300 soldiers").first)
        #expect(hedged.value == 300 && hedged.approximate)
        let exact = try #require(try quantities("300 soldiers").first)
        #expect(!exact.approximate)
        let compound = try #require(try quantities("وصل ثلاثة آلاف جندي").first)
        #expect(compound.value == 3000 && !compound.approximate)
        let hundreds = try #require(try quantities("سقط مئات القتلى").first)
        #expect(hundreds.value == 100 && hundreds.unit == "killed" && hundreds.approximate)
    }

    @Test func ignoresNumbersWithoutUnits() throws {
        #expect(try quantities("أواخر عام 2017 أعلنت بغداد الانتصار").isEmpty)
        #expect(try quantities("page 12 of the report, chapter 3").isEmpty)
    }

    @Test func parsesDigitGroups() {
        func parse(_ text: String) -> Double? { QuantityExtractor.parseDigits(Normalizer.key(text)[...]) }
        #expect(parse("5,000") == 5000)
        #expect(parse("1,234,567") == 1_234_567)
        #expect(parse("3.5") == 3.5)
        #expect(parse("1,234.5") == 1234.5)
        #expect(parse("٠٫٧٥") == 0.75)
    }
}
