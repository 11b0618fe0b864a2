import Foundation
import TestSupport
import Testing
import Yams

@testable import Analysis

/// Paths and shared fixtures for the analysis tests.
enum AnalysisFixtures {
    /// The package root (the paths helper shared by every test target).
    static let packageRoot = TestPaths.packageRoot

    /// The shipped rule files.
    static let topicsURL = packageRoot.appendingPathComponent("Config/topics.yaml")
    static let entitiesURL = packageRoot.appendingPathComponent("Config/entities.yaml")

    /// The shared research data, beside the package (`../shared`).
    static let sharedURL = TestPaths.shared
    static let seedURL = sharedURL.appendingPathComponent("seed/article-ar-kadhimi-trump.txt")
    static let labelsURL = sharedURL.appendingPathComponent("corpus/labels/ant-sentences.jsonl")

    static var seedIsAvailable: Bool { FileManager.default.fileExists(atPath: seedURL.path) }
    static var labelsAreAvailable: Bool { FileManager.default.fileExists(atPath: labelsURL.path) }

    /// The shipped topics, decoded with Yams, as the daemon does.
    static func shippedTopics() throws -> [TopicDefinition] {
        try YAMLDecoder().decode(TopicsFile.self, from: String(contentsOf: topicsURL, encoding: .utf8)).topics
    }

    /// The shipped gazetteer.
    static func shippedEntities() throws -> [EntityDefinition] {
        try YAMLDecoder().decode(EntitiesFile.self, from: String(contentsOf: entitiesURL, encoding: .utf8)).entities
    }

    /// An analyzer compiled from the shipped rule files (compiled once per test process).
    static let shippedAnalyzer: Result<Analyzer, any Error> = Result {
        try Analyzer(topics: shippedTopics(), entities: shippedEntities())
    }

    static func analyzer() throws -> Analyzer {
        try shippedAnalyzer.get()
    }

    /// The substring of `text` at Unicode scalar offsets `start..<end`.
    static func scalars(_ text: String, _ start: Int, _ end: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: Array(text.unicodeScalars)[start..<end])
        return String(view)
    }
}

extension Analysis {
    /// The ids of the topics that fired.
    var topicIDs: Set<String> { Set(topics.map(\.id)) }

    func topic(_ id: String) -> TopicMatch? { topics.first { $0.id == id } }

    func entity(_ id: String) -> EntityMatch? { entities.first { $0.id == id } }
}
