/// Reads the modality of a rule match from cue words nearest to its trigger in the sentence.
///
/// Cues are phrases on light stems, like topic terms. The cue closest to the trigger wins (overlapping
/// the trigger counts as distance 0; ties prefer a cue before the trigger, then refusal, demand, threat,
/// intent, completed). A verb read without its future prefix س is an intent cue at distance 0.
/// A completed cue right after an intent, refusal or demand cue yields to it ("will complete").
/// Cues before a contrast word (فيما, بينما, but, while ...) belong to another statement and are ignored.
/// With no cue in reach, a demand verb up to 40 tokens back still governs a trigger written as its ب object
/// ("يطالب البرلمان ... الحكومة ... بإخراج القوات").
struct ModalityDetector: Sendable {
    /// Cues farther than this many tokens from the trigger are ignored.
    static let maximumDistance = 8

    private static let cueList: [(Modality, [String])] = [
        (
            .refusal,
            [
                "refuse", "refused", "refuses", "rule out", "ruled out", "rules out", "deny", "denied", "denies",
                "no plans", "no plan", "no intention", "will not", "won't", "would not", "did not", "reject",
                "rejected", "rejects", "رفض", "يرفض", "ترفض", "رفضت", "نفى", "ينفي", "نفت", "لا نية", "لن", "لم",
                "استبعد", "يستبعد", "لا صحة", "غير وارد",
            ]
        ),
        (
            .demand,
            [
                "demand", "demanded", "demands", "demanding", "call for", "calls for", "called for", "calling for",
                "urge", "urged", "urges", "vote to expel", "voted to expel", "pressed for", "طالب", "يطالب", "تطالب",
                "طالبت", "طالبوا", "مطالبة", "مطالبات", "دعا إلى", "دعت إلى", "يدعو إلى", "تدعو إلى", "دعوة", "حث",
                "يحث", "قرار البرلمان", "صوت البرلمان",
            ]
        ),
        (
            .threat,
            [
                // Verbs only: the nouns ("threat", تهديد) mostly describe, not threaten ("on charges of threatening").
                "threaten", "threatened", "threatens", "warn", "warned", "warns", "vow", "vowed", "vows",
                "هدد", "يهدد", "تهدد", "هددت", "توعد", "يتوعد", "توعدت", "حذر", "يحذر", "حذرت",
            ]
        ),
        (
            .intent,
            [
                "will", "would", "shall", "plans to", "plan to", "planned", "intends to", "intend to",
                "to be withdrawn",
                "within", "by the end of", "pledged", "pledges", "agreed", "agreed to", "set to", "expected to",
                "scheduled", "going to", "decided", "timetable", "timeline", "committed to", "سوف", "تعتزم", "يعتزم",
                "اعتزام", "تعهد", "يتعهد", "تعهدت", "متعهدا", "أعلن عن خطة", "خطة", "خطط", "يخطط", "تخطط", "قرر",
                "قررت", "من المقرر", "في غضون", "بحلول", "جدول زمني", "جدولة", "يلتزم", "التزم", "التزامه",
                "اتفق", "اتفقا", "يتفق", "تتفق", "المزمع", "ينوي", "تنوي", "قبل نهاية",
            ]
        ),
        (
            .completed,
            [
                "completed", "complete", "finished", "withdrew", "withdrawn", "handed over", "left", "final convoy",
                "last convoy", "أكملت", "أكمل", "اكتمل", "اكتملت", "أتمت", "أنجزت", "غادرت آخر", "آخر دفعة",
                "تسليم قاعدة", "سلمت", "انسحبت", "انسحبنا", "انسحبوا", "أنهت", "انتهت",
            ]
        ),
    ]

    /// Negated consequences ("لم يسفر عن خسائر", "no casualties"): they say the event did little harm, not that
    /// it was refused or denied. Matched like cues, they hide the negation inside them (لم, did not) and count
    /// as no cue at all.
    private static let negatedConsequences = [
        "لم يسفر", "لم تسفر", "لم يسفرا", "لم تسفرا", "لم يؤد", "لم تؤد", "لم يخلف", "لم تخلف", "لم يوقع", "لم توقع",
        "لم يسجل", "لم تسجل", "لم تقع", "لم يقع", "لم ترد أنباء", "لم ترد تقارير", "لم يصب", "لم يصب أحد",
        "دون أن يسفر", "دون أن تسفر", "دون أن يخلف", "دون أن تخلف", "دون أن تسجل", "دون أن يسجل", "دون وقوع",
        "لا إصابات", "لا خسائر", "no casualties", "no injuries", "no deaths", "no damage", "no one was", "nobody was",
        "no reports of", "did not cause", "didn't cause", "did not result", "did not leave", "caused no",
        "without casualties", "without causing",
    ]

    /// Intent cues that count only right before the trigger ("U.S. to withdraw troops", "agreed to withdraw").
    private static let adjacentIntentCues = ["to"]

    private static let priority: [Modality] = [.refusal, .demand, .threat, .intent, .completed]

    private var cues = PhraseTable(mode: .stem)
    /// The modality of each cue phrase; nil for a negated consequence, which is no cue.
    private var modalityByCue: [Modality?] = []
    private var adjacentIntent = IDSet()
    /// Words that start a new, contrasting statement: a demand before them does not govern what follows.
    private var contrastKeys = IDSet()
    private static let contrastWords = [
        "بينما", "فيما", "حين", "لكن", "لكنه", "لكنها", "لكنهم", "بيد", "ثم", "while", "but", "whereas", "meanwhile",
    ]

