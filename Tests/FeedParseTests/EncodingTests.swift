import Glibc
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

    /// libxml2 is told "UTF-8" only when it would otherwise read something else (the override costs a pass);
    /// and where it reads UTF-8 on its own, valid UTF-8 (ASCII or not) leaves the encoding choice nothing to
    /// report, which `FeedParser`'s one-pass path relies on.
    @Test(arguments: [
        ("<rss/>", true),
        ("\n  <rss/>", true),
        ("<?xml version=\"1.0\"?><rss/>", true),
        ("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss/>", true),
        ("<?xml version='1.0' encoding='UTF8' standalone='yes'?><rss/>", true),
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss/>", false),
        ("<?xml version=\"1.0\" encoding=\"windows-1256\"?><rss/>", false),
        ("<?xml version=\"1.0\" encoding=\"utf-16\"?><rss/>", false),
        ("<?xml version=\"1.0\" encoding=?><rss/>", false),
        (" <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss/>", false),
        ("<!-- x --><?xml version=\"1.0\"?><rss/>", false),
        ("\u{FEFF}<rss/>", false),
        ("rss", false),
    ])
    func libxml2ReadsUTF8OnItsOwn(document: String, expected: Bool) {
        #expect(DocumentEncoding.isReadAsUTF8ByLibXML2(document.bytes) == expected, "\(document)")
        #expect(DocumentEncoding.isPlainUTF8Candidate(document.bytes, contentType: nil) == expected)
        let utf8Type = "text/xml; charset=UTF-8"
        #expect(DocumentEncoding.isPlainUTF8Candidate(document.bytes, contentType: utf8Type) == expected)
        #expect(!DocumentEncoding.isPlainUTF8Candidate(document.bytes, contentType: "text/xml; charset=latin1"))
        guard expected else { return }
        // The same document with a non-ASCII text (every true case ends with its root, `<rss/>`).
        let arabic = String(document.dropLast("<rss/>".count)) + "<rss>خبر</rss>"
        for text in [document, arabic] {
            for contentType in [nil, "application/rss+xml; charset=utf-8"] {
                let choice = DocumentEncoding.choose(for: text.bytes, contentType: contentType)
                #expect(choice.name == "UTF-8" && choice.transcode == nil && choice.problems.isEmpty, "\(text)")
            }
        }
    }

    @Test func aMisEncodedDocumentThatLooksLikeUTF8IsReadTheFullWay() throws {
        // Undeclared windows-1256 (not valid UTF-8): the one-pass UTF-8 parse fails and detection takes over.
        let bytes = ArabicCodePage.encode(Self.feed(declaring: nil), with: ArabicCodePage.windows1256)
        #expect(DocumentEncoding.isPlainUTF8Candidate(bytes, contentType: nil))
        let feed = try FeedParser.parse(bytes)
        #expect(feed.encoding == "windows-1256")
        #expect(feed.items.first?.title == Self.title)
        #expect(feed.problems.contains { $0.message.contains("the bytes are not valid UTF-8") })
    }
}

/// Encodes text with glibc's iconv: an encoder independent of the parser's own code-page tables.
enum SystemEncoder {
    struct Failure: Error {}

    static func encode(_ text: String, as encoding: String) throws -> [UInt8] {
        let converter = iconv_open(encoding, "UTF-8")
        guard let converter, converter != iconv_t(bitPattern: -1) else { throw Failure() }
        defer { iconv_close(converter) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 4 + 16)
        let written: Int = try input.withUnsafeMutableBufferPointer { inputBuffer in
            try output.withUnsafeMutableBufferPointer { outputBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = inputBuffer.baseAddress
                var inLeft = inputBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = outputBuffer.baseAddress
                var outLeft = outputBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else {
                    throw Failure()
                }
                return outputBuffer.count - outLeft
            }
        }
        return output.prefix(written).map { UInt8(bitPattern: $0) }
    }
}

