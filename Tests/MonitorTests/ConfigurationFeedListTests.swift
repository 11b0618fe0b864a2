import Foundation
@testable import Monitor
import TestSupport
import Testing

/// The `feeds:` list: what each feed reads as, and every error a feed can have, with its exact line and message.
@Suite struct ConfigurationFeedListTests {
    let folder: URL

    init() throws {
        folder = try TestPaths.makeTemporaryFolder("feedlist")
    }

    func write(_ text: String) throws -> String {
        let url = folder.appendingPathComponent("feedwatch.yaml")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The one error loading `text` gives, as `line: message`.
    func error(_ text: String) throws -> String {
        let path = try write(text)
        do {
            _ = try ConfigurationLoader.loadSettings(path: path, environment: [:])
            return "no error"
        } catch {
            #expect(error.file == path)
            return "\(error.line.map(String.init) ?? "-"): \(error.message)"
        }
    }

    @Test func everyFieldReadsAndMergeKeysShareSettings() throws {
        let path = try write(
            """
            feeds:
              - &slow
                url: https://example.org/a
                interval: 2h
                allow_private_addresses: no
              - &b
                <<: *slow
                url: https://example.org/b
                name: B
              - &local {url: "file:///srv/c.xml", allow_file: true, interval: 90}
              - <<: [*slow, *local]
                url: https://example.org/d
                interval: ~
              - "url": 'https://example.org/e'
                name: ~
                allow_private_addresses: On
              - url: http://example.org/f
                interval: 1.5m
              - url: https://example.org/g
                <<: *local
              - <<: *b
                url: https://example.org/h
            """)
        let settings = try ConfigurationLoader.loadSettings(path: path, environment: [:])
        func feed(
            _ url: String, _ name: String, _ interval: Double? = nil, file: Bool = false, privateAddresses: Bool? = nil
        ) -> FeedConfig {
            FeedConfig(url: url, name: name, interval: interval, allowFile: file, allowPrivateAddresses: privateAddresses)
        }
        #expect(
            settings.feeds == [
                feed("https://example.org/a", "example.org", 7200, privateAddresses: false),
                feed("https://example.org/b", "B", 7200, privateAddresses: false),
                feed("file:///srv/c.xml", "c.xml", 90, file: true),
                feed("https://example.org/d", "example.org", nil, file: true, privateAddresses: false),
                feed("https://example.org/e", "example.org", privateAddresses: true),
                feed("http://example.org/f", "example.org", 90),
                feed("https://example.org/g", "example.org", 90, file: true),
                feed("https://example.org/h", "B", 7200, privateAddresses: false),
            ])
    }

    @Test func anEmptyOrMissingListHasNoFeeds() throws {
        for text in ["feeds:\n", "feeds: ~\n", "feeds: []\n", "database: x.sqlite\n"] {
            let settings = try ConfigurationLoader.loadSettings(path: try write(text), environment: [:])
            #expect(settings.feeds.isEmpty, "\(text)")
        }
    }

    @Test func anUnknownKeyInAFeedNamesItsLineAndTheKnownKeys() throws {
        #expect(
            try error("feeds:\n  - url: https://example.org/a\n    nmae: A\n")
                == "3: unknown key 'nmae' in a feed (known keys: allow_file, allow_private_addresses, interval, name, url)")
    }

    @Test func aMissingURLNamesTheFeed() throws {
        #expect(
            try error("feeds:\n  - url: https://example.org/a\n  - name: B\n    interval: 5m\n")
                == "3: missing key 'url' in feeds.[1]")
    }

    @Test func wrongTypesNameTheKeyAndWhatWasExpected() throws {
        #expect(try error("feeds:\n  - url: [https://example.org/a]\n") == "2: feeds.[0].url: expected a Scalar")
        #expect(try error("feeds:\n  - url: https://example.org/a\n    name: {x: 1}\n") == "3: feeds.[0].name: expected a Scalar")
        #expect(
            try error("feeds:\n  - url: https://example.org/a\n    allow_file: maybe\n")
                == "3: feeds.[0].allow_file: expected true or false")
        #expect(
            try error("feeds:\n  - url: https://example.org/a\n    allow_private_addresses: \"yes\"\n")
                == "3: feeds.[0].allow_private_addresses: expected true or false")
        #expect(
            try error("feeds:\n  - url: https://example.org/a\n    interval: [1]\n")
                == "3: feeds.[0].interval: expected a Scalar")
        #expect(try error("feeds:\n  - https://example.org/a\n") == "2: feeds.[0]: expected a Mapping")
        #expect(try error("feeds:\n  -\n") == "2: feeds.[0]: expected a Mapping")
        #expect(try error("feeds:\n  url: https://example.org/a\n") == "1: feeds: expected a Sequence")
        #expect(try error("feeds: https://example.org/a\n") == "1: feeds: expected a Sequence")
    }

    @Test func badIntervalsAreExplained() throws {
        #expect(
            try error("feeds:\n  - url: https://example.org/a\n    interval: soon\n")
                == "3: feeds.[0].interval: 'soon' is not a duration (write e.g. 30s, 15m, 2h or a number of seconds)")
        #expect(
            try error("feeds:\n  - url: https://example.org/a\n    interval: 0\n")
                == "3: feeds.[0].interval: a duration must be positive")
        #expect(
            try error("feeds:\n  - url: https://example.org/a\n    interval: -1m\n")
                == "3: feeds.[0].interval: '-1m' is not a duration (write e.g. 30s, 15m, 2h or a number of seconds)")
    }

    @Test func badURLsAreExplained() throws {
        #expect(try error("feeds:\n  - url: example.org/rss\n") == "2: feeds.[0].url: not a URL: 'example.org/rss'")
        #expect(
            try error("feeds:\n  - url: ftp://example.org/rss\n") == "2: feeds.[0].url: scheme 'ftp' is not allowed")
        #expect(
            try error("feeds:\n  - name: x\n    url: file:///srv/a.xml\n")
                == "3: feeds.[0].url: scheme 'file' is not allowed (set allow_file: true on this feed to read a local file)")
        #expect(
            try error("feeds:\n  - url: https://example.org/a\n  - url: https://example.org/b\n  - url: https://example.org/a\n")
                == "4: feeds.[2].url: listed twice: https://example.org/a")
    }

    @Test func aDuplicateKeyInAFeedIsInvalidYAML() throws {
        #expect(
            try error("feeds:\n  - url: https://example.org/a\n    url: https://example.org/b\n")
                == "2: invalid YAML: duplicate keys: url")
    }

    /// A key merged from an anchor has no line of its own in the feed: the error points at the feed.
    @Test func anErrorInAMergedKeyPointsAtTheFeed() throws {
        #expect(
            try error(
                """
                feeds:
                  - &base
                    url: https://example.org/a
                    interval: 5m
                  - name: B
                    <<: *base
                """) == "5: feeds.[1].url: listed twice: https://example.org/a")
    }

    /// Errors elsewhere in the config still come with their lines when the feeds are fine.
    @Test func errorsOutsideTheFeedListKeepTheirLines() throws {
        #expect(
            try error("feeds:\n  - url: https://example.org/a\npoll:\n  concurrency: many\n")
                == "4: poll.concurrency: expected a number")
        #expect(
            try error("feeds:\n  - url: https://example.org/a\nfeed: []\n")
                == "3: unknown key 'feed' in the config (known keys: alert_log, alerting, allow_private_addresses, database, entities, feeds, metrics_file, poll, retention, topics)")
    }
}
