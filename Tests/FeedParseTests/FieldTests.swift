import Foundation
import Testing
@testable import FeedParse

/// RSS 0.90–0.94 and Atom 0.3: each old dialect is recognised, versioned and read.
@Suite struct OldDialectTests {
    @Test func rss091WithNetscapeDoctypeAndAnHTMLEntity() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("rss091.xml"))
        #expect(feed.format == .rss)
        #expect(feed.version == "0.91")
        #expect(feed.title == "Valley Almanac")
        #expect(feed.link == "http://almanac.example.net/")
        #expect(feed.items.map(\.title) == ["Frost dates for the café garden", "Why the swallows came early"])
        #expect(feed.items.map(\.keySource) == [.link, .link])
        #expect(feed.items[0].summary == "Last frost is expected in the second week of April.")
        // The DTD is never fetched: the entity is repaired from libxml2's HTML table instead.
        #expect(feed.problems.contains { $0.message.contains("&eacute;") })
    }

    @Test func rss092CategoriesEnclosureAndEscapedHTML() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("rss092.xml"), baseURL: "https://radio.example.org/feed")
        #expect(feed.version == "0.92")
        let item = try #require(feed.items.first)
        #expect(item.categories == ["History", "Interviews"])
        #expect(
            item.enclosures
                == [FeedEnclosure(url: "https://radio.example.org/audio/ep12.mp3", type: "audio/mpeg", length: 24_986_239)]
        )
        #expect(item.summary == "Two keepers remember the last winter on the rock.")
        #expect(item.summaryHTML == "<p>Two keepers remember the <b>last</b> winter on the rock.</p>")
        #expect(item.keySource == .hash)
    }

    @Test func rss094GuidDateAndAuthor() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("rss094.xml"))
        #expect(feed.version == "0.94")
        let item = try #require(feed.items.first)
        #expect(item.key == "https://workshop.example.com/notes/scraper")
        #expect(item.keySource == .guid)
        #expect(item.published == utc("2024-03-02T23:05:00Z"))
        #expect(item.authors == ["bench@workshop.example.com (Rowan Ash)"])
        #expect(item.summary == "Burnish at a slight angle.")
    }

    @Test func rss093IsReadLikeItsNeighbours() throws {
        let xml = """
            <rss version="0.93"><channel><title>Old</title><item><title>One</title>
            <link>https://old.example/1</link><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate></item></channel></rss>
            """
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.version == "0.93")
        #expect(feed.items.first?.published == utc("2024-03-04T10:00:00Z"))
    }

    @Test func rss090IsAnRDFDialect() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("rss090.xml"))
        #expect(feed.format == .rdf)
        #expect(feed.version == "0.90")
        #expect(feed.title == "Tide Watch")
        #expect(feed.link == "http://tides.example.com/")
        #expect(feed.items.map(\.link) == ["http://tides.example.com/spring-tide", "http://tides.example.com/survey"])
    }

    @Test func rss10IsVersioned() throws {
        #expect(try FeedParser.parse(Fixtures.bytes("rdf.xml")).version == "1.0")
        #expect(try FeedParser.parse(Fixtures.bytes("rss2-content.xml")).version == "2.0")
    }

    @Test func atom03DatesAuthorsAndBase64Title() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("atom03.xml"))
        #expect(feed.format == .atom)
        #expect(feed.version == "0.3")
        #expect(feed.link == "https://orchard.example/")
        let first = feed.items[0]
        #expect(first.published == utc("2024-04-01T08:00:00Z"))
        #expect(first.updated == utc("2024-04-02T08:30:00Z"))
        #expect(first.content == "Cleft grafts on three branches.")
        #expect(first.contentHTML == "<p>Cleft grafts on three <em>branches</em>.</p>")
        // No author in the entry: the feed's author applies (RFC 4287 §4.2.1, Atom 0.3 likewise).
        #expect(first.authors == ["Ines Mora"])
        let second = feed.items[1]
        #expect(second.title == "Blossom count")
        #expect(second.published == utc("2024-03-28T07:00:00Z"))
        #expect(second.authors == ["Tomas Vidal"])
        #expect(second.summary == "Forty clusters on the south row.")
        #expect(second.summaryHTML == nil)
    }
}