/// Undeclared and wrongly declared legacy encodings, recognised from the bytes.
@Suite struct EncodingDetectionTests {
    /// The Arabic fixture in UTF-8: the text every legacy variant must decode to.
    static let master: String = {
        let bytes = (try? Fixtures.bytes("arabic-news-utf8.xml")) ?? []
        return String(decoding: bytes, as: UTF8.self)
    }()
    static let reference: ParsedFeed? = try? FeedParser.parse(Array(master.utf8))

    static func sameText(_ feed: ParsedFeed) -> Bool {
        guard let reference else { return false }
        return feed.title == reference.title && feed.items.map(\.title) == reference.items.map(\.title)
            && feed.items.map(\.summary) == reference.items.map(\.summary)
            && feed.items.map(\.published) == reference.items.map(\.published)
    }

    @Test func theUTF8MasterReadsCleanly() throws {
        let feed = try #require(Self.reference)
        #expect(feed.title == "أخبار الساحل")
        #expect(feed.items.count == 3)
        #expect(feed.items.allSatisfy { $0.published != nil })
        #expect(feed.problems.isEmpty)
    }

    @Test func undeclaredWindows1256FixtureIsDetected() throws {
        let bytes = try Fixtures.bytes("arabic-news-windows-1256.xml")
        #expect(String(validating: bytes, as: UTF8.self) == nil)
        let feed = try FeedParser.parse(bytes)
        #expect(feed.encoding == "windows-1256")
        #expect(Self.sameText(feed))
        #expect(feed.items[0].title == "افتتاح مكتبة جديدة في المدينة القديمة")
        #expect(feed.items[0].categories == ["ثقافة"])
        #expect(feed.problems.map(\.message) == [
            "no encoding is declared and the bytes are not valid UTF-8; detected windows-1256 from the bytes"
        ])
    }

    @Test(arguments: [
        // (target encoding, XML declaration or nil, Content-Type charset or nil, expected encoding, problem fragment)
        ("ISO-8859-6", nil, nil, "ISO-8859-6", "detected ISO-8859-6"),
        ("WINDOWS-1256", "UTF-8", nil, "windows-1256", "says UTF-8 but the bytes are not valid UTF-8"),
        ("WINDOWS-1256", "ISO-8859-1", nil, "windows-1256", "says ISO-8859-1 but the bytes read as windows-1256"),
        ("ISO-8859-6", "windows-1256", nil, "ISO-8859-6", "says windows-1256 but the bytes read as ISO-8859-6"),
        ("WINDOWS-1256", nil, "text/xml; charset=iso-8859-1", "windows-1256", "Content-Type says iso-8859-1"),
        ("WINDOWS-1256", "windows-1256", nil, "windows-1256", nil),
        ("ISO-8859-6", "ISO-8859-6", nil, "ISO-8859-6", nil),
    ] as [(String, String?, String?, String, String?)])
    func arabicLegacyVariants(
        target: String, declaration: String?, charset: String?, expected: String, problem: String?
    ) throws {
        let declared = declaration.map { "<?xml version=\"1.0\" encoding=\"\($0)\"?>\n" } ?? ""
        let bytes = try SystemEncoder.encode(declared + Self.master, as: target)
        let feed = try FeedParser.parse(bytes, contentType: charset)
        #expect(feed.encoding == expected)
        #expect(Self.sameText(feed))
        if let problem {
            #expect(feed.problems.contains { $0.message.contains(problem) }, "\(feed.problems)")
        } else {
            #expect(feed.problems.isEmpty, "\(feed.problems)")
        }
    }

    @Test func undeclaredWindows1252IsNotTakenForArabic() throws {
        let text = """
            <rss version="2.0"><channel><title>Café de la gare</title>
            <item><guid>fr-1</guid><title>Le café rouvre après l’été</title>
            <description>Crème brûlée, façade rénovée — « déjà vu » à Genève.</description></item></channel></rss>
            """
        let feed = try FeedParser.parse(try SystemEncoder.encode(text, as: "WINDOWS-1252"))
        #expect(feed.encoding == "windows-1252")
        #expect(feed.title == "Café de la gare")
        #expect(feed.items.first?.title == "Le café rouvre après l’été")
        #expect(feed.items.first?.summary == "Crème brûlée, façade rénovée — « déjà vu » à Genève.")
        #expect(feed.problems.contains { $0.message.contains("detected windows-1252") })
    }

    @Test func anUnclearGuessIsKeptAndReported() throws {
        // Two-letter words read equally well as Arabic and as Latin: the evidence is too thin to be sure.
        let bytes = Array("<rss><channel><item><guid>x</guid><title>".utf8) + [0xE1, 0xE3] + Array(" ".utf8)
            + [0xDD, 0xED] + Array("</title></item></channel></rss>".utf8)
        let feed = try FeedParser.parse(bytes)
        #expect(feed.items.count == 1)
        #expect(feed.items[0].title?.unicodeScalars.count == 5)
        #expect(feed.problems.contains { $0.message.contains("do not clearly match") }, "\(feed.problems)")
    }

    @Test func unassignedBytesBecomeReplacementCharactersAndTheParseGoesOn() throws {
        // 0xF5 has no character in ISO-8859-6; iconv would stop the whole document there.
        let arabic = try SystemEncoder.encode(Self.master, as: "ISO-8859-6")
        let index = try #require(arabic.firstRange(of: Array("</title>".utf8))?.lowerBound)
        var bytes = arabic
        bytes.insert(0xF5, at: index)
        let feed = try FeedParser.parse(bytes, contentType: "application/rss+xml; charset=ISO-8859-6")
        #expect(feed.encoding == "ISO-8859-6")
        #expect(feed.title == "أخبار الساحل\u{FFFD}")
        #expect(feed.items.count == 3)
        #expect(feed.problems.contains { $0.message.contains("1 bytes have no character in ISO-8859-6") })
    }

    @Test(arguments: ["UTF-16LE", "UTF-16BE"])
    func utf16WithAByteOrderMark(encoding: String) throws {
        let bom: [UInt8] = encoding == "UTF-16LE" ? [0xFF, 0xFE] : [0xFE, 0xFF]
        let feed = try FeedParser.parse(bom + (try SystemEncoder.encode(Self.master, as: encoding)))
        #expect(feed.encoding == encoding)
        #expect(Self.sameText(feed))
    }

    @Test func detectorScoresTheThreeCodePages() throws {
        let arabic = try SystemEncoder.encode("وقال رئيس البلدية إن المكتبة ستفتح أبوابها للطلاب مجانا", as: "WINDOWS-1256")
        let verdict = try #require(EncodingDetector.detect(arabic))
        #expect(verdict.codePage == .windows1256)
        #expect(verdict.isConfident)
        #expect(EncodingDetector.detect(Array("plain ASCII".utf8)) == nil)
    }

    /// ``EncodingDetector/detect(_:)`` reads only the stretches that can score: the same figures as reading every
    /// byte, on text and on byte soup (letters, high bytes and markup, at the edges and across 8-byte blocks).
    @Test func detectorReadsOnlyTheStretchesThatScore() throws {
        var documents = [
            try SystemEncoder.encode("<p>Le café d'été</p> وقال abcرئيس البلدية 12ستفتح x", as: "WINDOWS-1256"),
            try SystemEncoder.encode("<a>Déjà vu, ÉTÉ, naïve</a> crème brûlée", as: "WINDOWS-1252"),
            try SystemEncoder.encode(Self.master, as: "ISO-8859-6"),
        ]
        let alphabet: [UInt8] = Array("ab Z<9>".utf8) + [0x80, 0x81, 0x9F, 0xC7, 0xE1, 0xF3, 0xFF, 0xA0]
        var state: UInt64 = 0x1234_5678
        for length in [1, 7, 8, 9, 16, 64, 500] {
            for _ in 0..<20 {
                documents.append(
                    (0..<length).map { _ in
                        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                        return alphabet[Int(state >> 33) % alphabet.count]
                    })
            }
        }
        for document in documents {
            let whole = EncodingDetector.scoresOfWholeText(document)
            if let verdict = EncodingDetector.detect(document) {
                #expect(verdict.scores == whole.scores, "\(document)")
                #expect(verdict.evidence == whole.evidence, "\(document)")
            } else {
                #expect(whole.evidence == 0, "\(document)")
            }
        }
    }
}
