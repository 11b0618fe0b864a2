import Foundation
import Testing
@testable import FeedParse

@Suite struct DateParserTests {
    @Test(arguments: [
        // RFC 822 / 1123 and variants
        ("Tue, 05 Mar 2024 14:30:00 GMT", "2024-03-05T14:30:00Z"),
        ("Tue, 5 Mar 2024 14:30 +0300", "2024-03-05T11:30:00Z"),
        ("05 Mar 2024 14:30:00 EST", "2024-03-05T19:30:00Z"),
        ("Sun, 10 Mar 2024 08:00:00 EDT", "2024-03-10T12:00:00Z"),
        ("Tue, 05 Mar 24 14:30:00 UT", "2024-03-05T14:30:00Z"),
        ("Fri, 31 Dec 99 23:59:59 -0000", "1999-12-31T23:59:59Z"),
        ("Tuesday, 05 March 2024 14:30:00 +05:30", "2024-03-05T09:00:00Z"),
        ("Tue,05 Mar 2024 14:30:00 Z", "2024-03-05T14:30:00Z"),
        ("Mar 5 2024 14:30:00 GMT", "2024-03-05T14:30:00Z"),
        ("Tue Mar  5 14:30:00 2024", "2024-03-05T14:30:00Z"),
        ("Tue, 05 Mar 2024 14:30:00 GMT+3", "2024-03-05T11:30:00Z"),
        ("05-Mar-2024 14:30:00 PST", "2024-03-05T22:30:00Z"),
        ("Tue, 05 Mar 2024 02:30 PM GMT", "2024-03-05T14:30:00Z"),
        ("Tue, 05 Mar 2024 12:10 am", "2024-03-05T00:10:00Z"),
        ("Tue, 05 Mar 2024 14:30:00 +0000 (UTC)", "2024-03-05T14:30:00Z"),
        ("Tue, 05 Mar 2024 14:30:00 CEST", "2024-03-05T12:30:00Z"),
        ("mer, 16 nov 2022 00:38:15 +0100", "2022-11-15T23:38:15Z"),
        ("5 Mar 2024", "2024-03-05T00:00:00Z"),
        ("Thu, 29 Feb 2024 10:00:60 GMT", "2024-02-29T10:00:59Z"),
        // RFC 3339 / ISO 8601 / W3CDTF
        ("2024-03-05T14:30:00Z", "2024-03-05T14:30:00Z"),
        ("2024-03-05T14:30:00.250Z", "2024-03-05T14:30:00.250Z"),
        ("2024-03-05T17:30:00+03:00", "2024-03-05T14:30:00Z"),
        ("2024-03-05t14:30:00z", "2024-03-05T14:30:00Z"),
        ("2024-03-05 14:30:00", "2024-03-05T14:30:00Z"),
        ("2024-03-05T14:30Z", "2024-03-05T14:30:00Z"),
        ("2024-03-05T14:30:00-0500", "2024-03-05T19:30:00Z"),
        ("2024-03-05T14:30:00+03", "2024-03-05T11:30:00Z"),
        ("  2024-03-05  ", "2024-03-05T00:00:00Z"),
        ("2024-03", "2024-03-01T00:00:00Z"),
        ("2024", "2024-01-01T00:00:00Z"),
        ("20240305T143000Z", "2024-03-05T14:30:00Z"),
        ("1969-07-20T20:17:40Z", "1969-07-20T20:17:40Z"),
        // Arabic
        ("الثلاثاء، 05 مارس 2024 14:30:00 GMT", "2024-03-05T14:30:00Z"),
        ("٥ مارس ٢٠٢٤ ١٤:٣٠", "2024-03-05T14:30:00Z"),
        ("5 آذار 2024", "2024-03-05T00:00:00Z"),
        ("5 كانون الثاني 2024 02:30 م", "2024-01-05T14:30:00Z"),
        ("24 تشرين الأول 2023م", "2023-10-24T00:00:00Z"),
        ("الأحد 5 أيار 2024 10:00 ص", "2024-05-05T10:00:00Z"),
        ("٧ كانون ثاني ٢٠٢٤", "2024-01-07T00:00:00Z"),
        ("20 جوان 2024", "2024-06-20T00:00:00Z"),
        ("3 فيفري 2024 08:00 GMT", "2024-02-03T08:00:00Z"),
        ("۴ جويلية ۲۰۲۴", "2024-07-04T00:00:00Z"),
        // Military zones (RFC 822 offsets), zone words with numeric offsets, stray or wrong day names.
        ("Tue, 05 Mar 2024 14:30:00 A", "2024-03-05T15:30:00Z"),
        ("Tue, 05 Mar 2024 14:30:00 M", "2024-03-06T02:30:00Z"),
        ("Tue, 05 Mar 2024 14:30:00 N", "2024-03-05T13:30:00Z"),
        ("Tue, 05 Mar 2024 14:30:00 Y", "2024-03-05T02:30:00Z"),
        ("Tue, 05 Mar 2024 14:30:00 z", "2024-03-05T14:30:00Z"),
        ("Tue, 05 Mar 2024 14:30:00 UTC+05:30", "2024-03-05T09:00:00Z"),
        ("Wed, 05 Mar 2024 14:30:00 GMT", "2024-03-05T14:30:00Z"),
        ("05 Mar 2024 14:30:00 GMT Tuesday", "2024-03-05T14:30:00Z"),
        ("TUE, 05 MAR 2024 14:30:00 GMT", "2024-03-05T14:30:00Z"),
        // Tabs and line breaks inside an ASCII date read as spaces.
        ("Tue,\t05 Mar 2024\n14:30:00\r\nGMT", "2024-03-05T14:30:00Z"),
        ("2024-03-05\t14:30:00Z", "2024-03-05T14:30:00Z"),
    ])
    func parses(text: String, expected: String) {
        #expect(FeedDateParser.parse(text) == utc(expected), "\(text)")
    }

