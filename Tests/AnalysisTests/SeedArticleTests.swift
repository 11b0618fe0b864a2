import Foundation
import Testing

@testable import Analysis

/// The model article: Trump tells al-Kadhimi that coalition forces will leave Iraq within three years.
@Suite(.enabled(if: AnalysisFixtures.seedIsAvailable, "shared/seed/article-ar-kadhimi-trump.txt is not available"))
struct SeedArticleTests {
    let text: String
    let analysis: Analysis

    init() throws {
        text = try String(contentsOf: AnalysisFixtures.seedURL, encoding: .utf8)
        analysis = try AnalysisFixtures.analyzer().analyze(Article(id: "seed", text: text))
    }

    @Test func detectsArabic() {
        #expect(analysis.language == "ar")
    }

    @Test(arguments: ["troop-withdrawal", "militia-attack", "foreign-incursion", "oil-energy-deal", "armed-attack"])
    func firesTopicWithSentenceEvidence(_ id: String) throws {
        let topic = try #require(analysis.topic(id), "topics found: \(analysis.topicIDs.sorted())")
        #expect(!topic.evidence.isEmpty)
        #expect(topic.evidence.count <= 3)
        for evidence in topic.evidence {
            #expect(evidence.field == "text")
            #expect(AnalysisFixtures.scalars(text, evidence.start, evidence.end) == evidence.text)
            #expect(!evidence.terms.isEmpty)
            for term in evidence.terms {
                #expect(evidence.text.contains(term), "term \(term) is not in its sentence")
            }
        }
    }

    @Test func firesNoUnsupportedTopic() {
        // "رئيس الحكومة" names the prime minister; nothing in the article is about forming a government.
        let expected: Set = [
            "troop-withdrawal", "militia-attack", "foreign-incursion", "oil-energy-deal", "armed-attack",
        ]
        #expect(analysis.topicIDs.subtracting(expected).isEmpty, "extra topics: \(analysis.topicIDs.subtracting(expected))")
    }

    @Test func foreignIncursionIsTheTurkishAttack() throws {
        let topic = try #require(analysis.topic("foreign-incursion"))
        #expect(topic.evidence.contains { $0.text.contains("للهجوم التركي في شمال العراق") })
    }

    @Test func troopWithdrawalEvidenceIsTheThreeYearPledge() throws {
        let topic = try #require(analysis.topic("troop-withdrawal"))
        let first = try #require(topic.evidence.first)
        #expect(first.text.contains("في غضون 3 سنوات"))
        #expect(first.modality == .intent)
    }

    @Test func troopWithdrawalIsAnnouncedIntent() throws {
        let topic = try #require(analysis.topic("troop-withdrawal"))
        #expect(topic.modality == .intent, "evidence: \(topic.evidence.map { ($0.text, $0.modality) })")
        #expect(topic.severity == "high")
    }

    @Test func militiaAttackRollsUpToArmedAttack() throws {
        let child = try #require(analysis.topic("militia-attack"))
        let parent = try #require(analysis.topic("armed-attack"))
        #expect(parent.score >= child.score)
    }

    @Test(arguments: [
        "trump", "al_kadhimi", "iraq", "washington", "pmf", "pompeo", "fuad_hussein", "erdogan",
        "qaani", "soleimani", "quds_force", "irgc", "isis", "iran", "usa", "baghdad", "tehran",
        "baghdad_airport", "white_house", "coalition", "turkey",
    ])
    func findsEntity(_ id: String) {
        #expect(analysis.entity(id) != nil, "entities found: \(analysis.entities.map(\.id))")
    }

    @Test func mentionsPointAtTheirText() {
        for entity in analysis.entities {
            for mention in entity.mentions {
                #expect(AnalysisFixtures.scalars(text, mention.start, mention.end) == mention.text)
            }
        }
    }

    @Test func findsTheMisspelledWashingtonWithLowConfidence() throws {
        let washington = try #require(analysis.entity("washington"))
        let typo = try #require(washington.mentions.first { $0.text == "واشنكن" })
        #expect(typo.confidence == "low")
        #expect(washington.mentions.contains { $0.text == "واشنطن" && $0.confidence == "high" })
    }

    @Test func acceptsProcliticsOnNames() throws {
        let kadhimi = try #require(analysis.entity("al_kadhimi"))
        #expect(kadhimi.mentions.contains { $0.text == "بالكاظمي" })
        let iraq = try #require(analysis.entity("iraq"))
        #expect(iraq.mentions.contains { $0.text == "بالعراق" })
    }

    @Test func neverTakesBareHashdForThePMF() throws {
        let pmf = try #require(analysis.entity("pmf"))
        #expect(pmf.mentions.allSatisfy { $0.text.contains("الشعبي") })
    }

    @Test func findsTurkeyThroughItsAdjectives() throws {
        let turkey = try #require(analysis.entity("turkey"))
        #expect(turkey.mentions.contains { $0.text == "التركي" })
        #expect(turkey.mentions.contains { $0.text == "الأتراك" })
    }

    @Test func reportsEachQuantityMentionOnce() {
        let places = analysis.quantities.map { "\($0.field):\($0.start)" }
        #expect(Set(places).count == places.count)
    }

    @Test func findsSoldiersAndYears() {
        let quantities = analysis.quantities
        #expect(quantities.contains { $0.value == 5000 && $0.unit == "soldiers" && $0.approximate })
        #expect(quantities.contains { $0.value == 3 && $0.unit == "years" })
        for quantity in quantities {
            #expect(AnalysisFixtures.scalars(text, quantity.start, quantity.end) == quantity.text)
        }
    }
}
