import AlertLog
import FeedFetch
import Foundation
import Logging
@testable import Monitor
import Store
import Synchronization
import TestSupport

/// A real monitor for tests: a config file written to a temporary folder, a SQLite store and an alert log
/// in it, the shipped topics and entities, a real fetcher, and a logger whose lines the test can read.
struct MonitorHarness {
    /// One feed of the config; `extra` holds more YAML keys for it, e.g. `["interval: 2h"]`.
    struct Feed {
        var url: String
        var name: String
        var extra: [String] = ["allow_private_addresses: true"]
    }

    let folder: URL
    let configPath: String
    let store: FeedStore
    let log: AlertLogWriter
    let fetcher: FeedFetcher
    let logs = LogCapture()
    let scheduling: SchedulingSettings

    /// Settings for loopback tests: no host gap, quick low-speed abort, and a one-second floor so
    /// short intervals can be tested; the other bounds keep their defaults.
    static let testScheduling = SchedulingSettings(
        minimumInterval: 1, hostGap: 0, connectTimeout: 5, lowSpeedBytesPerSecond: 100, lowSpeedSeconds: 1)

    /// Writes the config and opens the store and log; `poll` is the YAML of the `poll` mapping.
    init(
        _ label: String, feeds: [Feed], poll: String = "{interval: 15m, concurrency: 16, timeout: 5s}",
        scheduling: SchedulingSettings = testScheduling
    ) throws {
        folder = try TestPaths.makeTemporaryFolder(label)
        configPath = folder.appendingPathComponent("feedwatch.yaml").path
        self.scheduling = scheduling
        try Self.writeConfig(at: configPath, feeds: feeds, poll: poll)
        store = try FeedStore(path: folder.appendingPathComponent("state/feedwatch.sqlite").path)
        log = try AlertLogWriter(path: folder.appendingPathComponent("state/alerts.jsonl").path)
        fetcher = FeedFetcher(maxConnectionsPerHost: scheduling.connectionsPerHost)
    }

    /// A monitor over the current config file (rewrite it with ``rewriteConfig(feeds:)`` to change feeds).
    func monitor() throws -> FeedMonitor {
        let loaded = try ConfigurationLoader.load(path: configPath, environment: [:])
        return FeedMonitor(
            configuration: loaded, store: store, log: log, fetcher: fetcher, logger: logs.logger, scheduling: scheduling)
    }

    /// Replaces the config's feed list.
    func rewriteConfig(feeds: [Feed], poll: String = "{interval: 15m, concurrency: 16, timeout: 5s}") throws {
        try Self.writeConfig(at: configPath, feeds: feeds, poll: poll)
    }

    /// Polls every configured feed once with a fresh monitor, as one daemon cycle does.
    func cycle() async throws -> [FeedReport] {
        try await monitor().pollAll()
    }

    /// The stored state of the feed configured with `url`.
    func state(_ url: String) async throws -> FeedFetchState? {
        try await store.feedStates().first { $0.url == url }
    }

    private static func writeConfig(at path: String, feeds: [Feed], poll: String) throws {
        let shipped = TestPaths.packageRoot.appendingPathComponent("Config")
        var lines = [
            "database: state/feedwatch.sqlite",
            "alert_log: state/alerts.jsonl",
            "topics: \(shipped.appendingPathComponent("topics.yaml").path)",
            "entities: \(shipped.appendingPathComponent("entities.yaml").path)",
            "poll: \(poll)",
            "feeds:",
        ]
        for feed in feeds {
            lines.append("  - url: \"\(feed.url)\"")
            lines.append("    name: \(feed.name)")
            lines += feed.extra.map { "    \($0)" }
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    }

    /// An RSS 2.0 document with one neutral item per key (weather and sport, so nothing alerts).
    static func rss(items keys: [String], ttl: Int? = nil) -> [UInt8] {
        let items = keys.map { key in
            """
            <item><title>Weather update \(key)</title><guid>\(key)</guid>
            <description>Light winds and mild temperatures are expected across the region.</description></item>
            """
        }
        let ttlLine = ttl.map { "<ttl>\($0)</ttl>" } ?? ""
        return Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Test feed</title><link>http://127.0.0.1/</link>\(ttlLine)
            \(items.joined(separator: "\n"))
            </channel></rss>
            """.utf8)
    }

    /// `Content-Type` for RSS.
    static let rssType = [(name: "Content-Type", value: "application/rss+xml; charset=utf-8")]
}

/// Collects log lines in memory so tests can assert what was logged, and at which level.
final class LogCapture: Sendable {
    /// One captured line.
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
    }

    private let lines = Mutex<[Line]>([])

    /// Every line so far.
    var all: [Line] { lines.withLock { $0 } }

    /// A logger writing into this capture, at trace level.
    var logger: Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
    }

    fileprivate func append(_ line: Line) {
        lines.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append(Line(level: event.level, message: event.message.description))
        }
    }
}

/// The process's peak resident memory so far, in bytes (`VmHWM`), or nil where /proc is absent.
func peakResidentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        return kilobytes.map { $0 * 1024 }
    }
    return nil
}
