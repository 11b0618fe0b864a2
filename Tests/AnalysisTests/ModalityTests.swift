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
        // A demand verb governs its ب complement however long the subject and object between them.
        (
            "وفي ختام جلسة طويلة حضرها أغلب أعضاء المجلس، صوت النواب بالأغلبية على قرار يطالب الحكومة ورئيس "
                + "الوزراء والقائد العام للقوات المسلحة بإخراج القوات الأجنبية من البلاد.",
            .demand
        ),
        (
            "طالب زعيم التيار في كلمة ألقاها أمام آلاف من أنصاره في ساحة المدينة يوم الجمعة الحكومة الجديدة "
                + "بسحب القوات الأجنبية دون تأخير.",
            .demand
        ),
        // ... but not across a contrast word that starts another statement.
        ("طالب المحتجون بتحسين الخدمات، فيما قامت القوات الأمريكية بسحب جنودها من القاعدة الجوية.", .reportedFact),
        ("أعلنت وزارة الدفاع سحب ألفي جندي من القاعدة الشمالية قبل نهاية الشهر.", .intent),
    ])
    func readsModalityAroundTheTrigger(_ sample: (String, Modality)) throws {
        #expect(try modality(sample.0) == sample.1, "\(sample.0)")
    }

    @Test func readsThreats() throws {
        let text = "الفصائل المسلحة تهدد بشن هجمات على القوات الأمريكية إذا لم تنسحب."
        #expect(try modality(text, topic: "militia-attack") == .threat)
    }
}
