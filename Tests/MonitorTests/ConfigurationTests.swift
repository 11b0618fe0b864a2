import Analysis
import Foundation
@testable import Monitor
import Store
import TestSupport
import Testing

@Suite struct ConfigurationTests {
    let folder: URL

    init() throws {
        folder = try TestPaths.makeTemporaryFolder("config")
        let shipped = TestPaths.packageRoot.appendingPathComponent("Config")
        for name in ["topics.yaml", "entities.yaml"] {
            try FileManager.default.copyItem(
                at: shipped.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
    }

    func write(_ text: String, to name: String = "feedwatch.yaml") throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func loadErrors(_ path: String, environment: [String: String] = [:]) -> [ConfigError] {
        do {
            _ = try ConfigurationLoader.load(path: path, environment: environment)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func theShippedConfigsLoad() throws {
        for name in ["feedwatch.yaml", "demo.yaml"] {
            let path = TestPaths.packageRoot.appendingPathComponent("Config/\(name)").path
            let loaded = try ConfigurationLoader.load(path: path, environment: [:])
            #expect(!loaded.config.feeds.isEmpty)
            #expect(loaded.analyzer.topicIDs.contains("troop-withdrawal"))
            #expect(loaded.analyzer.topicIDs.contains("militia-attack"))
        }
    }

    @Test func pathsResolveAgainstTheConfigFolderAndSystemdDirectories() throws {
        let path = try write(
            """
            database: state/db.sqlite
            alert_log: /var/tmp/alerts.jsonl
            poll: {interval: 2m, concurrency: 3, timeout: 45}
            feeds:
              - url: https://example.org/rss
              - url: file:local/feed.xml
                allow_file: true
                interval: 1h
            """)
        let settings = try ConfigurationLoader.loadSettings(path: path, environment: [:])
        #expect(settings.databasePath == folder.appendingPathComponent("state/db.sqlite").path)
        #expect(settings.alertLogPath == "/var/tmp/alerts.jsonl")
        #expect(settings.topicsPath == folder.appendingPathComponent("topics.yaml").path)
        #expect(settings.poll == PollSettings(interval: 120, concurrency: 3, timeout: 45))
        #expect(settings.feeds[0].name == "example.org")
        #expect(settings.feeds[1].url == URL(fileURLWithPath: folder.appendingPathComponent("local/feed.xml").path).absoluteString)
        #expect(settings.feeds[1].interval == 3600)

        let systemd = try ConfigurationLoader.loadSettings(
            path: path, environment: ["STATE_DIRECTORY": "/var/lib/feedwatch", "LOGS_DIRECTORY": "/var/log/feedwatch"])
        #expect(systemd.databasePath == "/var/lib/feedwatch/db.sqlite")
        #expect(systemd.alertLogPath == "/var/tmp/alerts.jsonl", "an absolute path is the operator's choice")
    }

    @Test func anUnknownKeyNamesFileLineAndKey() throws {
        let path = try write(
            """
            database: db.sqlite
            poll:
              interval: 15m
              intervall: 5m
            feeds: []
            """)
        let errors = loadErrors(path)
        #expect(errors.count == 1)
        #expect(errors.first?.file == path)
        #expect(errors.first?.line == 4)
        #expect(errors.first?.message.contains("unknown key 'intervall'") == true)
    }

    @Test func brokenYAMLNamesTheLine() throws {
        let path = try write(
            """
            database: db.sqlite
            feeds:
              - url: https://example.org/rss
                name: [unclosed
            """)
        let error = try #require(loadErrors(path).first)
        #expect(error.file == path)
        #expect(error.line != nil)
        #expect(error.description.hasPrefix("\(path):"))
    }

    @Test func aWrongTypeNamesTheLine() throws {
        let path = try write(
            """
            allow_private_addresses: sometimes
            feeds: []
            """)
        let error = try #require(loadErrors(path).first)
        #expect(error.line == 1)
        #expect(error.message.contains("allow_private_addresses"))
    }

    @Test func aMissingTopicsFileIsNamed() throws {
        let path = try write(
            """
            topics: nowhere.yaml
            feeds: []
            """)
        let error = try #require(loadErrors(path).first)
        #expect(error.file == folder.appendingPathComponent("nowhere.yaml").path)
        #expect(error.message.contains("cannot read"))
    }

    /// The topics and entities files are read at once; the errors of both are reported, the topics file's first.
    @Test func errorsInBothRuleFilesAreReported() throws {
        let path = try write(
            """
            topics: nowhere.yaml
            entities: broken.yaml
            feeds: []
            """)
        _ = try write("entities:\n  - id: x\n    name: [unclosed\n", to: "broken.yaml")
        let errors = loadErrors(path)
        #expect(errors.map(\.file) == ["nowhere.yaml", "broken.yaml"].map { folder.appendingPathComponent($0).path })
        #expect(errors.first?.message.contains("cannot read") == true)
        #expect(errors.last?.message.hasPrefix("invalid YAML") == true)
        #expect(errors.last?.line != nil)

        let topics = folder.appendingPathComponent("topics.yaml").path
        let broken = folder.appendingPathComponent("broken.yaml").path
        #expect(throws: ConfigErrors.self) { try ConfigurationLoader.loadAnalyzer(topicsPath: topics, entitiesPath: broken) }
        let entities = folder.appendingPathComponent("entities.yaml").path
        let analyzer = try ConfigurationLoader.loadAnalyzer(topicsPath: topics, entitiesPath: entities)
        #expect(analyzer.topicIDs.contains("protest"))
    }

    @Test func aLocalFileNeedsAllowFile() throws {
        let path = try write(
            """
            feeds:
              - url: https://example.org/rss
              - url: file:///etc/passwd
            """)
        let error = try #require(loadErrors(path).first)
        #expect(error.line == 3)
        #expect(error.message.contains("allow_file"))
    }

    /// Feeds share settings through YAML anchors and merge keys, and plain `yes`, `true` and numbers read as
    /// booleans and numbers.
    @Test func mergeKeysAndPlainScalarsDecode() throws {
        let path = try write(
            """
            poll: {concurrency: 3}
            feeds:
              - &local
                url: file:local/a.xml
                allow_file: yes
                interval: 2h
              - <<: *local
                url: file:local/b.xml
              - url: https://example.org/rss
                allow_private_addresses: true
            """)
        let settings = try ConfigurationLoader.loadSettings(path: path, environment: [:])
        #expect(settings.poll.concurrency == 3)
        #expect(settings.feeds.map(\.allowFile) == [true, true, false])
        #expect(settings.feeds[1].url.hasSuffix("local/b.xml"))
        #expect(settings.feeds[1].interval == 7200)
        #expect(settings.feeds[2].allowPrivateAddresses == true)
    }

    @Test func aFeedListedTwiceIsAnError() throws {
        let path = try write(
            """
            feeds:
              - url: https://example.org/rss
              - url: https://example.org/rss
            """)
        let error = try #require(loadErrors(path).first)
        #expect(error.line == 3)
        #expect(error.message.contains("listed twice"))
    }

    @Test func badDurationsAreExplained() throws {
        let path = try write(
            """
            poll:
              interval: soon
            feeds: []
            """)
        let error = try #require(loadErrors(path).first)
        #expect(error.line == 2)
        #expect(error.message.contains("not a duration"))
    }

    @Test func alertingAndRetentionAreReadAndCheckedWithTheirLines() throws {
        let good = try write(
            """
            alerting:
              story_window: 48h
              bursts:
                ratio: 4
                topics:
                  protest: {min_sources: 5, enabled: false}
            retention: 30d
            feeds: []
            """)
        let loaded = try ConfigurationLoader.load(path: good, environment: [:])
        #expect(loaded.config.alerting.storyWindow == 48 * 3600)
        #expect(loaded.config.alerting.bursts.thresholds(for: "protest").minSources == 5)
        #expect(loaded.config.alerting.bursts.thresholds(for: "protest").enabled == false)
        #expect(loaded.config.alerting.bursts.thresholds(for: "protest").ratio == 4, "overrides start from the defaults")
        #expect(loaded.config.retention == TimeInterval(30 * 86400))

        let short = try write("retention: 1h\nfeeds: []\n", to: "short.yaml")
        let shortError = try #require(loadErrors(short).first)
        #expect(shortError.line == 1 && shortError.message.contains("at least 7 days"), "\(shortError)")

        let zero = try write("alerting:\n  bursts:\n    min_sources: 0\nfeeds: []\n", to: "zero.yaml")
        #expect(loadErrors(zero).first?.line == 3)

        let unknown = try write(
            "alerting:\n  bursts:\n    topics:\n      riots: {ratio: 5}\nfeeds: []\n", to: "unknown.yaml")
        let unknownError = try #require(loadErrors(unknown).first)
        #expect(unknownError.line == 4 && unknownError.message.contains("'riots' is not a topic"), "\(unknownError)")
    }
}

@Suite struct PollPolicyTests {
    let policy = PollPolicy()

    @Test func successWaitsTheIntervalWithJitter() {
        #expect(policy.delayAfterSuccess(interval: 900, serverHint: nil, random: 0) == 810)
        #expect(policy.delayAfterSuccess(interval: 900, serverHint: nil, random: 0.5) == 900)
        #expect(policy.delayAfterSuccess(interval: 900, serverHint: nil, random: 0.999) < 990)
    }

    @Test func noFeedIsPolledMoreOftenThanTheMinimumInterval() {
        #expect(policy.delayAfterSuccess(interval: 5, serverHint: nil, random: 0.5) == 60)
        #expect(policy.delayAfterFailure(interval: 5, failures: 1, retryAfter: nil, random: 0.5) == 60)
    }

    @Test func serverHintsOnlyEverPushTheNextPollLater() {
        // ttl / max-age / Expires of an hour beat a 15-minute interval, jitter only adding to them.
        #expect(policy.delayAfterSuccess(interval: 900, serverHint: 3600, random: 0) == 3600)
        #expect(policy.delayAfterSuccess(interval: 900, serverHint: 3600, random: 0.5) == 3780)
        // A hint shorter than the interval changes nothing, and so does max-age=0.
        #expect(policy.delayAfterSuccess(interval: 900, serverHint: 60, random: 0.5) == 900)
        #expect(policy.delayAfterSuccess(interval: 900, serverHint: 0, random: 0.5) == 900)
    }

    @Test func serverHintsAreCappedAtTheMaximumInterval() {
        let yearAway = 365.0 * 86_400
        #expect(policy.delayAfterSuccess(interval: 900, serverHint: yearAway, random: 0) == 86_400)
        // The user's own longer interval is not a server hint: it stays.
        #expect(policy.delayAfterSuccess(interval: 2 * 86_400, serverHint: nil, random: 0.5) == 2 * 86_400)
    }

    @Test func failuresBackOffExponentiallyUpToSixHoursAndNeverStop() {
        let delays = (1...40).map { policy.delayAfterFailure(interval: 900, failures: $0, retryAfter: nil, random: 0.5) }
        #expect(delays[0] == 60)
        #expect(delays[1] == 120)
        #expect(delays[2] == 240)
        #expect(zip(delays, delays.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(delays.allSatisfy { $0 <= 21_600 })
        #expect(delays[39] == 21_600)
        #expect(policy.delayAfterFailure(interval: 900, failures: 10_000, retryAfter: nil, random: 0.999) == 6 * 3600)
    }

    @Test func backoffIsJittered() {
        let low = policy.delayAfterFailure(interval: 900, failures: 4, retryAfter: nil, random: 0)
        let high = policy.delayAfterFailure(interval: 900, failures: 4, retryAfter: nil, random: 0.999)
        #expect(low == 432)
        #expect(high > 527 && high < 528)
    }

    @Test func retryAfterIsHonouredUpToTheMaximumInterval() {
        #expect(policy.delayAfterFailure(interval: 900, failures: 1, retryAfter: 3000, random: 0.5) == 3000)
        #expect(policy.delayAfterFailure(interval: 900, failures: 1, retryAfter: 10, random: 0.5) == 60)
        #expect(policy.delayAfterFailure(interval: 900, failures: 1, retryAfter: 30 * 86_400, random: 0.5) == 86_400)
    }

    @Test func goneFeedsAreRetriedDaily() {
        #expect(policy.delayWhenGone(random: 0.5) == 86_400)
        #expect(policy.delayWhenGone(random: 0) == 0.9 * 86_400)
    }

    @Test func boundsComeFromTheSettings() {
        let tight = PollPolicy(settings: SchedulingSettings(minimumInterval: 1, maximumInterval: 600, maximumBackoff: 300))
        #expect(tight.delayAfterSuccess(interval: 2, serverHint: 7200, random: 0) == 600)
        #expect(tight.delayAfterFailure(interval: 2, failures: 1, retryAfter: nil, random: 0.5) == 2)
        #expect(tight.delayAfterFailure(interval: 900, failures: 30, retryAfter: nil, random: 0.5) == 300)
    }
}
