import Testing

@testable import Analysis

/// Texts that share trigger words with tracked topics but report none of them.
@Suite struct NegativeTextTests {
    private static let texts: [(String, String)] = [
        (
            "Arabic football report",
            """
            فاز فريق الزوراء على ضيفه الشرطة بهدفين مقابل هدف في مباراة مثيرة ضمن الدوري العراقي الممتاز. \
            وشن الزوراء هجوما مبكرا أسفر عن هدف أول من رأسية المهاجم في الدقيقة العاشرة، \
            ثم عزز هجوم الفريق تقدمه بهدف ثان قبل نهاية الشوط الأول. \
            وقلص الشرطة الفارق من ضربة جزاء، بينما أصيب مدافع الزوراء وغادر الملعب. \
            وقال المدرب إن خط الهجوم قدم أداء ممتازا وإن الفريق يستعد لمواجهة الجوية الأسبوع المقبل.
            """
        ),
        (
            "English weather report",
            """
            A band of heavy rain will move across the region on Tuesday, with thunderstorms expected by the evening. \
            Temperatures will drop by five degrees and strong winds may bring down branches. \
            Forecasters said the front would clear by Thursday, leaving a dry and sunny weekend.
            """
        ),
        (
            "senator leaves the race",
            """
            The senator withdrew from the race on Monday, ending a campaign that had struggled to raise money. \
            She said she would back her former rival and thanked her staff and volunteers.
            """
        ),
        (
            "Arabic confidence vote",
            """
            صوت مجلس النواب على سحب الثقة من الحكومة بعد جلسة استجواب طويلة لوزير المالية. \
            وقال نائب إن الكتل السياسية ستجتمع الأسبوع المقبل لبحث الخطوات التالية بعد سحب الثقة.
            """
        ),
        (
            "Arabic tournament draw",
            "أجريت قرعة بطولة غرب آسيا وسحب منتخب العراق في المجموعة الأولى، وقرر الاتحاد سحب ملف الاستضافة.",
        ),
    ]

    private static let violentOrMilitary: Set<String> = [
        "troop-withdrawal", "militia-attack", "rocket-drone-attack", "foreign-incursion", "armed-attack",
        "terror-attack", "assassination", "kidnapping",
    ]

    @Test(arguments: texts)
    func firesNoTopic(_ sample: (String, String)) throws {
        let analysis = try AnalysisFixtures.analyzer().analyze(Article(id: sample.0, text: sample.1))
        let fired = analysis.topicIDs
        let unexpected = sample.0 == "Arabic confidence vote" ? fired.intersection(Self.violentOrMilitary) : fired
        #expect(
            unexpected.isEmpty,
            "\(sample.0) fired \(fired.sorted()): \(analysis.topics.flatMap(\.evidence).map(\.terms))"
        )
    }

    @Test func detectsEnglish() throws {
        let analysis = try AnalysisFixtures.analyzer().analyze(Article(id: "w", text: Self.texts[1].1))
        #expect(analysis.language == "en")
        #expect(try AnalysisFixtures.analyzer().analyze(Article(id: "w", text: "bonjour", language: "ar")).language == "ar")
    }

    @Test func neverTakesACrowdForThePMF() throws {
        let analysis = try AnalysisFixtures.analyzer().analyze(
            Article(id: "c", text: "احتشد حشد كبير من المواطنين في الساحة، وقال الحشد إنه سيبقى حتى المساء.")
        )
        #expect(analysis.entity("pmf") == nil)
    }
}
