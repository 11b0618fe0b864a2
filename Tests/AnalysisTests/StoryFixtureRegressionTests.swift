import Testing

@testable import Analysis

/// Mistakes met on a day of clustered stories, each with our own sentences (positives and hard negatives):
/// drones downed on their way to an airport, written as Arabic duals; a negated consequence ("لم يسفر عن
/// خسائر", "caused no casualties") read as a refusal; protesters hurt in clashes with riot police taken for an
/// armed attack, with the wounded not counted; unknown gunmen taken for a militia.
@Suite(.timeLimit(.minutes(1))) struct StoryFixtureRegressionTests {
    private func analyze(_ text: String) throws -> Analysis {
        try AnalysisFixtures.analyzer().analyze(Article(id: "s", text: text))
    }

    // MARK: drones written as duals

    @Test(arguments: [
        "قالت وزارة الداخلية إن منظومة الدفاع الجوي أسقطت طائرتين مسيرتين مفخختين كانتا في طريقهما إلى مطار أربيل الدولي.",
        "اعترضت الدفاعات الجوية طائرتين بدون طيار حاولتا استهداف قاعدة عسكرية غرب البلاد فجر اليوم.",
        "أطلقت جماعة مسلحة طائرتين مسيرتين على معسكر للقوات الحكومية دون أن تسجل إصابات.",
        "Air defences brought down two explosive-laden drones that were heading for the airport on Sunday night.",
    ])
    func dualDronesAimedAtATargetAreADroneAttack(_ text: String) throws {
        let topics = try analyze(text).topicIDs
        #expect(topics.contains("rocket-drone-attack"), "\(text): \(topics.sorted())")
        #expect(topics.contains("armed-attack"), "\(text): \(topics.sorted())")
    }

    @Test(arguments: [
        // A festival with two drone shows and a march are not attacks.
        "نظمت البلدية عرضا ضوئيا شاركت فيه طائرتان مسيرتان فوق الواجهة البحرية احتفالا بعيد المدينة.",
        "انطلقت مسيرتان سلميتان من ساحة الجامعة نحو مقر المحافظة للمطالبة بفرص العمل.",
        "اشترت شركة التصوير طائرتين مسيرتين جديدتين لتغطية المهرجان الصيفي في المدينة.",
    ])
    func dualDronesWithoutAnAttackAreNot(_ text: String) throws {
        let topics = try analyze(text).topicIDs
        #expect(!topics.contains("rocket-drone-attack"), "\(text): \(topics.sorted())")
        #expect(!topics.contains("armed-attack"), "\(text): \(topics.sorted())")
    }

    // MARK: negated consequences are not refusals

    @Test(arguments: [
        ("هاجمت ميليشيا موالية لإيران القاعدة الجوية بالصواريخ في هجوم لم يسفر عن خسائر بشرية.", "militia-attack"),
        ("استهدف هجوم لفصائل مسلحة رتلا للتحالف بعبوة ناسفة ولم تسجل إصابات في صفوف الجنود.", "militia-attack"),
        ("سقطت ثلاثة صواريخ على محيط المطار دون أن تسفر عن أضرار، وفق بيان أمني.", "rocket-drone-attack"),
        ("Iran-backed militias attacked the base with rockets, but the attack caused no casualties.", "militia-attack"),
        ("A rocket hit the embassy compound overnight and did not cause any injuries.", "rocket-drone-attack"),
    ])
    func negatedConsequenceLeavesTheEventReported(_ sample: (String, String)) throws {
        let match = try analyze(sample.0).topic(sample.1)
        #expect(match != nil, "\(sample.0): \(sample.1) not found")
        #expect(match?.modality == .reportedFact, "\(sample.0): \(String(describing: match?.modality))")
    }

    @Test(arguments: [
        ("نفت الفصائل المسلحة أي مسؤولية عن الهجوم على القاعدة الجوية.", "militia-attack"),
        ("The militia denied any role in the rocket attack on the base.", "militia-attack"),
        ("لن تنسحب القوات الأمريكية من القاعدة هذا العام.", "troop-withdrawal"),
    ])
    func realRefusalsStayRefusals(_ sample: (String, String)) throws {
        let match = try analyze(sample.0).topic(sample.1)
        #expect(match?.modality == .refusal, "\(sample.0): \(String(describing: match?.modality))")
    }

    // MARK: protesters in clashes with riot police

    @Test(arguments: [
        "وأفاد مصدر طبي بأن ستة متظاهرين أصيبوا خلال مواجهات مع قوات مكافحة الشغب قرب مبنى المحافظة.",
        "أصيب عشرات المحتجين في مناوشات مع قوات مكافحة الشغب التي استعملت الغاز المسيل للدموع.",
        "Six protesters were wounded in clashes with riot police outside the governor's office, a medic said.",
        "Dozens of demonstrators were injured as they clashed with police near parliament.",
    ])
    func riotClashesAreAProtestNotAnArmedAttack(_ text: String) throws {
        let topics = try analyze(text).topicIDs
        #expect(topics.contains("protest"), "\(text): \(topics.sorted())")
        #expect(!topics.contains("armed-attack"), "\(text): \(topics.sorted())")
    }

    @Test(arguments: [
        "اندلعت اشتباكات بين الجيش ومسلحين في ريف المحافظة أسفرت عن مقتل أربعة جنود.",
        "Clashes between troops and militants in the north killed four soldiers on Monday.",
        "Heavy clashes with rebels left dozens dead in the border town.",
        "Security forces opened fire on protesters, killing three people.",
    ])
    func armedClashesStillCount(_ text: String) throws {
        let topics = try analyze(text).topicIDs
        #expect(topics.contains("armed-attack"), "\(text): \(topics.sorted())")
    }

    @Test(arguments: [
        ("وأفاد مسؤول بأن خمسة متظاهرين أصيبوا خلال المواجهات.", 5.0),
        ("أصيب خمسة متظاهرين في الساحة.", 5),
        ("أصيب 12 محتجا بجروح طفيفة.", 12),
        ("Five protesters were wounded in the clashes.", 5),
        ("Police said 40 demonstrators were injured.", 40),
    ])
    func woundedProtestersAreCounted(_ sample: (String, Double)) throws {
        let quantities = try analyze(sample.0).quantities
        #expect(
            quantities.contains { $0.unit == "wounded" && $0.value == sample.1 },
            "\(sample.0): \(quantities.map { "\($0.value) \($0.unit)" })"
        )
    }

    @Test(arguments: [
        "خرج خمسة متظاهرين من الساحة قبل وصول الشرطة.",
        "Five protesters spoke to reporters outside the court.",
    ])
    func protestersWithoutHarmAreNotCounted(_ text: String) throws {
        let quantities = try analyze(text).quantities
        #expect(!quantities.contains { $0.unit == "wounded" || $0.unit == "killed" }, "\(text)")
    }

    // MARK: gunmen, known or unknown, count as an armed group (as the labelled Arabic news counts them)

    @Test(arguments: [
        // Unknown gunmen.
        "اختطف مسلحون مجهولون أربعة عمال في شركة نفطية على طريق سريع جنوب المدينة.",
        "أقدم مسلحون على خطف طبيب من عيادته وسط المدينة ليلة أمس.",
        "Unidentified gunmen abducted four oil company workers on a highway south of the city.",
        "Gunmen kidnapped a doctor from his clinic late on Tuesday.",
        // A named or blamed militia.
        "اختطفت ميليشيا مسلحة موالية لإيران ناشطين اثنين من أمام منزلهما في العاصمة.",
        "اتهمت الشرطة فصيلا مسلحا باختطاف ثلاثة موظفين من شركة المقاولات.",
        "A militia kidnapped two activists outside their home in the capital.",
        "Kataib Hezbollah fighters abducted a contractor near the airport, police said.",
    ])
    func kidnappingByGunmenOrAMilitiaIsAKidnappingAndAMilitiaAttack(_ text: String) throws {
        let topics = try analyze(text).topicIDs
        #expect(topics.contains("kidnapping"), "\(text): \(topics.sorted())")
        #expect(topics.contains("militia-attack"), "\(text): \(topics.sorted())")
    }

    @Test(arguments: [
        "هاجم مسلحون موالون للنظام السابق نقطة حدودية ليلا وأحرقوا مبنى الجمارك.",
        "قتل مسلحون أكراد جنديين في هجوم على موقع عسكري جنوب شرقي البلاد.",
        "Tribal gunmen attacked a police post on the highway, wounding two officers.",
    ])
    func gunmenWithAnAffiliationAreAFaction(_ text: String) throws {
        let topics = try analyze(text).topicIDs
        #expect(topics.contains("militia-attack"), "\(text): \(topics.sorted())")
        #expect(topics.contains("armed-attack"), "\(text): \(topics.sorted())")
    }
}
