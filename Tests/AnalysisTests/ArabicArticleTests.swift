import Testing

@testable import Analysis

/// Short Arabic reports, written for these tests, against the shipped rules.
@Suite struct ArabicArticleTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: Set<String>
        var forbidden: Set<String> = []
        var testDescription: String { String(text.prefix(40)) }
    }

    static let samples: [Sample] = [
        Sample(
            text: "سقطت ثلاثة صواريخ كاتيوشا قرب مطار بغداد الدولي فجر اليوم دون وقوع إصابات.",
            expected: ["rocket-drone-attack", "armed-attack"],
            forbidden: ["troop-withdrawal", "protest"]
        ),
        Sample(
            text: "قصفت طائرات تركية مسيرة مواقع في قضاء سنجار، ما أسفر عن مقتل اثنين من مقاتلي حزب العمال الكردستاني.",
            expected: ["foreign-incursion", "armed-attack"]
        ),
        Sample(
            text: "خرج آلاف المتظاهرين في ساحة التحرير وسط بغداد للمطالبة بتوفير الكهرباء وفرص العمل.",
            expected: ["protest"],
            forbidden: ["armed-attack", "militia-attack"]
        ),
        Sample(
            text: "اختطف مسلحون مجهولون ناشطا مدنيا في البصرة بعد خروجه من منزله.",
            expected: ["kidnapping", "militia-attack", "armed-attack"]
        ),
        Sample(
            text: "فرضت وزارة الخزانة الأمريكية عقوبات على قادة في كتائب حزب الله.",
            expected: ["sanctions"],
            forbidden: ["armed-attack"]
        ),
        Sample(
            text: "أعلنت خلية الإعلام الأمني مقتل جنديين بهجوم لفلول داعش على نقطة تفتيش في ديالى.",
            expected: ["terror-attack", "armed-attack"]
        ),
        Sample(
            text: "أكدت الحكومة أن مليشيات مسلحة هاجمت رتلا للدعم اللوجستي جنوب بغداد.",
            expected: ["militia-attack", "armed-attack"]
        ),
        Sample(
            text: "وقعت وزارة النفط عقدا مع شركة أجنبية لتطوير حقل غاز في البصرة.",
            expected: ["oil-energy-deal"],
            forbidden: ["troop-withdrawal", "armed-attack"]
        ),
    ]

    @Test(arguments: samples)
    func firesTheExpectedTopics(_ sample: Sample) throws {
        let analysis = try AnalysisFixtures.analyzer().analyze(Article(id: "ar", text: sample.text))
        let fired = analysis.topicIDs
        #expect(sample.expected.isSubset(of: fired), "fired \(fired.sorted())")
        #expect(sample.forbidden.isDisjoint(with: fired), "fired \(fired.sorted())")
        #expect(analysis.language == "ar")
    }

    @Test func quantitiesFromTheSamples() throws {
        let analysis = try AnalysisFixtures.analyzer().analyze(Article(id: "ar", text: Self.samples[5].text))
        #expect(analysis.quantities.contains { $0.value == 2 && $0.unit == "soldiers" && $0.text == "جنديين" })
    }
}
