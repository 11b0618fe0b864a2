import Testing
@testable import FeedParse

/// Builds legacy-encoded fixtures from a few Arabic letters (byte values checked against iconv).
private enum ArabicCodePage {
    static let windows1256: [Character: UInt8] = [
        "ا": 0xC7, "ب": 0xC8, "ج": 0xCC, "خ": 0xCE, "ر": 0xD1, "س": 0xD3, "ع": 0xDA, "ك": 0xDF, "ل": 0xE1,
        "م": 0xE3, "ي": 0xED,
    ]
    static let iso88596: [Character: UInt8] = [
        "ا": 0xC7, "ب": 0xC8, "ج": 0xCC, "خ": 0xCE, "ر": 0xD1, "س": 0xD3, "ع": 0xD9, "ك": 0xE3, "ل": 0xE4,
        "م": 0xE5, "ي": 0xEA,
    ]

    /// `text` encoded with `table` (ASCII passes through).
    static func encode(_ text: String, with table: [Character: UInt8]) -> [UInt8] {
        text.flatMap { character -> [UInt8] in
            if let byte = table[character] { return [byte] }
            precondition(character.isASCII, "no byte for \(character)")
            return Array(character.utf8)
        }
    }
}

@Suite struct EncodingTests {
    static let title = "خبر عاجل"
    static let greeting = "سلام عليكم"

    static func feed(declaring encoding: String?) -> String {
        let declaration = encoding.map { "<?xml version=\"1.0\" encoding=\"\($0)\"?>\n" } ?? ""
        return declaration + """
            <rss version="2.0"><channel><title>\(title)</title>
            <item><guid>ar-1</guid><title>\(title)</title><description>\(greeting)</description></item>
            </channel></rss>
            """
    }

    @Test func windows1256DeclaredInTheXMLDeclaration() throws {
        let bytes = ArabicCodePage.encode(Self.feed(declaring: "windows-1256"), with: ArabicCodePage.windows1256)
        #expect(bytes.contains(0xD3))  // really legacy bytes, not UTF-8
        let feed = try FeedParser.parse(bytes)
        #expect(feed.title == Self.title)
        #expect(feed.items.first?.title == Self.title)
        #expect(feed.items.first?.summary == Self.greeting)
        #expect(feed.problems.isEmpty)
    }

    @Test func contentTypeCharsetDecodesAnUndeclaredDocument() throws {
        let bytes = ArabicCodePage.encode(Self.feed(declaring: nil), with: ArabicCodePage.iso88596)
        let feed = try FeedParser.parse(bytes, contentType: "application/rss+xml; charset=ISO-8859-6")
        #expect(feed.items.first?.summary == Self.greeting)
    }

    @Test func contentTypeCharsetOverridesAWrongDeclaration() throws {
        let bytes = ArabicCodePage.encode(Self.feed(declaring: "ISO-8859-1"), with: ArabicCodePage.windows1256)
        let feed = try FeedParser.parse(bytes, contentType: "text/xml; charset=\"windows-1256\"")
        #expect(feed.items.first?.title == Self.title)
        #expect(feed.problems.contains { $0.message.contains("overrides") })
    }

    @Test func validUTF8WinsOverALegacyLabel() throws {
        let bytes = Self.feed(declaring: "windows-1256").bytes
        let feed = try FeedParser.parse(bytes, contentType: "application/xml; charset=iso-8859-1")
        #expect(feed.items.first?.summary == Self.greeting)
        #expect(feed.problems.contains { $0.message.contains("valid UTF-8") })
    }

    @Test func byteOrderMarkWinsOverContentType() throws {
        let bytes = [0xEF, 0xBB, 0xBF] + Self.feed(declaring: nil).bytes
        let feed = try FeedParser.parse(bytes, contentType: "application/xml; charset=windows-1256")
        #expect(feed.items.first?.title == Self.title)
    }

    @Test func unknownCharsetIsReportedAndIgnored() throws {
        let feed = try FeedParser.parse(Self.feed(declaring: nil).bytes, contentType: "text/xml; charset=x-martian")
        #expect(feed.items.count == 1)
        // Valid UTF-8 is read as such before the charset is even considered.
        let ascii = try FeedParser.parse(
            "<rss><channel><item><guid>1</guid></item></channel></rss>".bytes,
            contentType: "text/xml; charset=x-martian"
        )
        #expect(ascii.problems.contains { $0.message.contains("x-martian") })
    }

    @Test func unknownDeclaredEncodingFallsBackToUTF8() throws {
        let xml = "<?xml version='1.0' encoding='x-bogus'?><rss><channel><item><guid>1</guid></item></channel></rss>"
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.items.count == 1)
        #expect(feed.problems.contains { $0.message.contains("x-bogus") })
    }

    @Test func wideCharsetOnNarrowBytesIsIgnored() throws {
        let xml = "<rss><channel><item><guid>1</guid></item></channel></rss>"
        let feed = try FeedParser.parse(xml.bytes, contentType: "application/rss+xml; charset=utf-16")
        #expect(feed.items.count == 1)
        #expect(feed.problems.contains { $0.message.contains("utf-16") })
    }

    @Test(arguments: [
        ("application/rss+xml; charset=UTF-8", "UTF-8"),
        ("text/xml;charset=\"windows-1256\"", "windows-1256"),
        ("text/xml; Charset = iso-8859-6 ; q=1", "iso-8859-6"),
        ("application/xml", nil),
        ("text/xml; charset=", nil),
    ] as [(String, String?)])
    func charsetFromContentType(contentType: String, expected: String?) {
        #expect(DocumentEncoding.charset(inContentType: contentType) == expected)
    }

    @Test func declaredEncodingIsFoundInTheXMLDeclaration() {
        let spaced = "<?xml version='1.0' encoding = 'windows-1256' ?><a/>"
        #expect(DocumentEncoding.declaredEncoding(in: spaced.bytes) == "windows-1256")
        #expect(DocumentEncoding.declaredEncoding(in: "<?xml version=\"1.0\"?><a/>".bytes) == nil)
        #expect(DocumentEncoding.declaredEncoding(in: "<a encoding=\"x\"/>".bytes) == nil)
    }
}
