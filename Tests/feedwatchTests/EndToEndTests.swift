import Analysis
import FeedParse
import Foundation
import Store
import TestSupport
import Testing

/// The whole daemon, as a user runs it: the real binary polls a real HTTP server on 127.0.0.1.
@Suite struct EndToEndTests {
    let rss = [(name: "Content-Type", value: "application/rss+xml; charset=utf-8")]

    static func feed(seed: String) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        let lines = seed.split(separator: "\n", omittingEmptySubsequences: false)
        let title = String(lines.first ?? "")
        let body = lines.dropFirst().joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0">
              <channel>
                <title>Loopback test feed</title>
                <link>http://127.0.0.1/</link>
                <description>Three items: one seed article, two unrelated</description>
                <item>
                  <title>\(escape(title))</title>
                  <link>http://127.0.0.1/news/seed</link>
                  <guid>seed-article</guid>
                  <pubDate>Thu, 20 Aug 2020 18:00:00 +0300</pubDate>
                  <description>\(escape(body))</description>
                </item>
                <item>
                  <title>Home side wins the derby with a late header</title>
                  <link>http://127.0.0.1/news/derby</link>
                  <guid>sport-item</guid>
                  <pubDate>Thu, 20 Aug 2020 20:00:00 +0300</pubDate>
                  <description>The striker scored in the 89th minute after a long spell of attacking play. Fans celebrated in the stands until late.</description>
                </item>
                <item>
                  <title>Heatwave to ease by the weekend</title>
                  <link>http://127.0.0.1/news/weather</link>
                  <guid>weather-item</guid>
                  <pubDate>Thu, 20 Aug 2020 07:00:00 +0300</pubDate>
                  <description>Forecasters expect temperatures to fall by five degrees on Saturday, with light winds from the north.</description>
                </item>
              </channel>
            </rss>
            """
    }

    static func writeConfig(in folder: URL, feedURL: String) throws -> String {
        let config = """
            \(TestPaths.configHead)
            poll: {interval: 15m, concurrency: 4, timeout: 10s}
            allow_private_addresses: true
            feeds:
              - url: \(feedURL)
                name: loopback
            """
        let path = folder.appendingPathComponent("feedwatch.yaml").path
        try Data(config.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(.timeLimit(.minutes(2)))
    func theSeedArticleRaisesWithdrawalAndMilitiaAlertsExactlyOnce() async throws {
        guard let seed = TestPaths.seedArticle() else { return }
        let body = Self.feed(seed: seed)
        let server = try TestServer { request in
            request.path == "/feed.xml" ? .respond(status: 200, headers: rss, body: Array(body.utf8)) : .respond(status: 404)
        }
        defer { server.stop() }
        let folder = try TestPaths.makeTemporaryFolder("e2e")
        let config = try Self.writeConfig(in: folder, feedURL: server.url("/feed.xml"))
        let logPath = folder.appendingPathComponent("state/alerts.jsonl").path

        let first = try Feedwatch.run(["run", "--config", config, "--once"])
        #expect(first.status == 0, "stderr: \(first.standardError)")

        let store = try FeedStore(path: folder.appendingPathComponent("state/feedwatch.sqlite").path)
        let alerts = try await store.alerts(after: 0)
        let topics = Set(alerts.map(\.topic))
        #expect(topics.contains("troop-withdrawal"))
        #expect(topics.contains("militia-attack"))
        #expect(alerts.allSatisfy { $0.item.guid == "seed-article" }, "the sport and weather items raise nothing")
        #expect(alerts.map(\.id) == Array(1...Int64(alerts.count)))

        // Each alert quotes a sentence of the article, at the offsets it gives into the text feedwatch parsed.
        let parsed = try FeedParser.parse(Array(body.utf8))
        let seedItem = try #require(parsed.items.first { $0.key == "seed-article" })
        for alert in alerts where ["troop-withdrawal", "militia-attack"].contains(alert.topic) {
            let evidence = try #require(alert.evidence.first)
            #expect(seed.contains(evidence.text), "\(alert.topic) evidence is a sentence of the article")
            #expect(evidence.text.count > 20)
            let field = evidence.field == "title" ? (seedItem.title ?? "") : seedItem.text
            let scalars = Array(field.unicodeScalars)
            #expect(evidence.start >= 0 && evidence.end <= scalars.count)
            if evidence.start >= 0 && evidence.end <= scalars.count {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[evidence.start..<evidence.end])
                #expect(String(view) == evidence.text)
            }
        }

        // The log holds exactly the store's alerts, once each.
        let logLines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        let logIDs = try logLines.map { line -> Int64 in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return Int64(object?["id"] as? Int ?? -1)
        }
        #expect(logIDs == alerts.map(\.id))

        // A second cycle and a restart add nothing.
        let second = try Feedwatch.run(["run", "--config", config, "--once"])
        #expect(second.status == 0, "stderr: \(second.standardError)")
        let third = try Feedwatch.run(["run", "--config", config, "--once"])
        #expect(third.status == 0)
        #expect(try await store.counts().alerts == alerts.count)
        #expect(try await store.counts().items == 3)
        #expect(try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").count == alerts.count)

        // `feedwatch alerts` lists them.
        let listed = try Feedwatch.run(["alerts", "--config", config, "--json"])
        #expect(listed.status == 0)
        #expect(listed.standardOutput.split(separator: "\n").count == alerts.count)
        let feeds = try Feedwatch.run(["feeds", "--config", config])
        #expect(feeds.standardOutput.contains("loopback"))
    }

    @Test(.timeLimit(.minutes(1)))
    func theLogCatchesUpWithCommittedAlertsAfterACrash() async throws {
        guard let seed = TestPaths.seedArticle() else { return }
        let body = Self.feed(seed: seed)
        let server = try TestServer { _ in .respond(status: 200, headers: rss, body: Array(body.utf8)) }
        defer { server.stop() }
        let folder = try TestPaths.makeTemporaryFolder("catchup")
        let config = try Self.writeConfig(in: folder, feedURL: server.url("/feed.xml"))
        let logPath = folder.appendingPathComponent("state/alerts.jsonl").path
        #expect(try Feedwatch.run(["run", "--config", config, "--once"]).status == 0)
        let full = try String(contentsOfFile: logPath, encoding: .utf8)
        let lines = full.split(separator: "\n")
        #expect(lines.count >= 2)

        // As if the daemon died after the commit but before the append: the log lacks its last line.
        try Data((lines.dropLast().joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: logPath))
        #expect(try Feedwatch.run(["run", "--config", config, "--once"]).status == 0)
        #expect(try String(contentsOfFile: logPath, encoding: .utf8) == full)
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnreachableFeedIsReportedAndTheCycleStillSucceeds() async throws {
        let folder = try TestPaths.makeTemporaryFolder("unreachable")
        let url = "http://127.0.0.1:\(try TestServer.unusedPort())/gone.xml"
        let config = try Self.writeConfig(in: folder, feedURL: url)
        let result = try Feedwatch.run(["run", "--config", config, "--once"])
        #expect(result.status == 0)
        #expect(result.standardError.contains(url))
        let feeds = try Feedwatch.run(["feeds", "--config", config])
        #expect(feeds.standardOutput.contains("ERROR"))
    }
}
