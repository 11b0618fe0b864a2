import Foundation
@testable import Monitor
import TestSupport
import Testing
import Yams

/// The feed list is read from the composed YAML tree by `YAMLMapping`, not by Yams' `Decodable` decoder: both
/// readers, over the same trees, give the same feeds or the same error on the same line.
@Suite struct FeedListReaderTests {
    /// A feed as Yams' decoder reads it, with the checks `RawFeed` makes.
    struct DecodedFeed: Decodable {
        var line: String

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(RawFeed.CodingKeys.self, in: "a feed")
            let container = try decoder.container(keyedBy: RawFeed.CodingKeys.self)
            let url = try container.decode(String.self, forKey: .url)
            let allowFile = try container.decodeIfPresent(Bool.self, forKey: .allowFile)
            line = FeedListReaderTests.line(
                url, try container.decodeIfPresent(String.self, forKey: .name),
                try container.decodeIfPresent(DurationValue.self, forKey: .interval), allowFile,
                try container.decodeIfPresent(Bool.self, forKey: .allowPrivateAddresses))
            let scheme = URL(string: url)?.scheme?.lowercased()
            guard scheme == "http" || scheme == "https" || (scheme == "file" && allowFile == true) else {
                throw DecodingError.dataCorruptedError(forKey: .url, in: container, debugDescription: "scheme")
            }
        }
    }

    static func line(
        _ url: String, _ name: String?, _ interval: DurationValue?, _ allowFile: Bool?, _ allowPrivate: Bool?
    ) -> String {
        [
            url, name ?? "-", interval.map { "\($0.seconds)" } ?? "-", allowFile.map { "\($0)" } ?? "-",
            allowPrivate.map { "\($0)" } ?? "-",
        ].joined(separator: "|")
    }

    struct DecodedConfig: Decodable {
        var feeds: [DecodedFeed]?
    }

    /// Each feed as a line of text, or the error as `line: message` (message cut at its first space when the
    /// readers word a URL check differently).
    func read(_ text: String, decoding: Bool) throws -> String {
        let folder = try TestPaths.makeTemporaryFolder("feedlist-reader")
        let path = folder.appendingPathComponent("feedwatch.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        do {
            let root = try YAMLFile.compose(at: path, shownAs: "feedwatch.yaml")
            let lines =
                decoding
                ? try YAMLFile.read(root, file: "feedwatch.yaml") {
                    try YAMLDecoder().decode(DecodedConfig.self, from: $0).feeds?.map(\.line) ?? []
                }
                : try YAMLFile.read(root, file: "feedwatch.yaml") {
                    try RawFeed.list(in: $0).map {
                        Self.line($0.url, $0.name, $0.interval, $0.allowFile, $0.allowPrivateAddresses)
                    }
                }
            return lines.joined(separator: "\n")
        } catch {
            return "\(error.line ?? 0): \(error.message.prefix { $0 != " " })"
        }
    }

    @Test(arguments: [
        "feeds:\n  - url: https://a.org/\n    name: A\n    interval: 90\n    allow_private_addresses: true\n",
        "feeds:\n  - {url: 'file:x.xml', allow_file: yes}\n  - url: https://b.org/\n",
        "d: &d {name: D, interval: 5m}\nfeeds:\n  - url: https://a.org/\n    <<: *d\n    name: own\n",
        "feeds:\n  - url: https://a.org/\n    <<: [{name: A}, {name: B, interval: 1m}]\n",
        "m: &m {name: M, <<: {name: N, interval: 5m}}\nfeeds:\n  - url: https://a.org/\n    <<: *m\n",
        "feeds:\n  - url: https://a.org/\n    <<: [{name: A}]\n    <<: {interval: 2m}\n",
        "feeds:\n  - url: https://a.org/\n    interval: ~\n    name: null\n",
        "feeds:\n  - url: https://a.org/\n    interval: !!null ''\n",
        "feeds:\n  - url: https://a.org/\n    name: 'null'\n    interval: '90'\n",
        "feeds:\n  - url: https://a.org/\n    name: 12\n    allow_file: Y\n",
        "feeds:\n  - url: https://a.org/\n    interval: 1:30\n",
        "feeds:\n  - url: https://a.org/\n    interval: .inf\n",
        "feeds:\n  - url: https://a.org/\n    interval: -5\n",
        "feeds:\n  - url: https://a.org/\n    interval: soon\n",
        "feeds:\n  - url: https://a.org/\n    intervall: 5m\n",
        "feeds:\n  - url: https://a.org/\n    allow_file: 1\n",
        "feeds:\n  - url: https://a.org/\n    name: [x]\n",
        "feeds:\n  - url: ftp://a.org/\n",
        "feeds:\n  - url: 'file:x.xml'\n",
        "feeds:\n  - name: no url\n",
        "feeds:\n  - {}\n",
        "feeds:\n  - just a string\n",
        "feeds: {url: https://a.org/}\n",
        "feeds: []\n",
        "feeds:\n",
        "other: 1\n",
        "feeds: &f [{url: https://a.org/}]\nother: *f\n",
        "feeds:\n  - &x url: https://a.org/\n",
        "feeds:\n  - url: https://a.org/\n    ? [x]\n    : y\n",
    ])
    func readsLikeYamsDecoder(text: String) throws {
        #expect(try read(text, decoding: false) == read(text, decoding: true))
    }
}
