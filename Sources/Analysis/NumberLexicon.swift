/// What a number word contributes to the value being read.
enum NumberWord: Sendable {
    /// A plain value added to the running figure (ثلاثة, twenty, مئتان).
    case value(Double)
    /// "Hundred": multiplies a preceding unit (ثلاث مئة = 300), else 100.
    case hundred
    /// A power (ألف, million): multiplies the figure so far (or 1), then a new figure starts.
    case multiplier(Double)
    /// A vague count (عشرات, dozens); `multiplies` when it can also scale a preceding figure (آلاف).
    case vague(Double, multiplies: Bool)
}

/// Arabic and English number words and unit nouns (written in print form; folded when compiled).
enum NumberLexicon {
    static let words: [(String, NumberWord)] = {
        var list: [(String, NumberWord)] = [
            ("صفر", .value(0)), ("واحد", .value(1)), ("واحدة", .value(1)), ("أحد", .value(1)),
            ("إحدى", .value(1)), ("اثنان", .value(2)), ("اثنين", .value(2)), ("اثنتان", .value(2)),
            ("اثنتين", .value(2)), ("اثنا", .value(2)), ("اثني", .value(2)), ("اثنتا", .value(2)),
            ("اثنتي", .value(2)), ("ثلاث", .value(3)), ("ثلاثة", .value(3)), ("أربع", .value(4)),
            ("أربعة", .value(4)), ("خمس", .value(5)), ("خمسة", .value(5)), ("ست", .value(6)), ("ستة", .value(6)),
            ("سبع", .value(7)), ("سبعة", .value(7)), ("ثمان", .value(8)), ("ثماني", .value(8)),
            ("ثمانية", .value(8)), ("تسع", .value(9)), ("تسعة", .value(9)), ("عشر", .value(10)),
            ("عشرة", .value(10)), ("عشرون", .value(20)), ("عشرين", .value(20)), ("ثلاثون", .value(30)),
            ("ثلاثين", .value(30)), ("أربعون", .value(40)), ("أربعين", .value(40)), ("خمسون", .value(50)),
            ("خمسين", .value(50)), ("ستون", .value(60)), ("ستين", .value(60)), ("سبعون", .value(70)),
            ("سبعين", .value(70)), ("ثمانون", .value(80)), ("ثمانين", .value(80)), ("تسعون", .value(90)),
            ("تسعين", .value(90)), ("مئة", .hundred), ("مائة", .hundred), ("مئتان", .value(200)),
            ("مئتين", .value(200)), ("مائتان", .value(200)), ("مائتين", .value(200)), ("مئتا", .value(200)),
            ("مئتي", .value(200)), ("ألف", .multiplier(1e3)), ("ألفان", .value(2000)), ("ألفين", .value(2000)),
            ("آلاف", .vague(1e3, multiplies: true)), ("مليون", .multiplier(1e6)), ("مليونان", .value(2e6)),
            ("مليونين", .value(2e6)), ("ملايين", .vague(1e6, multiplies: true)), ("مليار", .multiplier(1e9)),
            ("مليارات", .vague(1e9, multiplies: true)), ("عشرات", .vague(10, multiplies: false)),
            ("مئات", .vague(100, multiplies: true)), ("بضع", .vague(3, multiplies: false)),
            ("بضعة", .vague(3, multiplies: false)), ("نصف", .value(0.5)),
            ("zero", .value(0)), ("one", .value(1)), ("two", .value(2)), ("three", .value(3)), ("four", .value(4)),
            ("five", .value(5)), ("six", .value(6)), ("seven", .value(7)), ("eight", .value(8)), ("nine", .value(9)),
            ("ten", .value(10)), ("eleven", .value(11)), ("twelve", .value(12)), ("thirteen", .value(13)),
            ("fourteen", .value(14)), ("fifteen", .value(15)), ("sixteen", .value(16)), ("seventeen", .value(17)),
            ("eighteen", .value(18)), ("nineteen", .value(19)), ("twenty", .value(20)), ("thirty", .value(30)),
            ("forty", .value(40)), ("fifty", .value(50)), ("sixty", .value(60)), ("seventy", .value(70)),
            ("eighty", .value(80)), ("ninety", .value(90)), ("hundred", .hundred), ("thousand", .multiplier(1e3)),
            ("million", .multiplier(1e6)), ("billion", .multiplier(1e9)), ("dozen", .value(12)),
            ("dozens", .vague(12, multiplies: false)), ("scores", .vague(20, multiplies: false)),
            ("hundreds", .vague(100, multiplies: true)), ("thousands", .vague(1e3, multiplies: true)),
            ("millions", .vague(1e6, multiplies: true)), ("several", .vague(3, multiplies: false)),
        ]
        // Hundreds written as one word: ثلاثمئة, ثلاثمائة ... تسعمائة.
        let units = ["ثلاث": 3.0, "أربع": 4, "خمس": 5, "ست": 6, "سبع": 7, "ثمان": 8, "ثماني": 8, "تسع": 9]
        for (unit, value) in units {
            list.append((unit + "مئة", .value(value * 100)))
            list.append((unit + "مائة", .value(value * 100)))
        }
        return list
    }()

