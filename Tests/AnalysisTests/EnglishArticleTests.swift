import Testing

@testable import Analysis

@Suite struct EnglishArticleTests {
    static let article = Article(
        id: "en-1",
        title: "U.S. to withdraw troops from Iraq as rockets hit Ain al-Asad",
        text: """
            The United States will withdraw about 2,200 troops from Iraq by the end of September, a Pentagon \
            official said on Wednesday. Hours earlier, Iran-backed militias fired three rockets at Ain al-Asad \
            air base in Anbar, wounding two contractors. Kataib Hezbollah denied any role in the attack. \
            The Iraqi parliament voted last year to expel foreign forces.
            """
    )

    @Test func firesTheRightTopics() throws {
        let analysis = try AnalysisFixtures.analyzer().analyze(Self.article)
        #expect(analysis.language == "en")
        for id in ["troop-withdrawal", "militia-attack", "rocket-drone-attack", "armed-attack"] {
            #expect(analysis.topic(id) != nil, "missing \(id); fired \(analysis.topicIDs.sorted())")
        }
        #expect(analysis.topic("protest") == nil)
        #expect(analysis.topic("sanctions") == nil)
    }

    @Test func titleEvidenceComesFirst() throws {
        let analysis = try AnalysisFixtures.analyzer().analyze(Self.article)
        let withdrawal = try #require(analysis.topic("troop-withdrawal"))
        let first = try #require(withdrawal.evidence.first)
        #expect(first.field == "title")
        #expect(first.start == 0)
        #expect(AnalysisFixtures.scalars(Self.article.title!, first.start, first.end) == first.text)
        #expect(withdrawal.evidence.count <= 3)
    }

    @Test func findsEntitiesAndQuantities() throws {
        let analysis = try AnalysisFixtures.analyzer().analyze(Self.article)
        for id in ["usa", "iraq", "ain_al_asad", "kataib_hezbollah", "pentagon", "anbar", "iraqi_parliament"] {
            #expect(analysis.entity(id) != nil, "missing \(id); found \(analysis.entities.map(\.id))")
        }
        #expect(analysis.quantities.contains { $0.value == 2200 && $0.unit == "soldiers" && $0.approximate })
        #expect(analysis.quantities.contains { $0.value == 3 && $0.unit == "rockets" })
    }

    @Test func topicsAreSortedByScore() throws {
        let topics = try AnalysisFixtures.analyzer().analyze(Self.article).topics
        #expect(topics.map(\.score) == topics.map(\.score).sorted(by: >))
    }
}