    init(vocabulary: inout Vocabulary) {
        for (modality, terms) in Self.cueList {
            for term in terms {
                guard let keys = vocabulary.stemKeys(of: term) else { continue }
                let phrase = Int(cues.add(keys))
                // A phrase listed twice keeps its first (higher-priority) modality.
                if phrase == modalityByCue.count { modalityByCue.append(modality) }
            }
        }
        for phrase in Self.negatedConsequences {
            guard let keys = vocabulary.stemKeys(of: phrase) else { continue }
            if Int(cues.add(keys)) == modalityByCue.count { modalityByCue.append(nil) }
        }
        for word in Self.contrastWords {
            for key in vocabulary.bareKeys(of: word) ?? [] { contrastKeys.insert(key) }
        }
        for cue in Self.adjacentIntentCues {
            if let key = vocabulary.stemKeys(of: cue)?.first { adjacentIntent.insert(key) }
        }
    }

    private struct Cue {
        var modality: Modality
        var start: Int
        var end: Int
        var distance: Int
        var before: Bool
    }

    /// The modality of a match whose trigger is `trigger` in sentence `sentence` of `field`.
    func modality(in field: PreparedField, sentence: Sentence, trigger: GroupHit) -> Modality {
        let triggerStart = Int(trigger.start)
        let triggerEnd = Int(trigger.end)
        let low = max(sentence.tokenStart, triggerStart - Self.maximumDistance - 3)
        let high = min(sentence.tokenEnd, triggerEnd + Self.maximumDistance)
        // The cues found, on the stack: at most one per token in reach, and the two intent cues of the trigger.
        return withUnsafeTemporaryAllocation(of: Cue.self, capacity: 2 + max(0, high - low)) { buffer in
        var count = 0
        func add(_ cue: Cue) {
            buffer.initializeElement(at: count, to: cue)
            count += 1
        }
        if trigger.future {
            add(Cue(modality: .intent, start: triggerStart, end: triggerEnd, distance: 0, before: true))
        }
        if triggerStart > sentence.tokenStart, adjacentIntent.contains(field.keys[triggerStart - 1].stem) {
            add(Cue(modality: .intent, start: triggerStart - 1, end: triggerStart, distance: 1, before: true))
        }
        var position = low
        while position < high {
            var longest: (phrase: Int32, end: Int)?
            cues.forEachMatch(in: field, at: position, limit: sentence.tokenEnd) { phrase, end, _ in
                if end > longest?.end ?? 0 { longest = (phrase, end) }
            }
            guard let match = longest else {
                position += 1
                continue
            }
            guard let modality = modalityByCue[Int(match.phrase)] else {
                position = match.end
                continue
            }
            let distance: Int
            if match.end <= triggerStart {
                distance = triggerStart - match.end + 1
            } else if position >= triggerEnd {
                distance = position - triggerEnd + 1
            } else {
                distance = 0
            }
            add(
                Cue(
                    modality: modality,
                    start: position,
                    end: match.end,
                    distance: distance,
                    before: match.end <= triggerEnd
                )
            )
            position = match.end
        }
        let found = UnsafeBufferPointer(rebasing: buffer[..<count])
        // A cue before a contrast word ("طالب المحتجون ...، فيما سحبت القوات") belongs to another statement.
        var contrast = -1
        for index in low..<triggerStart
        where contrastKeys.contains(field.keys[index].bare) {
            contrast = index
        }
        // The first of the nearest cues in reach (filtered lazily: no array of candidates).
        let nearest = found.lazy.filter { cue in
            cue.distance <= Self.maximumDistance && !(cue.before && cue.end <= contrast)
        }.min { cue, best in
            if cue.distance != best.distance { return cue.distance < best.distance }
            if cue.before != best.before { return cue.before }
            return Self.priority.firstIndex(of: cue.modality)! < Self.priority.firstIndex(of: best.modality)!
        }
        guard let best = nearest else {
            return farDemand(in: field, sentence: sentence, triggerStart: triggerStart) ? .demand : .reportedFact
        }
        if best.modality == .completed,
            let modal = found.last(where: {
                $0.end <= best.start && best.start - $0.end <= 2 && $0.modality != .completed
            })
        {
            return modal.modality
        }
        return best.modality
        }
    }

    /// Cues farther back than `maximumDistance` that still govern the trigger: a demand verb whose object is
    /// the verbal noun with ب ("يطالب البرلمان ... الحكومة ... بإخراج القوات"), however long the subject and
    /// object between them.
    private static let farDemandReach = 40
    private static let ba: UInt32 = 0x0628

    private func farDemand(in field: PreparedField, sentence: Sentence, triggerStart: Int) -> Bool {
        let token = field.tokens[triggerStart]
        guard token.kind == .arabic, token.length >= 4, field.text.scalars[token.range.lowerBound] == Self.ba
        else { return false }
        var position = max(sentence.tokenStart, triggerStart - Self.farDemandReach)
        var demand = false
        while position < triggerStart {
            var longest: (phrase: Int32, end: Int)?
            cues.forEachMatch(in: field, at: position, limit: triggerStart) { phrase, end, _ in
                if end > longest?.end ?? 0 { longest = (phrase, end) }
            }
            guard let match = longest else {
                if field.keys[position].bare != Vocabulary.absent, contrastKeys.contains(field.keys[position].bare) {
                    demand = false
                }
                position += 1
                continue
            }
            // The last cue before the trigger decides: "طالب ... ثم رفض" is not a demand.
            demand = modalityByCue[Int(match.phrase)] == .demand
            position = match.end
        }
        return demand
    }
}
