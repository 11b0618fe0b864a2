import Foundation
import Store
import TestSupport
import Testing

/// A full disk (here a file size limit, `ulimit -f`) stops committing with a clear error, loses nothing
/// committed, and the next run with space commits everything.
@Suite struct DiskFullTests {
    @Test(.timeLimit(.minutes(2)))
    func aFullDiskStopsCommittingAndLosesNothing() async throws {
        let folder = try TestPaths.makeTemporaryFolder("diskfull")
        let body = String(repeating: "Three rockets struck the base housing coalition troops overnight, officials said. ", count: 6)
        let items = (0..<300).map {
            "<item><title>Rockets hit a base near Baghdad airport, report \($0)</title><guid>g\($0)</guid><description>\(body)</description></item>"
        }
        try Data("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\(items.joined())</channel></rss>".utf8)
            .write(to: folder.appendingPathComponent("feed.xml"))
        let config = folder.appendingPathComponent("feedwatch.yaml").path
        try Data(
            """
            \(TestPaths.configHead)
            feeds:
              - url: file:feed.xml
                allow_file: true
            """.utf8
        ).write(to: URL(fileURLWithPath: config))

        // 1.2 MB per file (/bin/sh counts 512-byte blocks): enough for the schema and the feed's registration
        // (0.7 MB of log with 16 KB pages), not for the batch (1.9 MB).
        let limited = try Feedwatch.runShell(
            "ulimit -f 2400; exec '\(TestPaths.executable.path)' run --once --config '\(config)'")
        #expect(limited.status != 0)
        #expect(limited.standardError.contains("disk is full"), "\(limited.standardError)")
        #expect(limited.standardError.contains("feedwatch.sqlite"))

        let store = try FeedStore(path: folder.appendingPathComponent("state/feedwatch.sqlite").path)
        #expect(try await store.integrityCheck() == ["ok"])
        let before = try await store.counts()
        #expect(before.items == before.analyses, "no half-written batch")

        let again = try Feedwatch.run(["run", "--once", "--config", config])
        #expect(again.status == 0, "\(again.standardError)")
        let after = try await store.counts()
        #expect(after.items == 300)
        #expect(after.analyses == 300)
        let alerts = try await store.alerts(after: 0, limit: 100_000)
        #expect(alerts.map(\.id) == Array(1...Int64(alerts.count)))
        let log = try String(contentsOf: folder.appendingPathComponent("state/alerts.jsonl"), encoding: .utf8)
        #expect(log.split(separator: "\n").count == alerts.count)
    }
}
