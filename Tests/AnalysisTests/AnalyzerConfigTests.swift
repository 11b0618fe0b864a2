import Testing

@testable import Analysis

/// Rule sets that decode but cannot compile are rejected with the topic (or entity) and the reason.
@Suite struct AnalyzerConfigTests {
    private func rule(_ groups: [TermGroup], weight: Double = 1) -> RuleDefinition {
        RuleDefinition(id: "r", weight: weight, groups: groups)
    }

    private func error(
        topics: [TopicDefinition],
        entities: [EntityDefinition] = []
    ) -> AnalyzerConfigError? {
        do {
            _ = try Analyzer(topics: topics, entities: entities)
            return nil
        } catch {
            return error
        }
    }

    @Test func rejectsAnUnknownParent() throws {
        let failure = try #require(
            error(topics: [TopicDefinition(id: "a", parent: "missing", rules: [rule([TermGroup(terms: ["x"])])])])
        )
        #expect(failure.topic == "a")
        #expect(failure.message.contains("missing"))
        #expect(failure.description == "'a': unknown parent topic 'missing'")
    }

    @Test func rejectsAParentLoop() {
        let failure = error(topics: [
            TopicDefinition(id: "a", parent: "b", rules: [rule([TermGroup(terms: ["x"])])]),
            TopicDefinition(id: "b", parent: "a", rules: [rule([TermGroup(terms: ["y"])])]),
        ])
        #expect(failure?.message.contains("loops") == true)
    }

    @Test func rejectsEmptyGroupsAndWordlessTerms() {
        let empty = error(topics: [TopicDefinition(id: "a", rules: [rule([TermGroup(terms: ["x"]), TermGroup()])])])
        #expect(empty?.rule == "r")
        #expect(empty?.message == "group 2 is empty")
        let wordless = error(topics: [TopicDefinition(id: "a", rules: [rule([TermGroup(terms: ["--- ،"])])])])
        #expect(wordless?.message == "term '--- ،' has no words")
    }

    @Test func rejectsUnknownEntitiesAndTypes() {
        let unknown = error(topics: [TopicDefinition(id: "a", rules: [rule([TermGroup(entities: ["nobody"])])])])
        #expect(unknown?.message == "unknown entity 'nobody'")
        let type = error(topics: [TopicDefinition(id: "a", rules: [rule([TermGroup(types: ["city"])])])])
        #expect(type?.message == "unknown entity type 'city'")
    }

    @Test func rejectsDuplicatesAndBadNumbers() {
        let topic = TopicDefinition(id: "a", rules: [rule([TermGroup(terms: ["x"])])])
        #expect(error(topics: [topic, topic])?.message == "duplicate topic id")
        #expect(
            error(topics: [TopicDefinition(id: "a", rules: [rule([TermGroup(terms: ["x"])], weight: 0)])])?.message
                == "weight must be a positive number"
        )
        #expect(
            error(topics: [TopicDefinition(id: "a", threshold: -1, rules: [rule([TermGroup(terms: ["x"])])])])?.message
                == "threshold must be a positive number"
        )
        #expect(error(topics: [TopicDefinition(id: "a", rules: [])])?.message == "a topic needs rules or child topics")
        let place = EntityDefinition(id: "p", type: "place", arabicNames: ["بغداد"])
        #expect(error(topics: [], entities: [place, place])?.message == "duplicate entity id")
        #expect(
            error(topics: [], entities: [EntityDefinition(id: "p", type: "place")])?.message == "an entity needs names"
        )
    }
}
