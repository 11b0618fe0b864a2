import Foundation
import Testing
@testable import FeedParse

@Suite struct RSSTests {
    let feed: ParsedFeed

    init() throws {
        feed = try FeedParser.parse(
            Fixtures.bytes("rss2-content.xml"),
            contentType: "application/rss+xml",
            baseURL: "https://gazette.example.org/feeds/main.xml"
        )
    }

    @Test func channel() {
        #expect(feed.format == .rss)
        #expect(feed.title == "Harbour Gazette & Tide Tables")
        #expect(feed.link == "https://gazette.example.org/")
        #expect(feed.items.count == 4)
    }

    @Test func contentEncodedAndCDATADescriptionBecomePlainText() throws {
        let item = try #require(feed.items.first)
        #expect(item.key == "gazette-2024-0311-ferry")
        #expect(item.keySource == .guid)
        #expect(item.title == "Ferry timetable changes on Monday")
        #expect(item.link == "https://gazette.example.org/news/ferry-timetable")
        #expect(item.published == utc("2024-03-11T06:45:00Z"))
        #expect(item.summary == "The morning ferry now leaves at 7:15.")
        #expect(
            item.content
                == "The morning ferry now leaves at 7:15.\nThe evening ferry is unchanged — it still leaves at 18:30."
        )
        #expect(!item.content.contains("trackReader"))
        #expect(item.text == item.content)
    }

    @Test func relativeLinkResolvesAgainstFeedURLAndDublinCoreDateIsRead() throws {
        let item = feed.items[1]
        #expect(item.link == "https://gazette.example.org/events/lighthouse-open-day")
        #expect(item.key == item.link)
        #expect(item.keySource == .link)
        #expect(item.published == utc("2024-03-09T10:00:00Z"))
        #expect(item.summary == "Visitors can climb the 112 steps\nbetween ten and four.")
        #expect(item.content == "")
        #expect(item.text == item.summary)
    }

    @Test func permalinkGuidServesAsLinkAndBadDateIsReported() throws {
        let item = feed.items[2]
        #expect(item.keySource == .guid)
        #expect(item.link == "https://gazette.example.org/news/harbour-wall")
        #expect(item.published == nil)
        let problem = try #require(feed.problems.first { $0.message.contains("sometime last week") })
        #expect(problem.line == 24)
    }

    @Test func itemWithoutIdentifierOrLinkGetsAStableHashKey() throws {
        let item = feed.items[3]
        #expect(item.keySource == .hash)
        #expect(item.title == nil)
        #expect(item.key.count == 16)
        #expect(item.key.allSatisfy { $0.isHexDigit })
        let again = try FeedParser.parse(
            Fixtures.bytes("rss2-content.xml"),
            baseURL: "https://gazette.example.org/feeds/main.xml"
        )
        #expect(again.items[3].key == item.key)
    }

    @Test func itemsWithoutIdentifiersButDifferentTitlesGetDifferentKeys() throws {
        let xml = """
            <rss version="2.0"><channel><link>https://x.example/</link>
            <item><title>One</title></item><item><title>Two</title></item></channel></rss>
            """
        let items = try FeedParser.parse(xml.bytes).items
        #expect(items.map(\.keySource) == [.hash, .hash])
        #expect(items[0].key != items[1].key)
    }

    @Test func markupInTitlesIsReducedToText() throws {
        let xml = """
            <rss version="2.0"><channel><title>Plain &lt;b&gt;bold&lt;/b&gt;</title>
            <item><title><![CDATA[<p>Caf&eacute; &amp; <em>bar</em></p>]]></title><guid>1</guid></item>
            <item><title>  Spread
               over   lines </title><guid>2</guid></item>
            <item><title>AT&amp;T 5 &lt; 6</title><guid>3</guid></item></channel></rss>
            """
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.title == "Plain bold")
        #expect(feed.items.map(\.title) == ["Café & bar", "Spread over lines", "AT&T 5 < 6"])
    }

    @Test func channelTTLIsReadInMinutesAndBadValuesAreReported() throws {
        let withTTL = try FeedParser.parse(
            #"<rss version="2.0"><channel><title>t</title><ttl> 45 </ttl><item><ttl>5</ttl></item></channel></rss>"#
                .bytes
        )
        #expect(withTTL.ttl == 45)
        #expect(withTTL.problems.isEmpty)

        for bad in ["0", "-10", "soon", "1.5"] {
            let feed = try FeedParser.parse("<rss><channel><ttl>\(bad)</ttl></channel></rss>".bytes)
            #expect(feed.ttl == nil, "\(bad)")
            #expect(feed.problems.contains { $0.message.contains("<ttl>") }, "\(bad)")
        }
        #expect(try FeedParser.parse("<rss><channel><title>t</title></channel></rss>".bytes).ttl == nil)
        #expect(try FeedParser.parse(Fixtures.bytes("atom-xml-base.xml")).ttl == nil)
    }
}

@Suite struct AtomTests {
    let feed: ParsedFeed

    init() throws {
        feed = try FeedParser.parse(Fixtures.bytes("atom-xml-base.xml"), baseURL: "https://mirror.example.com/feed")
    }

    @Test func feedLevelFields() {
        #expect(feed.format == .atom)
        #expect(feed.title == "Field Notes")
        #expect(feed.link == "https://blog.example.net/journal/")
        #expect(feed.items.count == 2)
        #expect(feed.problems.isEmpty)
    }

    @Test func entryLinksResolveAgainstXMLBase() {
        #expect(feed.items[0].link == "https://blog.example.net/journal/2024/04/counting-swifts")
        #expect(feed.items[1].link == "https://blog.example.net/archive/winter-feeder.html")
    }

