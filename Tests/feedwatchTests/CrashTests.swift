import Foundation
import Store
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// kill -9 at random moments must lose and repeat nothing: the log equals the store, ids 1...N.
@Suite struct CrashTests {
    static let feedCount = 24
    static let kills = 20

    /// Each request to /feed/<n>.xml reveals two more items of that feed, so every restart finds new work.
    static func server() throws -> TestServer {
        let served = Mutex<[String: Int]>([:])
        return try TestServer { request in
            let shown = served.withLock { counts -> Int in
                counts[request.path, default: 0] += 2
                return min(counts[request.path]!, 40)
            }
            let feedNumber = Int(request.path.split(separator: "/").last?.split(separator: ".").first ?? "") ?? 0
            let items = (0..<shown).map { index -> String in
                let alerting = index % 3 == 0
                // Every alerting item its own event (its own rocket count), so each is a story of its own.
                let rockets = 2 + feedNumber * 40 + index
                let title = alerting
                    ? "\(rockets) rockets hit a base near Baghdad airport, militia claims attack"
                    : "Local council approves new park plan \(index)"
                let body = alerting
                    ? "\(rockets) rockets struck the base housing coalition troops on Monday night, officials said. An Iran-backed militia claimed the attack. "
                        + FillerText.sentence(feedNumber * 1_000 + index)
                    : "The council said the park would open next spring with playgrounds and a small lake."
                return "<item><title>\(title)</title><guid>\(request.path)#\(index)</guid><description>\(body)</description></item>"
            }
            let feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>\(request.path)</title>\(items.joined())</channel></rss>"
            return .respond(status: 200, headers: [("Content-Type", "application/rss+xml")], body: Array(feed.utf8))
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func killingTheDaemonAtRandomLosesAndRepeatsNothing() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let folder = try TestPaths.makeTemporaryFolder("crash")
        let feeds = (0..<Self.feedCount).map { "  - url: \(server.url("/feed/\($0).xml"))" }.joined(separator: "\n")
        let config = folder.appendingPathComponent("feedwatch.yaml")
        try Data(
            """
            \(TestPaths.configHead)
            poll: {interval: 1s, concurrency: 8, timeout: 5s, host_gap: 0, connections_per_host: 8, min_interval: 1s}
            allow_private_addresses: true
            feeds:
            \(feeds)
            """.utf8
        ).write(to: config)

        var generator = SystemRandomNumberGenerator()
        let logPath = folder.appendingPathComponent("state/alerts.jsonl").path
        func logSize() -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: logPath))?[.size] as? Int) ?? 0
        }
        var roundsWithProgress = 0
        for _ in 0..<Self.kills {
            let before = logSize()
            let process = Process()
            process.executableURL = TestPaths.executable
            process.arguments = ["run", "--config", config.path, "--log-level", "error"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Kill while it is working: once the log has grown this round, at a random moment after.
            let deadline = Date().addingTimeInterval(10)
            while logSize() == before && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            if logSize() > before { roundsWithProgress += 1 }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...400, using: &generator)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
        }
        #expect(roundsWithProgress >= Self.kills / 2, "the kills landed while the daemon was committing")
        // A last clean cycle: the log catches up with whatever the kills left committed but unwritten.
        let settle = try Feedwatch.run(["run", "--config", config.path, "--once"])
        #expect(settle.status == 0, "\(settle.standardError)")

        let store = try FeedStore(path: folder.appendingPathComponent("state/feedwatch.sqlite").path)
        #expect(try await store.integrityCheck() == ["ok"])
        let alerts = try await store.alerts(after: 0, limit: 1_000_000)
        #expect(alerts.count > 0)
        #expect(alerts.map(\.id) == Array(1...Int64(alerts.count)), "store ids have no gaps")

        let log = try String(contentsOf: folder.appendingPathComponent("state/alerts.jsonl"), encoding: .utf8)
        let ids = try log.split(separator: "\n").map { line -> Int64 in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return Int64(object?["id"] as? Int ?? -1)
        }
        #expect(ids == alerts.map(\.id), "the log holds exactly the store's alerts, each once, in order")

        let counts = try await store.counts()
        #expect(counts.analyses == counts.items, "every stored item was analysed exactly once")
        print("crash test: \(Self.kills) kills (\(roundsWithProgress) mid-work), \(counts.items) items, \(alerts.count) alerts, log == store")
    }
}
