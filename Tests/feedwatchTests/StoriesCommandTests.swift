import Foundation
import TestSupport
import Testing

/// `feedwatch stories` and `feedwatch prune` on the bundled demo feeds, run by the real binary.
@Suite struct StoriesCommandTests {
    /// The demo config with its state in a temporary folder.
    static func demoConfig() throws -> String {
        let folder = try TestPaths.makeTemporaryFolder("stories-cli")
        let shipped = TestPaths.packageRoot.appendingPathComponent("Config")
        let config = folder.appendingPathComponent("demo.yaml").path
        try Data(
            """
            \(TestPaths.configHead)
            feeds:
              - url: \(shipped.appendingPathComponent("demo/arabic-news.xml").absoluteString)
                name: demo-arabic
                allow_file: true
              - url: \(shipped.appendingPathComponent("demo/english-news.xml").absoluteString)
                name: demo-english
                allow_file: true
            """.utf8
        ).write(to: URL(fileURLWithPath: config))
        return config
    }

    @Test(.timeLimit(.minutes(1)))
    func theArabicAndEnglishReportsOfOneAttackAreOneStoryWithOneAlertPerTopic() throws {
        let config = try Self.demoConfig()
        let run = try Feedwatch.run(["run", "--once", "--config", config])
        #expect(run.status == 0, "\(run.standardError)")

        let stories = try Feedwatch.run(["stories", "--config", config, "--json"])
        #expect(stories.status == 0, "\(stories.standardError)")
        let objects = try stories.standardOutput.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
        let bilingual = objects.filter { ($0["languages"] as? [String]) == ["ar", "en"] }
        #expect(bilingual.count == 1, "\(stories.standardOutput)")
        let sources = bilingual.first?["sources"] as? [[String: Any]] ?? []
        #expect(Set(sources.compactMap { $0["feed"] as? String }) == ["demo-arabic", "demo-english"])

        let alerts = try Feedwatch.run(["alerts", "--config", config, "--json"])
        let lines = try alerts.standardOutput.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
        let storyID = bilingual.first?["id"] as? Int
        let ofStory = lines.filter { $0["story"] as? Int == storyID }
        let topics = ofStory.compactMap { $0["topic"] as? String }
        #expect(Set(topics).count == topics.count, "one alert per (story, topic): \(topics)")
        #expect(ofStory.allSatisfy { $0["sources"] as? Int == 2 }, "the store counts both reports")

        let human = try Feedwatch.run(["stories", "--config", config])
        #expect(human.standardOutput.contains("2 reports in 2 feeds  [ar,en]"), "\(human.standardOutput)")
    }

    @Test(.timeLimit(.minutes(1)))
    func pruneRemovesNothingWithinTheRetentionAndSaysSo() throws {
        let config = try Self.demoConfig()
        _ = try Feedwatch.run(["run", "--once", "--config", config])
        let before = try Feedwatch.run(["alerts", "--config", config, "--json"]).standardOutput
        let prune = try Feedwatch.run(["prune", "--config", config, "--older-than", "30d"])
        #expect(prune.status == 0, "\(prune.standardError)")
        #expect(prune.standardOutput.hasPrefix("pruned 0 alert(s), 0 item(s)"), "\(prune.standardOutput)")
        #expect(try Feedwatch.run(["alerts", "--config", config, "--json"]).standardOutput == before)
        let bad = try Feedwatch.run(["prune", "--config", config, "--older-than", "soon"])
        #expect(bad.status != 0)
    }
}
