import Testing

@testable import Analysis

@Suite struct ModalityTests {
    private func modality(_ text: String, topic: String = "troop-withdrawal") throws -> Modality? {
        try AnalysisFixtures.analyzer().analyze(Article(id: "m", text: text)).topic(topic)?.modality
    }

    @Test(arguments: [
        ("The United States will withdraw its troops from Iraq.", Modality.intent),
        ("Washington plans to pull out 500 soldiers next year.", .intent),
        ("The coalition completed the withdrawal of its forces from the base.", .completed),
        ("The last U.S. troops withdrew from the base on Friday.", .completed),
        ("The Pentagon ruled out any withdrawal of troops this year.", .refusal),
        ("Iraqi lawmakers called for the withdrawal of foreign forces.", .demand),
        ("U.S. troops are withdrawing from two bases in the north.", .reportedFact),
        ("البرلمان يطالب بانسحاب القوات الأجنبية من البلاد.", .demand),
        ("ستنسحب القوات الأمريكية من قاعدة عين الأسد.", .intent),
        ("نفى المتحدث انسحاب القوات التركية من المنطقة.", .refusal),
        ("أكملت قوات التحالف انسحابها من القاعدة.", .completed),
    ])
    func readsModalityAroundTheTrigger(_ sample: (String, Modality)) throws {
        #expect(try modality(sample.0) == sample.1, "\(sample.0)")
    }

    @Test func readsThreats() throws {
        let text = "الفصائل المسلحة تهدد بشن هجمات على القوات الأمريكية إذا لم تنسحب."
        #expect(try modality(text, topic: "militia-attack") == .threat)
    }
}
