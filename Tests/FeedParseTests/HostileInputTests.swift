import Foundation
import Testing
@testable import FeedParse

@Suite struct MalformedInputTests {
    @Test func recoveryKeepsTheItemsBeforeAnUnclosedTag() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("malformed-rss.xml"))
        #expect(feed.format == .rss)
        #expect(feed.title == "Broken Bulletin")
        #expect(feed.items.count >= 2)
        #expect(feed.items.prefix(2).map(\.key) == ["broken-1", "broken-2"])
        #expect(feed.items.prefix(2).map(\.title) == ["First good item", "Second good item"])
        #expect(feed.problems.contains { $0.message.contains("not well-formed") })
        #expect(feed.problems.contains { $0.message.contains("mismatch") && $0.line != nil })
    }

    @Test func recoveryKeepsItemsAfterTheError() throws {
        let xml = """
            <rss version="2.0"><channel>
            <item><title>Fish & chips</title><guid>a</guid></item>
            <item><title>After the bare ampersand</title><guid>b</guid></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.items.map(\.key) == ["a", "b"])
        #expect(feed.items[1].title == "After the bare ampersand")
        #expect(!feed.problems.isEmpty)
    }

    @Test(arguments: [
        "",
        "   \n\t ",
        "hello, this is not XML",
        #"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#,
        "<html><head><title>Blog</title></head><body><p>Welcome</body></html>",
        #"<?xml version="1.0"?><opml version="2.0"><body/></opml>"#,
    ])
    func notAFeedThrows(input: String) {
        #expect(throws: FeedParseError.self) { try FeedParser.parse(input.bytes) }
    }

    @Test func truncatedDownloadKeepsTheCompleteItems() throws {
        let whole = try Fixtures.bytes("rss2-content.xml")
        let cut = Array(whole.prefix(through: whole.firstRange(of: Array("Lighthouse".utf8))!.lowerBound))
        let feed = try FeedParser.parse(cut)
        #expect(feed.items.first?.key == "gazette-2024-0311-ferry")
        #expect(feed.items.first?.content.hasSuffix("18:30.") == true)
        #expect(feed.problems.contains { $0.message.contains("not well-formed") })
    }

    @Test func unknownRootIsNamedInTheError() throws {
        let error = try #require(throws: FeedParseError.self) {
            try FeedParser.parse("<html><body>hi</body></html>".bytes)
        }
        #expect(error.message.contains("<html>"))
        #expect(error.line == 1)
    }

    @Test func binaryGarbageAfterARootKeepsTheProblemListBounded() {
        // Deterministic noise (xorshift) so a failure can be reproduced.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let noise = (0..<100_000).map { _ -> UInt8 in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
        do {
            let feed = try FeedParser.parse(Array("<rss version=\"2.0\"><channel>".utf8) + noise)
            #expect(feed.problems.count <= 210)
        } catch {
            #expect(!error.message.isEmpty)
        }
    }
}

@Suite struct EntityAttackTests {
    @Test func externalEntityIsNeverLoaded() throws {
        let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? "root:x:0:0"
        let marker = String(passwd.prefix(while: { $0 != "\n" }))
        let bytes = try Fixtures.bytes("xxe.xml")
        let feed: ParsedFeed
        do {
            feed = try FeedParser.parse(bytes)
        } catch {
            // Refusing the document outright is also safe, as long as the error does not quote the file.
            #expect(!error.message.contains("root:"))
            return
        }
        let json = String(decoding: try JSONEncoder().encode(feed), as: UTF8.self)
        #expect(!json.contains(marker))
        #expect(!json.contains("root:"))
        #expect(feed.title == "Innocent feed")
    }

    @Test func billionLaughsFinishesFastWithoutExpanding() throws {
        let bytes = try Fixtures.bytes("billion-laughs.xml")
        var feed: ParsedFeed?
        let elapsed = ContinuousClock().measure {
            feed = try? FeedParser.parse(bytes)
        }
        #expect(elapsed < .seconds(2))
        if let feed {
            let json = try JSONEncoder().encode(feed)
            #expect(json.count < 100_000)
            #expect(!String(decoding: json, as: UTF8.self).contains(String(repeating: "ha", count: 100)))
        }
    }
}

@Suite struct LimitTests {
    @Test func oversizedFieldIsTruncatedAndReported() throws {
        let huge = String(repeating: "word ", count: 300_000)  // 1.5 MB
        let xml = "<rss><channel><item><guid>big</guid><description>\(huge)</description></item></channel></rss>"
        let feed = try FeedParser.parse(xml.bytes)
        let item = try #require(feed.items.first)
        #expect(item.summary.utf8.count <= FeedParser.maximumFieldBytes)
        #expect(item.summary.utf8.count > FeedParser.maximumFieldBytes - 10)
        #expect(feed.problems.contains { $0.message.contains("truncated") })
    }

    @Test func truncationNeverSplitsACharacter() {
        var text = CappedText(limit: 5)
        text.append("ab")
        text.append("سلام")  // two bytes per letter: only one more letter fits
        #expect(text.string == "abس")
        #expect(text.isTruncated)
    }

    @Test func itemCountIsCapped() throws {
        let items = String(repeating: "<item><title>t</title></item>", count: FeedParser.maximumItemCount + 5)
        let feed = try FeedParser.parse("<rss version=\"2.0\"><channel>\(items)</channel></rss>".bytes)
        #expect(feed.items.count == FeedParser.maximumItemCount)
        #expect(feed.problems.contains { $0.message.contains("more than \(FeedParser.maximumItemCount) items") })
    }
}
