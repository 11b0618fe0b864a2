import Foundation
import Testing
import FeedParse

/// Runs the parser over the public fixture corpora in `../shared/feeds` (feed-rs and gofeed test suites).
@Suite(.enabled(if: Fixtures.sharedFeedsAvailable, "../shared/feeds is absent: conformance corpus skipped"))
struct ConformanceTests {
    /// A fixture document with the items its project expects, when it has an expected-output file.
    struct Case {
        var url: URL
        /// Expected item titles (nil for an item without one); nil when there is no expected output.
        var expectedTitles: [String?]?
    }

    static func cases() throws -> [Case] {
        let files = FileManager.default.enumerator(at: Fixtures.sharedFeeds, includingPropertiesForKeys: nil)
        var cases: [Case] = []
        while let url = files?.nextObject() as? URL {
            guard ["xml", "rss", "atom"].contains(url.pathExtension) else { continue }
            cases.append(Case(url: url, expectedTitles: try expectedTitles(for: url)))
        }
        return cases.sorted { $0.url.path < $1.url.path }
    }

    /// feed-rs: `name.serde.json` → `entries[].title.content`; gofeed: `name.json` → `items[].title`.
    static func expectedTitles(for url: URL) throws -> [String?]? {
        let stem = url.deletingPathExtension()
        if let data = try? Data(contentsOf: stem.appendingPathExtension("serde.json")),
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let entries = json["entries"] as? [[String: Any]]
        {
            return entries.map { ($0["title"] as? [String: Any])?["content"] as? String }
        }
        if let data = try? Data(contentsOf: stem.appendingPathExtension("json")),
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let items = json["items"] as? [[String: Any]]
        {
            return items.map { $0["title"] as? String }
        }
        return nil
    }

    @Test func everyDocumentParsesOrIsRejectedAndExpectedItemsMatch() throws {
        let cases = try Self.cases()
        #expect(cases.count > 100)
        var parsed = 0
        var compared = 0
        for testCase in cases {
            let name = testCase.url.lastPathComponent
            let feed: ParsedFeed
            do {
                feed = try FeedParser.parse([UInt8](try Data(contentsOf: testCase.url)))
                parsed += 1
            } catch {
                // Rejection is allowed only for documents that are not feeds; an expected output says otherwise.
                #expect(testCase.expectedTitles == nil, "\(name): \(error)")
                continue
            }
            guard let expectedTitles = testCase.expectedTitles else { continue }
            compared += 1
            #expect(feed.items.count == expectedTitles.count, "\(name)")
            guard feed.items.count == expectedTitles.count else { continue }
            for (expected, item) in zip(expectedTitles, feed.items) {
                // Compare plain titles only: the corpora keep markup that feedwatch turns into text,
                // and Atom 0.3 base64 titles are not decoded.
                guard let expected, !expected.contains("<"), !expected.contains("&"), !name.contains("base64") else {
                    continue
                }
                #expect(item.title == expected.collapsedToOneLine(), "\(name)")
            }
        }
        #expect(parsed > cases.count * 9 / 10)
        #expect(compared > 100)
    }
}

extension String {
    fileprivate func collapsedToOneLine() -> String {
        split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
