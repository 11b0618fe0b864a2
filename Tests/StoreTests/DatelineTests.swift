import Store
import Testing

/// Datelines are recognised, and sentences that merely start short are not.
@Suite struct DatelineTests {
    @Test(arguments: [
        ("BAGHDAD (Wire) - Three rockets hit", "BAGHDAD (Wire) -"),
        ("ERBIL, Iraq - Officials said", "ERBIL, Iraq -"),
        ("Breaking: a drone attack", "Breaking:"),
        ("أربيل - خاص - أسقطت الدفاعات", "أربيل -"),
        ("الأنبار (مراسلنا) - سقطت صواريخ", "الأنبار (مراسلنا) -"),
        ("عاجل | سقوط صواريخ", "عاجل |"),
    ])
    func openingDatelinesAreFound(text: String, dateline: String) {
        #expect(Dateline.length(of: text) == dateline.unicodeScalars.count)
    }

    @Test(arguments: [
        "Gunmen attacked Kirkuk police station - police said",
        "Three rockets struck the base - officials said",
        "officials said: the attack",
        "قالت مصادر أمنية إن ثلاثة صواريخ سقطت - بحسب",
        "No dateline here.",
    ])
    func sentencesAreNotDatelines(text: String) {
        #expect(Dateline.length(of: text) == 0, "\(text)")
    }
}