    /// Unit nouns (phrases allowed) by canonical unit.
    static let units: [(unit: String, forms: [String])] = [
        (
            "soldiers",
            [
                "جندي", "جنديا", "جنود", "جنودا", "عسكري", "عسكريا", "عسكريين", "soldier", "soldiers", "troop",
                "troops",
                "servicemen", "service members", "marines",
            ]
        ),
        ("killed", ["قتيل", "قتيلا", "قتلى", "dead", "killed", "fatalities", "deaths"]),
        ("wounded", ["جريح", "جريحا", "جرحى", "مصاب", "مصابا", "مصابين", "wounded", "injured", "injuries"]),
        ("rockets", ["صاروخ", "صاروخا", "صواريخ", "rocket", "rockets", "missile", "missiles", "katyusha"]),
        (
            "drones",
            [
                "طائرة مسيرة", "طائرات مسيرة", "طائرة بدون طيار", "طائرات بدون طيار", "طائرات من دون طيار", "مسيرة",
                "مسيرات", "درون", "drone", "drones", "uav", "uavs",
            ]
        ),
        (
            "shells",
            ["قذيفة", "قذائف", "قذيفة هاون", "قذائف هاون", "shell", "shells", "mortar", "mortars", "mortar rounds"]
        ),
        ("years", ["سنة", "سنوات", "سنين", "عام", "أعوام", "year", "years"]),
        ("months", ["شهر", "أشهر", "شهور", "month", "months"]),
        ("weeks", ["أسبوع", "أسابيع", "week", "weeks"]),
        ("days", ["يوم", "أيام", "day", "days"]),
        ("dollars", ["دولار", "دولارا", "دولارات", "dollar", "dollars", "usd"]),
        ("barrels", ["برميل", "براميل", "barrel", "barrels", "bpd"]),
        ("percent", ["في المئة", "في المائة", "بالمئة", "بالمائة", "percent", "per cent"]),
    ]

    /// Dual nouns that mean "two" of a unit on their own (صاروخين = 2 rockets).
    static let duals: [(form: String, unit: String)] = [
        ("صاروخين", "rockets"), ("صاروخان", "rockets"), ("قذيفتين", "shells"), ("قذيفتان", "shells"),
        ("جنديين", "soldiers"), ("جنديان", "soldiers"), ("عامين", "years"), ("عامان", "years"), ("سنتين", "years"),
        ("سنتان", "years"), ("شهرين", "months"), ("شهران", "months"), ("أسبوعين", "weeks"), ("أسبوعان", "weeks"),
        ("يومين", "days"), ("يومان", "days"),
    ]

    /// Words that hedge a figure when they come right before it.
    static let approximators = [
        "نحو", "حوالي", "حوالى", "قرابة", "زهاء", "تقريبا", "ما يقارب", "ما يقرب من", "أكثر من", "أقل من",
        "ما لا يقل عن", "أزيد من", "about", "around", "nearly", "approximately", "roughly", "almost", "some",
        "more than", "less than", "at least", "up to", "over", "an estimated",
    ]

    /// Words allowed between a vague or large number and its unit ("آلاف من الجنود", "hundreds of troops").
    static let connectors = ["من", "of"]

    /// English words allowed between a number and its unit ("3,000 U.S. troops").
    static let modifiers = [
        "u", "s", "us", "american", "more", "additional", "foreign", "combat", "coalition", "nato", "iraqi",
        "turkish", "iranian", "israeli", "other", "british", "french", "german", "international",
    ]

    /// Nouns for people, counted as killed or wounded when a casualty word is near.
    static let people = [
        "شخص", "شخصا", "أشخاص", "مدني", "مدنيا", "مدنيين", "مواطن", "مواطنا", "مواطنين", "عنصر", "عناصر",
        "مسلح", "مسلحا", "مسلحين", "متظاهر", "متظاهرا", "متظاهرين", "متظاهرون", "محتج", "محتجا", "محتجين",
        "محتجون", "people", "persons", "person", "civilian", "civilians", "members", "fighters", "militants",
        "protesters", "protestors", "demonstrators",
    ]

    static let killedWords = [
        "مقتل", "قتل", "مصرع", "حتفهم", "killed", "kill", "killing", "dead", "died", "death", "deaths",
    ]
    static let woundedWords = [
        "إصابة", "أصيب", "أصيبوا", "جرح", "إصابات", "wounded", "wounding", "injured", "injuring", "injuries", "hurt",
    ]
}