/// Authors, categories, enclosures, Media RSS, update dates and the HTML kept next to the text.
@Suite struct ItemFieldTests {
    @Test func rssWithDublinCoreMediaAndAtomLinks() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("rss2-media.xml"), baseURL: "https://photos.example.com/feed.xml")
        #expect(feed.link == "https://photos.example.com/")
        #expect(feed.ttl == 30)
        let photo = feed.items[0]
        #expect(photo.authors == ["Lena Brandt", "Omar Haddad"])
        #expect(photo.categories == ["Weather", "Harbour"])
        #expect(photo.published == utc("2024-03-11T07:00:00Z"))
        #expect(photo.updated == utc("2024-03-11T09:30:00Z"))
        #expect(
            photo.enclosures == [
                FeedEnclosure(url: "https://photos.example.com/img/storm.jpg", type: "image/jpeg", length: 483_201),
                FeedEnclosure(url: "https://photos.example.com/img/storm-large.jpg", type: "image/jpeg", length: 1_200_345),
            ]
        )
        #expect(photo.thumbnail == "https://photos.example.com/img/storm-thumb.jpg")
        #expect(photo.summary == "Waves topped the wall at dawn.")
        #expect(photo.summaryHTML?.hasPrefix("<p>Waves topped the <a href=\"/tags/wall\">wall</a>") == true)
        #expect(photo.content == "Storm\nWaves & spray.\nWind: 90 km/h\nSwell: 6 m")
        #expect(photo.contentHTML?.contains("<li>Wind: 90 km/h</li>") == true)

        let video = feed.items[1]
        #expect(video.title == "Ferry docking in the fog")
        #expect(video.link == "https://photos.example.com/video/31")
        #expect(video.summary == "A slow approach to the north pier, filmed from the tower.")
        #expect(video.enclosures == [FeedEnclosure(url: "https://cdn.example.com/v/31.mp4", type: "video/mp4", length: nil)])
        #expect(video.thumbnail == "https://cdn.example.com/v/31.jpg")
        #expect(video.authors == ["desk@photos.example.com (Photo Desk)"])
        #expect(video.published == utc("2024-03-10T17:45:00Z"))
        #expect(video.updated == nil)
        #expect(feed.problems.isEmpty, "\(feed.problems)")
    }

    @Test func atomPersonsCategoriesEnclosureLinksAndMediaGroup() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("atom-media.xml"))
        #expect(feed.link == "https://video.example.net/c/bench")
        let first = feed.items[0]
        #expect(first.authors == ["Workbench Channel"])
        #expect(first.categories == ["Restoration", "tools"])
        #expect(first.published == utc("2024-05-01T16:00:00Z"))
        #expect(first.updated == utc("2024-05-02T09:00:00Z"))
        #expect(
            first.enclosures == [
                FeedEnclosure(url: "https://video.example.net/audio/a1.mp3", type: "audio/mpeg", length: 3_021_000),
                FeedEnclosure(url: "https://video.example.net/v/a1", type: "application/x-shockwave-flash", length: nil),
            ]
        )
        #expect(first.thumbnail == "https://img.example.net/a1/hq.jpg")
        // No Atom summary: the media description stands in.
        #expect(first.summary == "Rust removal, flattening the sole and a new iron.")

        let second = feed.items[1]
        #expect(second.title == "Sharpening chisels")
        #expect(second.authors == ["Guest: Mira Solberg", "second@example.org"])
        #expect(second.published == utc("2024-04-20T12:00:00Z"))
        #expect(second.updated == utc("2024-04-20T12:00:00Z"))
        #expect(second.content == "Stones from coarse to fine.")
        #expect(second.contentHTML?.contains("<b>coarse</b>") == true)
    }

    @Test func itemsRoundTripThroughJSONWithTheNewFields() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("rss2-media.xml"))
        let decoded = try JSONDecoder().decode(ParsedFeed.self, from: JSONEncoder().encode(feed))
        #expect(decoded == feed)
        #expect(decoded.items[0].enclosures.count == 2)
    }
}

