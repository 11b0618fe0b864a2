import Testing

@testable import Analysis

/// Scoring, thresholds, exclusions, parents, `where` and evidence, on small hand-written rule sets.
@Suite struct AnalyzerTests {
    private let analyzer: Analyzer

    init() throws {
        let withdraw = TermGroup(terms: ["withdraw", "withdrawal", "انسحاب"])
        let troops = TermGroup(terms: ["troops", "قوات"])
        analyzer = try Analyzer(
            topics: [
                TopicDefinition(
                    id: "withdrawal",
                    severity: "high",
                    rules: [
                        RuleDefinition(id: "pair", groups: [withdraw, troops], near: 3, exclusions: ["from the race"]),
                        RuleDefinition(id: "weak", weight: 0.4, groups: [TermGroup(terms: ["pullout"])]),
                    ]
                ),
                TopicDefinition(
                    id: "violence",
                    severity: "critical",
                    threshold: 2,
                    rules: [
                        RuleDefinition(id: "shooting", groups: [TermGroup(terms: ["shooting"])])
                    ]
                ),
                TopicDefinition(
                    id: "attack",
                    parent: "violence",
                    rules: [
                        RuleDefinition(
                            id: "militia",
                            groups: [TermGroup(terms: ["attack"]), TermGroup(entities: ["kh"])]
                        )
                    ]
                ),
                TopicDefinition(
                    id: "headline",
                    rules: [
                        RuleDefinition(id: "title-only", groups: [TermGroup(terms: ["breaking"])], locations: [.title])
                    ]
                ),
                TopicDefinition(
                    id: "militias",
                    rules: [
                        RuleDefinition(
                            id: "spelling",
                            groups: [TermGroup(terms: ["ميليشيات"]), TermGroup(terms: ["القوات الأمريكية"])]
                        )
                    ]
                ),
            ],
            entities: [EntityDefinition(id: "kh", type: "group", englishNames: ["Kataib Hezbollah"])]
        )
    }

    private func analyze(_ text: String, title: String? = nil) -> Analysis {
        analyzer.analyze(Article(id: "a", title: title, text: text))
    }

    @Test func requiresEveryGroupWithinNear() {
        #expect(analyze("The troops will withdraw.").topic("withdrawal") != nil)
        #expect(
            analyze("The troops, tired after a long and difficult year, will finally withdraw.").topic("withdrawal")
                == nil
        )
        #expect(analyze("Withdraw. Troops.").topic("withdrawal") == nil)  // not in one sentence
    }

    @Test func scoresRulesOnceWithACappedBonusForRepeats() throws {
        let once = try #require(analyze("Troops withdraw.").topic("withdrawal"))
        #expect(once.score == 1.0)
        let many = try #require(
            analyze("Troops withdraw. Troops withdraw. Troops withdraw. Troops withdraw. Troops withdraw.").topic(
                "withdrawal"
            )
        )
        #expect(many.score == 1.3)
        #expect(many.evidence.count == 3)
    }

    @Test func aRuleBelowTheThresholdDoesNotFireAlone() {
        #expect(analyze("The pullout began. The pullout ended. The pullout resumed.").topic("withdrawal") == nil)
        #expect(analyze("The pullout began. Troops withdraw.").topic("withdrawal")?.score == 1.4)
    }

    @Test func anExclusionVetoesOnlyItsSentence() throws {
        #expect(analyze("The senator's troops withdraw from the race.").topic("withdrawal") == nil)
        let topic = try #require(
            analyze("The senator's troops withdraw from the race. Foreign troops withdraw.").topic("withdrawal")
        )
        #expect(topic.evidence.map(\.text) == ["Foreign troops withdraw."])
    }

    @Test func aParentFiresWithItsChildsEvidence() throws {
        let analysis = analyze("Kataib Hezbollah claimed the attack.")
        let child = try #require(analysis.topic("attack"))
        let parent = try #require(analysis.topic("violence"))
        #expect(parent.evidence == child.evidence)
        #expect(parent.severity == "critical")
        #expect(parent.score == child.score)
        #expect(child.evidence.first?.terms == ["Kataib Hezbollah", "attack"])
        // The parent's own rule is below its threshold of 2 and adds nothing on its own.
        #expect(analyze("A shooting was reported.").topic("violence") == nil)
    }

    @Test func restrictsRulesToTheirLocation() {
        #expect(analyze("Nothing here.", title: "Breaking news").topic("headline")?.evidence.first?.field == "title")
        #expect(analyze("Breaking news in the body.").topic("headline") == nil)
    }

    @Test func matchesEitherSpellingOfAVariant() {
        #expect(analyze("ميليشيات تهاجم القوات الأميركية").topic("militias") != nil)
        #expect(analyze("مليشيات تهاجم القوات الأمريكية").topic("militias") != nil)
    }

    @Test func evidenceIsTheOriginalSentenceAtItsOffsets() throws {
        let text = "Intro line.\nThe   troops   will withdraw  soon!  Outro."
        let evidence = try #require(analyze(text).topic("withdrawal")?.evidence.first)
        #expect(evidence.text == "The   troops   will withdraw  soon!")
        #expect(AnalysisFixtures.scalars(text, evidence.start, evidence.end) == evidence.text)
        #expect(evidence.terms == ["troops", "withdraw"])
        #expect(evidence.rule == "pair")
        #expect(evidence.modality == .intent)
    }

    @Test func isSafeToShareAcrossTasks() async {
        let texts = (0..<32).map { "Troops withdraw \($0). Kataib Hezbollah attack." }
        let expected = texts.map { analyze($0) }
        let results = await withTaskGroup(of: (Int, Analysis).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { [analyzer] in (index, analyzer.analyze(Article(id: "\(index)", text: text))) }
            }
            var collected = Array(
                repeating: Analysis(language: "", topics: [], entities: [], quantities: []),
                count: texts.count
            )
            for await (index, analysis) in group { collected[index] = analysis }
            return collected
        }
        #expect(results == expected)
    }

    @Test func listsTopicIDsInFileOrder() {
        #expect(analyzer.topicIDs == ["withdrawal", "violence", "attack", "headline", "militias"])
    }
}