    @Test(arguments: [
        "",
        "sometime last week",
        "2024-13-01",
        "2023-02-29",
        "2024-03-05T25:00:00Z",
        "2024-03-05T14:30:00+25:00",
        "Tue, 32 Mar 2024 10:00:00 GMT",
        "Tue, 05 Xyz 2024 10:00:00 GMT",
        "31/12/2024",
        "12:00",
        "Mar 2024",
        "Tue, 05 Mar 2024 14:30:00 +0popcorn",
        "Tue, 05 Mar 2024 14:30:00 +0099",
        "5 Mar 2024 13:00 PM",
        "Tue, 05 Mar 2024 14:30:00 J",
        "Tue, 05 Mar 2024 14:30:00 A B",
    ])
    func rejects(text: String) {
        #expect(FeedDateParser.parse(text) == nil, "\(text)")
    }
}

/// Every date form of `dates.xml` read through a whole feed, and what happens to bad and future dates.
@Suite struct FeedDateTests {
    @Test func everyFormInTheDatesFixture() throws {
        let feed = try FeedParser.parse(Fixtures.bytes("dates.xml"))
        #expect(feed.items.count == 33)
        for item in feed.items where item.key != "unparseable" {
            #expect(item.published == utc(item.key), "\(item.key)")
        }
        let bad = try #require(feed.items.last)
        #expect(bad.key == "unparseable")
        #expect(bad.published == nil)
        #expect(feed.problems.map(\.message) == ["unparseable date \"sometime last spring\""])
    }

    @Test func aFarFutureDateIsKeptAndFlagged() throws {
        let soon = Date().addingTimeInterval(3_600)
        let formatter = ISO8601DateFormatter()
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom">
            <entry><id>future</id><published>2999-01-01T00:00:00Z</published></entry>
            <entry><id>soon</id><published>\(formatter.string(from: soon))</published></entry>
            </feed>
            """
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.items[0].published == utc("2999-01-01T00:00:00Z"))
        #expect(feed.items[1].published != nil)
        let flagged = feed.problems.filter { $0.message.contains("in the future") }
        #expect(flagged.count == 1)
        #expect(flagged.first?.message.contains("2999") == true)
        #expect(flagged.first?.line == 2)
    }

    @Test func aBadPubDateIsReportedEvenWhenDublinCoreSavesTheDay() throws {
        let xml = """
            <rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><guid>1</guid>
            <pubDate>yesterday</pubDate><dc:date>2024-03-05T10:00:00Z</dc:date></item></channel></rss>
            """
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.items[0].published == utc("2024-03-05T10:00:00Z"))
        #expect(feed.problems.map(\.message) == ["unparseable date \"yesterday\""])
    }
}
