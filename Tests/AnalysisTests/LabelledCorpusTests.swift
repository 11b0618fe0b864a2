import Foundation
import Testing

@testable import Analysis

/// Runs the shipped rules over the hand-labelled Arabic sentences in shared/corpus/labels and prints
/// precision and recall per topic. The set is a development set for tuning; the assertions are only a
/// floor that catches a broken rule file, not a quality target.
@Suite(.enabled(if: AnalysisFixtures.labelsAreAvailable, "shared/corpus/labels/ant-sentences.jsonl is not available"))
struct LabelledCorpusTests {
    private struct Line: Decodable {
        var text: String
        var topics: [String]
    }

    @Test func precisionAndRecallPerTopic() throws {
        let analyzer = try AnalysisFixtures.analyzer()
        let content = try String(contentsOf: AnalysisFixtures.labelsURL, encoding: .utf8)
        var truePositives: [String: Int] = [:]
        var falsePositives: [String: Int] = [:]
        var falseNegatives: [String: Int] = [:]
        var lines = 0
        for raw in content.split(separator: "\n") where !raw.isEmpty {
            let line = try JSONDecoder().decode(Line.self, from: Data(raw.utf8))
            lines += 1
            let found = analyzer.analyze(Article(id: "\(lines)", text: line.text, language: "ar")).topicIDs
            let wanted = Set(line.topics)
            for topic in found.intersection(wanted) { truePositives[topic, default: 0] += 1 }
            for topic in found.subtracting(wanted) { falsePositives[topic, default: 0] += 1 }
            for topic in wanted.subtracting(found) { falseNegatives[topic, default: 0] += 1 }
        }
        #expect(lines > 100)

        var report = "labelled sentences: \(lines)\n"
        let topics = Set(truePositives.keys).union(falsePositives.keys).union(falseNegatives.keys).sorted()
        for topic in topics {
            let tp = truePositives[topic, default: 0]
            let fp = falsePositives[topic, default: 0]
            let fn = falseNegatives[topic, default: 0]
            let precision = tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp)
            let recall = tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn)
            report += "\(topic): P \(String(format: "%.2f", precision)) R \(String(format: "%.2f", recall)) "
            report += "(tp \(tp), fp \(fp), fn \(fn))\n"
            if tp + fp >= 5 {
                #expect(precision >= 0.5, "precision of \(topic) fell to \(precision)")
            }
        }
        let tp = truePositives.values.reduce(0, +)
        let fp = falsePositives.values.reduce(0, +)
        let fn = falseNegatives.values.reduce(0, +)
        let precision = Double(tp) / Double(max(1, tp + fp))
        let recall = Double(tp) / Double(max(1, tp + fn))
        report += "micro: P \(String(format: "%.2f", precision)) R \(String(format: "%.2f", recall))"
        print(report)
        #expect(precision >= 0.75)
        #expect(recall >= 0.5)
    }
}
