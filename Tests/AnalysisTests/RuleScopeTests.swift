import Testing

@testable import Analysis

/// Exclusions tied to the trigger's clause, sentence-wide vetoes, and `where:`.
@Suite(.timeLimit(.minutes(1))) struct RuleScopeTests {
    private static func topic(
        not: [String] = [],
        notInSentence: [String] = [],
        locations: [RuleLocation] = RuleLocation.allCases
    ) throws -> Analyzer {
        try Analyzer(
            topics: [
                TopicDefinition(
                    id: "attack",
                    exclusions: not,
                    sentenceExclusions: notInSentence,
                    rules: [
                        RuleDefinition(
                            id: "attack-harm",
                            groups: [TermGroup(terms: ["attack", "هجوم"]), TermGroup(terms: ["killed", "قتلى"])],
                            near: 12,
                            locations: locations
                        )
                    ]
                )
            ],
            entities: []
        )
    }

    @Test func anExclusionVetoesOnlyItsOwnClause() throws {
        let analyzer = try Self.topic(not: ["heart attack"])
        let vetoed = analyzer.analyze(Article(id: "1", text: "Two men killed by a heart attack at the marathon."))
        #expect(vetoed.topics.isEmpty)
        let other = analyzer.analyze(
            Article(id: "2", text: "One runner had a heart attack, while an attack on the checkpoint killed two.")
        )
        #expect(other.topicIDs == ["attack"])
    }

    @Test func anArabicClauseEndsAtACommaOrAReportingVerb() throws {
        let analyzer = try Self.topic(not: ["هجوم لاذع"])
        let vetoed = analyzer.analyze(Article(id: "1", text: "شن الوزير هجوما لاذعا على المعارضة بعد سقوط قتلى."))
        #expect(vetoed.topics.isEmpty)
        let kept = analyzer.analyze(
            Article(id: "2", text: "شن الوزير هجوما لاذعا على المعارضة، بينما أسفر هجوم على الحاجز عن قتلى.")
        )
        #expect(kept.topicIDs == ["attack"])
    }

    @Test func aSentenceExclusionVetoesEveryClause() throws {
        let analyzer = try Self.topic(notInSentence: ["match"])
        let text = "The match was stopped, after an attack near the stadium killed two people."
        #expect(analyzer.analyze(Article(id: "1", text: text)).topics.isEmpty)
        #expect(try Self.topic().analyze(Article(id: "2", text: text)).topicIDs == ["attack"])
    }

    @Test func anExclusionNeverVetoesTheWholeArticle() throws {
        let analyzer = try Self.topic(notInSentence: ["match"])
        let text = "The match was cancelled. Later an attack on a convoy killed three soldiers."
        #expect(analyzer.analyze(Article(id: "1", text: text)).topicIDs == ["attack"])
    }

    @Test func whereLimitsARuleToTitleLeadOrBody() throws {
        let sentence = "An attack killed two guards."
        let filler = "The weather was mild. Markets were calm."
        let titleOnly = try Self.topic(locations: [.title])
        #expect(titleOnly.analyze(Article(id: "1", title: sentence, text: filler)).topicIDs == ["attack"])
        #expect(titleOnly.analyze(Article(id: "2", text: sentence + " " + filler)).topics.isEmpty)

        let leadOnly = try Self.topic(locations: [.lead])
        #expect(leadOnly.analyze(Article(id: "3", text: sentence + " " + filler)).topicIDs == ["attack"])
        #expect(leadOnly.analyze(Article(id: "4", text: filler + " " + sentence)).topics.isEmpty)

        let bodyOnly = try Self.topic(locations: [.body])
        #expect(bodyOnly.analyze(Article(id: "5", text: filler + " " + sentence)).topicIDs == ["attack"])
        #expect(bodyOnly.analyze(Article(id: "6", text: sentence + " " + filler)).topics.isEmpty)
    }

    @Test func explainShowsMatchesAndVetoes() throws {
        let analyzer = try Self.topic(not: ["heart attack"])
        let explanation = analyzer.explain(
            Article(id: "e", text: "He was killed by a heart attack. An attack on the base killed four.")
        )
        #expect(explanation.analysis.topicIDs == ["attack"])
        let vetoed = try #require(explanation.traces.first { $0.vetoedBy != nil })
        #expect(vetoed.vetoedBy == "heart attack")
        #expect(vetoed.vetoScope == "clause")
        #expect(vetoed.rule == "attack-harm")
        let fired = try #require(explanation.traces.first { $0.vetoedBy == nil })
        #expect(fired.terms == ["attack", "killed"])
        #expect(fired.location == "lead")
        #expect(fired.sentence == "An attack on the base killed four.")
        #expect(explanation.analysis == analyzer.analyze(Article(id: "e", text: "He was killed by a heart attack. An attack on the base killed four.")))
    }
}
