import Foundation
import TestSupport
import Testing

/// The CLI contract: exit codes and `file:line: message` errors.
@Suite struct CommandLineTests {
    let folder: URL

    init() throws {
        folder = try TestPaths.makeTemporaryFolder("cli")
    }

    func write(_ text: String, to name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    var shippedTopics: String { TestPaths.packageRoot.appendingPathComponent("Config/topics.yaml").path }
    var shippedEntities: String { TestPaths.packageRoot.appendingPathComponent("Config/entities.yaml").path }

    @Test func checkAcceptsTheShippedConfig() throws {
        let result = try Feedwatch.run(
            ["check", "--config", TestPaths.packageRoot.appendingPathComponent("Config/feedwatch.yaml").path])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(result.standardOutput.contains("troop-withdrawal"))
    }

    @Test func brokenYAMLExitsNonZeroWithFileAndLine() throws {
        let path = try write("feeds:\n  - url: https://example.org/rss\n    name: \"unterminated\n", to: "broken.yaml")
        let result = try Feedwatch.run(["check", "--config", path])
        #expect(result.status != 0)
        #expect(result.standardError.range(of: "\(path):[0-9]+: ", options: .regularExpression) != nil, "\(result.standardError)")
    }

    @Test func unknownKeyExitsNonZeroWithFileAndLine() throws {
        let path = try write(
            "topics: \(shippedTopics)\nentities: \(shippedEntities)\nfeeds: []\npoll:\n  timeout: 10s\n  retries: 3\n",
            to: "unknown.yaml")
        let result = try Feedwatch.run(["check", "--config", path])
        #expect(result.status != 0)
        #expect(result.standardError.contains("\(path):6: unknown key 'retries'"), "\(result.standardError)")
    }

    @Test func missingTopicsFileExitsNonZeroNamingIt() throws {
        let path = try write("topics: missing-topics.yaml\nentities: \(shippedEntities)\nfeeds: []\n", to: "missing.yaml")
        let result = try Feedwatch.run(["check", "--config", path])
        #expect(result.status != 0)
        #expect(result.standardError.contains(folder.appendingPathComponent("missing-topics.yaml").path))
    }

    @Test func aTopicsFileWithAnUnknownKeyIsNamedWithItsLine() throws {
        let topics = try write("topics:\n  - id: x\n    colour: red\n", to: "bad-topics.yaml")
        let path = try write("topics: \(topics)\nentities: \(shippedEntities)\nfeeds: []\n", to: "with-bad-topics.yaml")
        let result = try Feedwatch.run(["check", "--config", path])
        #expect(result.status != 0)
        #expect(result.standardError.contains("\(topics):3:"), "\(result.standardError)")
    }

    @Test func analyzeJSONLinesWritesOneLinePerInput() throws {
        let input = """
            {"id": "a", "text": "US troops will withdraw from Iraq by the end of next year, the Pentagon said."}
            {"id": "b", "title": "Weather", "text": "Sunny skies are expected across the region on Friday."}
            """
        let result = try Feedwatch.run(["analyze", "--jsonl"], input: input)
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["id"] as? String == "a")
        #expect(first?["language"] as? String == "en")
        let topics = first?["topics"] as? [[String: Any]] ?? []
        #expect(topics.contains { $0["id"] as? String == "troop-withdrawal" })
        let second = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect((second?["topics"] as? [Any])?.isEmpty == true)
    }

    @Test func analyzeFindsTheSeedArticlesTopicsAndFigures() throws {
        let seed = TestPaths.shared.appendingPathComponent("seed/article-ar-kadhimi-trump.txt").path
        guard TestPaths.sharedIsAvailable else {
            print("skipped: ../shared is absent")
            return
        }
        let result = try Feedwatch.run(["analyze", seed])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let topics = (object?["topics"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(topics.contains("troop-withdrawal"))
        #expect(topics.contains("militia-attack"))
        let quantities = object?["quantities"] as? [[String: Any]] ?? []
        #expect(quantities.contains { $0["value"] as? Double == 5000 })
        #expect(quantities.contains { $0["value"] as? Double == 3 })
    }

    @Test func parsePrintsTheFeedAsJSON() throws {
        let demo = TestPaths.packageRoot.appendingPathComponent("Config/demo/english-news.xml").path
        let result = try Feedwatch.run(["parse", demo])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(object?["format"] as? String == "atom")
        #expect((object?["items"] as? [Any])?.count == 5)
    }

    @Test func parseOfSomethingThatIsNotAFeedFails() throws {
        let path = try write("just some text\n", to: "not-a-feed.txt")
        let result = try Feedwatch.run(["parse", path])
        #expect(result.status != 0)
        #expect(result.standardError.contains(path))
    }
}
