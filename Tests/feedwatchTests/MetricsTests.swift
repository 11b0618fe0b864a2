import Foundation
import TestSupport
import Testing

/// Checks the Prometheus text exposition format line by line.
enum PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// The samples, or the first malformed line as an error.
    static func parse(_ text: String) throws -> [Sample] {
        struct Malformed: Error, CustomStringConvertible {
            var line: String
            var reason: String
            var description: String { "\(reason): \(line)" }
        }
        let name = #"[a-zA-Z_:][a-zA-Z0-9_:]*"#
        var types: [String: String] = [:]
        var samples: [Sample] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("# HELP ") { continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]),
                    parts[2].wholeMatch(of: try Regex(name)) != nil
                else { throw Malformed(line: line, reason: "bad TYPE line") }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let match = line.wholeMatch(of: try Regex(#"(\#(name))(\{[^}]*\})? (\S+)( \d+)?"#)),
                let sampleName = match.output[1].substring.map(String.init),
                let valueText = match.output[3].substring.map(String.init)
            else { throw Malformed(line: line, reason: "not a sample") }
            guard let value = Double(valueText) ?? ["+Inf": .infinity, "-Inf": -.infinity][valueText] ?? (valueText == "NaN" ? .nan : nil)
            else { throw Malformed(line: line, reason: "bad value") }
            var labels: [String: String] = [:]
            if let block = match.output[2].substring {
                for pair in block.dropFirst().dropLast().split(separator: ",") where !pair.isEmpty {
                    guard let pairMatch = pair.wholeMatch(of: try Regex(#"([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""#)),
                        let key = pairMatch.output[1].substring, let labelValue = pairMatch.output[2].substring
                    else { throw Malformed(line: line, reason: "bad label") }
                    labels[String(key)] = String(labelValue)
                }
            }
            let family = ["_bucket", "_sum", "_count"].reduce(sampleName) { current, suffix in
                current.hasSuffix(suffix) && types[current] == nil ? String(current.dropLast(suffix.count)) : current
            }
            guard types[family] != nil else { throw Malformed(line: line, reason: "sample without a TYPE line") }
            samples.append(Sample(name: sampleName, labels: labels, value: value))
        }
        return samples
    }
}

@Suite struct MetricsTests {
    @Test(.timeLimit(.minutes(1)))
    func aCycleWritesParseablePrometheusText() throws {
        let folder = try TestPaths.makeTemporaryFolder("metrics")
        let feed = """
            <?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <item><title>Rockets hit a base near Baghdad airport; an Iran-backed militia claimed the attack</title><guid>a</guid></item>
            <item><title>City council approves a new park</title><guid>b</guid></item>
            </channel></rss>
            """
        let server = try TestServer { request in
            request.path == "/ok.xml"
                ? .respond(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Array(feed.utf8))
                : .respond(status: 503)
        }
        defer { server.stop() }
        let shipped = TestPaths.packageRoot.appendingPathComponent("Config")
        let config = folder.appendingPathComponent("feedwatch.yaml").path
        try Data(
            """
            database: feedwatch.sqlite
            alert_log: alerts.jsonl
            metrics_file: metrics/feedwatch.prom
            topics: \(shipped.appendingPathComponent("topics.yaml").path)
            entities: \(shipped.appendingPathComponent("entities.yaml").path)
            allow_private_addresses: true
            feeds:
              - url: \(server.url("/ok.xml"))
              - url: \(server.url("/down.xml"))
            """.utf8
        ).write(to: URL(fileURLWithPath: config))
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("metrics"), withIntermediateDirectories: true)

        let result = try Feedwatch.run(["run", "--once", "--config", config])
        #expect(result.status == 0, "\(result.standardError)")
        let text = try String(contentsOf: folder.appendingPathComponent("metrics/feedwatch.prom"), encoding: .utf8)
        let samples = try PrometheusText.parse(text)
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
        }
        #expect(value("feedwatch_items_parsed_total") == 2)
        #expect(value("feedwatch_items_analysed_total") == 2)
        #expect(value("feedwatch_feeds", ["state": "ok"]) == 1)
        #expect(value("feedwatch_feeds", ["state": "failing"]) == 1)
        #expect(value("feedwatch_fetch_errors_total", ["kind": "http_503"]) == 1)
        #expect((value("feedwatch_alerts_total", ["topic": "militia-attack"]) ?? 0) >= 1)
        #expect(value("feedwatch_fetch_duration_seconds_count") == 2)
        #expect((value("feedwatch_last_successful_cycle_timestamp_seconds") ?? 0) > 1_700_000_000)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("metrics/feedwatch.prom.tmp").path))
    }

    @Test func theCheckerRejectsMalformedText() {
        #expect(throws: (any Error).self) { try PrometheusText.parse("no_type_line 1\n") }
        #expect(throws: (any Error).self) { try PrometheusText.parse("# TYPE x counter\nx{a=b} 1\n") }
        #expect(throws: (any Error).self) { try PrometheusText.parse("# TYPE x counter\nx one\n") }
    }
}
