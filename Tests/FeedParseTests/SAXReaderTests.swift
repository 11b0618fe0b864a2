import Foundation
import Testing
@testable import FeedParse

/// The SAX2-driven reader under the walker: node kinds and depths, empty elements, attributes, entities and
/// documents longer than one pushed chunk.
@Suite(.timeLimit(.minutes(1))) struct SAXReaderTests {
    /// Every node of `xml` as "kind depth name" (text as `"…"`, consecutive pieces of text joined), in document
    /// order.
    static func nodes(_ xml: String, recover: Bool = false) throws -> [String] {
        let reader = try #require(XMLStreamReader(bytes: xml.bytes, encoding: nil, recover: recover))
        var nodes: [String] = []
        var text: String?
        _ = reader.parse {
            if reader.kind == .text {
                text = (text ?? "") + reader.text
                return true
            }
            if let pending = text {
                nodes.append("text \"\(pending)\"")
                text = nil
            }
            switch reader.kind {
            case .startElement:
                nodes.append("start \(reader.depth) \(reader.localName)\(reader.isEmptyElement ? "/" : "")")
            case .endElement: nodes.append("end \(reader.depth) \(reader.localName)")
            case .text: break
            case .entityReference: nodes.append("entity \(reader.localName)")
            case .other: nodes.append("other")
            }
            return true
        }
        if let pending = text { nodes.append("text \"\(pending)\"") }
        return nodes
    }

    @Test func nodesComeInDocumentOrderWithDepthsAndEmptyElements() throws {
        let nodes = try Self.nodes(#"<a><b x="1"/><c></c>t<![CDATA[<d>]]>&amp;u</a>"#)
        #expect(
            nodes == [
                "start 0 a", "start 1 b/", "start 1 c", "end 1 c", "text \"t<d>&u\"", "end 0 a",
            ]
        )
    }

    @Test func namespacesAndAttributesAreReadByLocalNameAndURI() throws {
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:m="urn:m" xml:base="https://x.example/">\
            <m:item m:id="7" id="8" title="Fish &amp; chips &#x263A; &#38;"/></feed>
            """
        let reader = try #require(XMLStreamReader(bytes: xml.bytes, encoding: nil, recover: false))
        var visited = 0
        let end = reader.parse {
            visited += 1
            switch visited {
            case 1:
                #expect(reader.namespaceURI == FeedNamespace.atom10)
                #expect(reader.namespace == .atom10)
                #expect(reader.attribute("base", namespace: FeedNamespace.xml) == "https://x.example/")
                #expect(reader.attribute("base") == nil)
            case 2:
                #expect(reader.localName == "item")
                #expect(reader.namespaceURI == "urn:m")
                #expect(reader.namespace == .other)
                #expect(reader.hasAttributes)
                #expect(reader.attribute("id", namespace: "urn:m") == "7")
                #expect(reader.attribute("id") == "8")
                #expect(reader.attribute("title") == "Fish & chips ☺ &")
                #expect(reader.attribute("missing") == nil)
            default:
                break
            }
            return true
        }
        #expect(end == .endOfDocument)
        #expect(visited == 3)  // <feed>, the empty <m:item/>, </feed>
    }

    @Test func theVisitorCanStopTheParse() throws {
        let xml = "<a><b/><c>text</c><d/></a>"
        let reader = try #require(XMLStreamReader(bytes: xml.bytes, encoding: nil, recover: false))
        var names: [String] = []
        let end = reader.parse {
            if reader.kind == .startElement { names.append(reader.localName) }
            return names.count < 2
        }
        #expect(end == .stopped)
        #expect(names == ["a", "b"])
    }

    @Test func textIsVisitedOnlyWhileTheVisitorWantsIt() throws {
        let xml = #"<!DOCTYPE a [<!ENTITY e "x">]><a>one<b>two<c/>three</b>&e;four<b>five</b></a>"#
        let reader = try #require(XMLStreamReader(bytes: xml.bytes, encoding: nil, recover: false))
        reader.visitsText = false
        var seen: [String] = []
        let end = reader.parse {
            switch reader.kind {
            case .startElement:
                seen.append("<\(reader.localName)>")
                if reader.localName == "b" { reader.visitsText = true }
            case .endElement:
                if reader.localName == "b" { reader.visitsText = false }
            case .text: seen.append(reader.text)
            case .entityReference: seen.append("&\(reader.localName);")
            case .other: break
            }
            return true
        }
        #expect(end == .endOfDocument)
        #expect(seen == ["<a>", "<b>", "two", "<c>", "three", "&e;", "<b>", "five"])
    }

    @Test func declaredEntitiesAreReportedNotExpandedAndTheDocumentStaysWellFormed() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY who "a long expansion"><!ENTITY % p "<!ENTITY sneaky 'x'>"> %p;]>
            <rss version="2.0"><channel><title>t</title>
            <item><guid>1</guid><title>By &who;</title><link>https://x.example/?by=&who;</link>\
            <enclosure url="https://x.example/&who;.mp3" type="audio/mpeg"/></item></channel></rss>
            """
        let nodes = try Self.nodes(xml)
        #expect(nodes.contains("entity who"))
        #expect(!nodes.contains { $0.contains("long expansion") })

        let feed = try FeedParser.parse(xml.bytes)
        let item = try #require(feed.items.first)
        #expect(item.title?.hasPrefix("By") == true)
        #expect(feed.problems.allSatisfy { !$0.message.contains("long expansion") })
        #expect(item.link == "https://x.example/?by=")
        #expect(item.enclosures.first?.url == "https://x.example/.mp3")
        #expect(!feed.problems.contains { $0.message.contains("not well-formed") })
        #expect(feed.problems.contains { $0.message.contains("&who; was not expanded") })
    }

    @Test func aDocumentLongerThanOneChunkReadsTheSameAcrossChunkBoundaries() throws {
        // Items of varied lengths, so chunk boundaries fall inside tags, text, entities and multi-byte characters.
        var xml = #"<rss version="2.0"><channel><title>Long</title>"#
        var expected: [String] = []
        var index = 0
        while xml.utf8.count < 3 * XMLStreamReader.chunkSize + 1_000 {
            let title = "خبر \(index) & " + String(repeating: "نص ", count: index % 37)
            expected.append(title.trimmingWhitespace())
            xml += "<item><guid>g\(index)</guid><title>\(title.replacingOccurrences(of: "&", with: "&amp;"))</title>"
            xml += "<description><![CDATA[<p>\(String(repeating: "x", count: index % 101))</p>]]></description></item>"
            index += 1
        }
        xml += "</channel></rss>"
        let feed = try FeedParser.parse(xml.bytes)
        #expect(feed.items.count == expected.count)
        #expect(feed.items.map(\.title) == expected.map { Optional($0) })
        #expect(feed.items.map(\.key) == (0..<expected.count).map { "g\($0)" })
        #expect(feed.problems.isEmpty)
    }

    @Test func strictModeFailsAtAFatalErrorAndRecoveryModeReadsOn() throws {
        let xml = "<a><b>one</c><d>two</d></a>"
        let strict = try #require(XMLStreamReader(bytes: xml.bytes, encoding: nil, recover: false))
        #expect(strict.parse { true } == .failed)
        #expect(strict.firstFatalError?.message.contains("mismatch") == true)

        let recovered = try Self.nodes(xml, recover: true)
        #expect(recovered.contains("text \"two\""))
    }

    @Test func anExplicitEncodingOverridesTheDeclaration() throws {
        // "é" in ISO-8859-1, declared as UTF-8 (where the byte would be invalid).
        let bytes = Array(#"<?xml version="1.0" encoding="UTF-8"?><a>caf"#.utf8) + [0xE9] + Array("</a>".utf8)
        let reader = try #require(XMLStreamReader(bytes: bytes, encoding: "ISO-8859-1", recover: false))
        var text = ""
        _ = reader.parse {
            if reader.kind == .text { text += reader.text }
            return true
        }
        #expect(text == "café")
        #expect(reader.firstFatalError == nil)
    }
}