/// JSON Feed 1.0 and 1.1.
@Suite struct JSONFeedTests {
    @Test func version11FeedAndItems() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("jsonfeed-1.1.json"), baseURL: "https://rooftop.example.org/feed.json")
        #expect(feed.format == .json)
        #expect(feed.version == "1.1")
        #expect(feed.encoding == "UTF-8")
        #expect(feed.title == "Rooftop Garden Diary")
        #expect(feed.link == "https://rooftop.example.org/")
        #expect(feed.items.count == 3)

        let first = feed.items[0]
        #expect(first.key == "2024-06-01-tomatoes")
        #expect(first.keySource == .jsonID)
        #expect(first.link == "https://rooftop.example.org/2024/06/tomatoes")
        #expect(first.title == "First tomatoes")
        #expect(first.content == "Three ripe tomatoes & one split.")
        #expect(first.contentHTML?.hasPrefix("<p>Three <b>ripe</b>") == true)
        #expect(first.summary == "An early harvest.")
        #expect(first.published == utc("2024-06-01T06:00:00Z"))
        #expect(first.updated == utc("2024-06-01T10:30:00Z"))
        #expect(first.categories == ["harvest", "tomatoes"])
        #expect(first.authors == ["Sami Karam"])
        #expect(first.thumbnail == "https://rooftop.example.org/img/tomatoes.jpg")
        #expect(
            first.enclosures
                == [FeedEnclosure(url: "https://rooftop.example.org/audio/tomatoes.m4a", type: "audio/x-m4a", length: 89_970)]
        )

        let second = feed.items[1]
        #expect(second.key == "42")
        #expect(second.link == "https://seeds.example.com/catalogue")
        #expect(second.content == "Ordered basil and chard.\n\nDelivery next week.")
        #expect(second.published == nil)
        #expect(second.authors == ["Guest Writer"])

        let third = feed.items[2]
        #expect(third.keySource == .hash)
        #expect(third.title == nil)
        #expect(third.text == "An item without an id or a link.")

        let messages = feed.problems.map(\.message)
        #expect(messages.contains { $0.contains("not a date") })
        #expect(messages.contains("item 3 is not a JSON object; skipped"))
        #expect(messages.contains { $0.contains("item 4") && $0.contains("\"title\"") })
    }

    @Test func version10WithASingleAuthor() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("jsonfeed-1.0.json"))
        #expect(feed.version == "1.0")
        #expect(feed.items.count == 1)
        #expect(feed.items[0].authors == ["Dana Okafor"])
        #expect(feed.items[0].text == "Cone 6 reached after eleven hours.")
        #expect(feed.problems.isEmpty)
    }

    @Test func aBareVersionNumberIsAcceptedWithAnItemList() throws {
        let feed = try FeedParser.parse(#"  {"version": "1.1", "items": [{"id": "a", "title": "A"}]}"#.bytes)
        #expect(feed.items.map(\.key) == ["a"])
        #expect(feed.problems.contains { $0.message.contains("not a https://jsonfeed.org/version/ URL") })
    }

    @Test func itemCapApplies() throws {
        let items = (0..<20).map { #"{"id": "\#($0)"}"# }.joined(separator: ",")
        let json = #"{"version": "https://jsonfeed.org/version/1.1", "items": [\#(items)]}"#
        let feed = try FeedParser.parse(json.bytes, limits: FeedParseLimits(maximumItemCount: 5))
        #expect(feed.items.count == 5)
        #expect(feed.problems.contains { $0.message.contains("more than 5 items") })
    }
}
