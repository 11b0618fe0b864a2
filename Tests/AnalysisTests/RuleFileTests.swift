import Foundation
import Testing

@testable import Analysis

/// The shipped rule files decode and compile, and decoding rejects unknown keys with a usable path.
@Suite struct RuleFileTests {
    @Test func shippedTopicsDecodeAndCompile() throws {
        let topics = try AnalysisFixtures.shippedTopics()
        let analyzer = try AnalysisFixtures.analyzer()
        let required = [
            "troop-withdrawal", "militia-attack", "rocket-drone-attack", "foreign-incursion", "armed-attack",
            "protest", "terror-attack", "assassination", "kidnapping", "sanctions",
        ]
        for id in required {
            #expect(analyzer.topicIDs.contains(id), "missing topic \(id)")
        }
        #expect(analyzer.topicIDs == topics.map(\.id))
        let violent = [
            "militia-attack", "rocket-drone-attack", "foreign-incursion", "assassination", "terror-attack",
            "kidnapping",
        ]
        for id in violent {
            #expect(topics.first { $0.id == id }?.parent == "armed-attack", "\(id) should roll up to armed-attack")
        }
    }

    @Test func shippedEntitiesDecode() throws {
        let entities = try AnalysisFixtures.shippedEntities()
        #expect(entities.count >= 150)
        #expect(Set(entities.map(\.type)) == Set(EntityDefinition.types))
        #expect(Set(entities.map(\.id)).count == entities.count)
        let pmf = try #require(entities.first { $0.id == "pmf" })
        #expect(!pmf.arabicNames.contains("حشد") && !pmf.arabicNames.contains("الحشد"))
    }

    private static let topicJSON = """
        {"topics": [{"id": "t", "severity": "high", "rules": [
          {"id": "r", "all": [{"any": ["withdraw"]}, {"any": ["troops"], "entities": ["x"]}], "near": 4,
           "where": ["title", "lead"]}]}]}
        """

    @Test func decodesATopicFromJSON() throws {
        let file = try JSONDecoder().decode(TopicsFile.self, from: Data(Self.topicJSON.utf8))
        let topic = try #require(file.topics.first)
        #expect(topic.id == "t")
        #expect(topic.title == "t")
        #expect(topic.threshold == 1.0)
        #expect(topic.severity == "high")
        let rule = try #require(topic.rules.first)
        #expect(rule.weight == 1.0)
        #expect(rule.near == 4)
        #expect(rule.groups.count == 2)
        #expect(rule.groups[1].entities == ["x"])
        #expect(rule.locations == [.title, .lead])
    }

    @Test func ruleLevelAnyIsOneGroup() throws {
        let json = #"{"id": "t", "rules": [{"id": "r", "any": ["a", "b"]}]}"#
        let topic = try JSONDecoder().decode(TopicDefinition.self, from: Data(json.utf8))
        #expect(topic.rules[0].groups.map(\.terms) == [["a", "b"]])
    }

    private func expectUnknownKey<T: Decodable>(_ type: T.Type, _ json: String, path: [String]) {
        do {
            _ = try JSONDecoder().decode(type, from: Data(json.utf8))
            Issue.record("decoding succeeded despite an unknown key")
        } catch DecodingError.dataCorrupted(let context) {
            let codingPath = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            #expect(codingPath == path)
            #expect(context.debugDescription == "unknown key '\(path.last ?? "")'")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func rejectsUnknownKeysWithTheirPath() {
        expectUnknownKey(
            TopicsFile.self,
            #"{"topics": [{"id": "t", "rules": [{"id": "r", "any": ["a"], "nera": 3}]}]}"#,
            path: ["topics", "0", "rules", "0", "nera"]
        )
        expectUnknownKey(
            TopicsFile.self,
            #"{"topics": [{"id": "t", "rules": [{"id": "r", "all": [{"any": ["a"], "entites": ["x"]}]}]}]}"#,
            path: ["topics", "0", "rules", "0", "all", "0", "entites"]
        )
        expectUnknownKey(TopicsFile.self, #"{"topics": [], "version": 2}"#, path: ["version"])
        expectUnknownKey(
            EntitiesFile.self,
            #"{"entities": [{"id": "x", "type": "place", "ar": ["بغداد"], "fr": ["Bagdad"]}]}"#,
            path: ["entities", "0", "fr"]
        )
    }

    @Test func rejectsAnUnknownSeverityOrType() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TopicDefinition.self, from: Data(#"{"id": "t", "severity": "urgent"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                EntityDefinition.self,
                from: Data(#"{"id": "x", "type": "city", "en": ["X"]}"#.utf8)
            )
        }
    }
}