    @Test func xhtmlContentAndPublishedDate() throws {
        let entry = feed.items[0]
        #expect(entry.key == "tag:blog.example.net,2024:swifts")
        #expect(entry.keySource == .atomID)
        #expect(entry.title == "Counting swifts")
        #expect(entry.published == utc("2024-04-01T16:20:00Z"))
        #expect(entry.summary == "Forty-one swifts over the old mill.")
        #expect(entry.content == "We counted forty-one swifts.\nNext count: 5 < 6 days away.")
    }

    @Test func htmlContentUpdatedDateAndSourceIgnored() {
        let entry = feed.items[1]
        #expect(entry.key == "tag:blog.example.net,2024:feeder")
        #expect(entry.title == "Winter & the feeder")
        #expect(entry.published == utc("2024-01-15T12:00:00Z"))
        #expect(entry.content == "Blue tits & great tits")
        #expect(entry.summary == "")
    }

    @Test func prefixedAtomAndOutOfLineContent() throws {
        let xml = """
            <a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>Prefixed</a:title>
            <a:entry><a:id>urn:1</a:id><a:title type="text">One &lt;tag&gt;</a:title>
            <a:link rel="related" href="https://elsewhere.example/"/>
            <a:content src="https://x.example/video.mp4" type="video/mp4"/>
            <a:summary type="html">&lt;p&gt;Hi&lt;/p&gt;</a:summary></a:entry></a:feed>
            """
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.format == .atom)
        #expect(feed.title == "Prefixed")
        let entry = try #require(feed.items.first)
        #expect(entry.title == "One <tag>")
        #expect(entry.link == nil)
        #expect(entry.content == "")
        #expect(entry.summary == "Hi")
    }
}

@Suite struct RDFTests {
    @Test func itemsAreSiblingsOfTheChannel() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("rdf.xml"))
        #expect(feed.format == .rdf)
        #expect(feed.title == "Hill Observatory")
        #expect(feed.link == "https://observatory.example.com/")
        #expect(feed.items.count == 2)

        let first = feed.items[0]
        #expect(first.key == "https://observatory.example.com/reports/42")
        #expect(first.keySource == .guid)
        #expect(first.title == "Clear skies over the ridge")
        #expect(first.summary == "Jupiter and four moons visible after midnight.")
        #expect(first.published == utc("2024-02-21T04:10:00Z"))

        let second = feed.items[1]
        #expect(second.key == "urn:observatory:report:43")
        #expect(second.link == nil)
        #expect(second.published == utc("2024-02-21T00:00:00Z"))
    }
}

@Suite struct DocumentShapeTests {
    @Test func atomEntryDocumentIsOneItem() throws {
        let xml = """
            <entry xmlns="http://www.w3.org/2005/Atom"><id>urn:solo</id><title>Alone</title>
            <updated>2024-05-01T08:00:00Z</updated><link href="https://solo.example/1"/></entry>
            """
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.format == .atom)
        #expect(feed.title == nil)
        #expect(feed.items.map(\.key) == ["urn:solo"])
        #expect(feed.items.first?.link == "https://solo.example/1")
    }

    @Test func htmlEntitiesUndeclaredInXMLAreStillDecoded() throws {
        let xml = """
            <rss version="2.0"><channel><item><guid>e</guid>
            <title>Caf&eacute;</title><description>one&nbsp;two &copy; 2024</description></item></channel></rss>
            """
        let feed = try FeedParser.parse(xml.bytes)
        let item = try #require(feed.items.first)
        #expect(item.title == "Café")
        #expect(item.summary == "one two © 2024")
        #expect(feed.problems.contains { $0.message == "undeclared HTML entities replaced: &eacute; &nbsp; &copy;" })
        // The repaired document is well-formed: no recovery pass, nothing dropped.
        #expect(!feed.problems.contains { $0.message.contains("recovery") })
    }

    @Test func rdfImageAfterTheChannelDoesNotReplaceChannelFields() throws {
        let xml = """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
            <channel><title>Real title</title></channel>
            <image><title>Logo</title><link>https://logo.example/</link></image>
            <item><title>i</title><link>https://i.example/</link></item></rdf:RDF>
            """
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.title == "Real title")
        #expect(feed.link == nil)
        #expect(feed.items.count == 1)
    }

    @Test func itemsWithNothingReadableAreStillItems() throws {
        let xml = """
            <rss><channel><item/><item><author>a@b.example</author></item><item><title>t</title></item></channel></rss>
            """
        let items = try FeedParser.parse(xml.bytes).items
        #expect(items.map(\.title) == [nil, nil, "t"])
        #expect(items.allSatisfy { $0.keySource == .hash })
    }

    @Test func parsedFeedRoundTripsThroughJSON() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("rss2-content.xml"), baseURL: "https://gazette.example.org/")
        let decoded = try JSONDecoder().decode(ParsedFeed.self, from: JSONEncoder().encode(feed))
        #expect(decoded == feed)
        let json = String(decoding: try JSONEncoder().encode(feed.items[0].keySource), as: UTF8.self)
        #expect(json == "\"guid\"")
        #expect(String(decoding: try JSONEncoder().encode(ItemKeySource.atomID), as: UTF8.self) == "\"id\"")
    }

    @Test func problemsAndErrorsDescribeThemselves() {
        #expect(FeedProblem(line: 12, message: "bad date").description == "line 12: bad date")
        #expect(FeedProblem(line: nil, message: "bad date").description == "bad date")
        #expect(FeedParseError(line: 3, message: "x").description == "not a feed (line 3): x")
    }
}
