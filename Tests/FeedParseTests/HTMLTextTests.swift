import Foundation
import Testing
@testable import FeedParse

@Suite struct HTMLTextTests {
    @Test(arguments: [
        ("caf&eacute; &amp; cr&#232;me &#x41;&#66;", "café & crème AB"),
        ("<p>First</p><p>Second</p>", "First\nSecond"),
        ("one<br>two<br/><br>three", "one\ntwo\n\nthree"),
        ("<script>alert('x')</script>Hello <style>p { color: red }</style>world", "Hello world"),
        ("<ul><li>milk</li><li>bread</li></ul>", "milk\nbread"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("  lots   of\n\n spaces\tand\ttabs ", "lots of spaces and tabs"),
        ("<h2>Title</h2>Body with <b>bold</b> and <a href=\"/x\">a link</a>.", "Title\nBody with bold and a link."),
        ("<p>مرحبا&nbsp;بالعالم</p>", "مرحبا بالعالم"),
        ("<meta charset=\"iso-8859-1\"><p>مرحبا</p>", "مرحبا"),
        ("AT&T and 5 < 6", "AT&T and 5 < 6"),
        ("&lt;b&gt;escaped&lt;/b&gt;", "<b>escaped</b>"),
        ("<p>unclosed <div>tags <span>everywhere", "unclosed\ntags everywhere"),
        ("<!-- a comment --><p>kept</p>", "kept"),
        ("", ""),
    ])
    func converts(html: String, expected: String) {
        #expect(HTMLText.plainText(fromHTML: html) == expected)
    }

    @Test func nestingWithinLibxml2sDepthLimitKeepsAllText() {
        let html = "intro" + String(repeating: "<div>", count: 200) + "deep" + String(repeating: "</div>", count: 200)
        #expect(HTMLText.plainText(fromHTML: html + "outro") == "intro\ndeep\noutro")
    }

    @Test func absurdNestingKeepsTheTextWithoutCrashing() {
        // The HTML parser runs in SAX mode: no tree, so depth costs only its stack of open names (and the fast
        // path hands anything deeper than 256 to it).
        let depth = 20_000
        let html =
            "intro" + String(repeating: "<div>", count: depth) + "deep" + String(repeating: "</div>", count: depth)
        #expect(HTMLText.plainText(fromHTML: html) == "intro\ndeep")
    }

    @Test func neverTouchesTheNetworkOrFiles() {
        let html = #"<!DOCTYPE html SYSTEM "file:///etc/passwd"><p>&xxe;text</p><img src="http://127.0.0.1/x">"#
        let text = HTMLText.plainText(fromHTML: html)
        #expect(!text.contains("root:"))
        #expect(text.contains("text"))
    }
}

/// The ``SimpleHTML`` fast path must render exactly what libxml2's HTML parser renders, or step aside.
@Suite struct SimpleHTMLDifferentialTests {
    static let fragments: [String] = [
        "<p>One</p><p>Two</p>",
        "<P CLASS=\"x\">Upper <B>case</B> tags</P>",
        "<p>Text with <a href=\"/x?a=1&amp;b=2\" title='q \"quoted\"'>a link</a> &amp; an&nbsp;entity.</p>",
        "<div><h2>Title</h2><ul><li>one</li><li>two<li>three</ul></div>after",
        "<table><tr><th>a</th><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
        "line<br>break<br/>double<br><br>end",
        "<p>a<p>b<p>c",
        "<b>bold <i>both</i></b> <span>plain</span>",
        "Caf&eacute; &hearts; &#233; &#xE9; &#x1F600; &mdash; &hellip; &laquo;x&raquo;",
        "<p>نفى قائد الشرطة أن الأجهزة الأمنية اعتقلت 8 مطلوبين&nbsp;<br></p><p>أعلن</p>",
        "   leading and   trailing   ",
        "<img src=x.png alt=\"pic\"> caption <hr> next",
        "<blockquote><p>quoted</p></blockquote><figure><img src=a><figcaption>cap</figcaption></figure>",
        "<p>a</p>\n\n<p>b</p>\n",
        "<em>x</em><strong>y</strong>z",
        "text only &amp; entity",
        "<p>unclosed <b>bold",
        "<div>a</div>b<span>c</span><div>d</div>",
        "<li>item without list</li>",
        "<p data-x=1 hidden>attrs</p>",
        // Cases the fast path must leave to libxml2 (comments, scripts, stray tags, odd entities, `<` as text).
        "<p>a<!-- comment -->b</p>",
        "<p>x</p><script>var a = 1 < 2;</script>y",
        "<style>p { color: red }</style><p>styled</p>",
        "<b>a</div>b</b>",
        "a < b and c > d",
        "AT&T &unknown; &amp",
        "<pre>  keep\n  lines</pre>",
        "</br>stray",
        "<p>null &#0; ref</p>",
        "<title>in head</title>body text",
        "<p>a<custom-tag>b</custom-tag></p>",
    ]

    @Test func fastPathAgreesWithLibxml2OrStepsAside() {
        let converter = HTMLTextConverter()
        var accepted = 0
        for fragment in Self.fragments {
            guard let fast = SimpleHTML.plainText(fragment) else { continue }
            accepted += 1
            #expect(fast == converter.libxml2PlainText(fromHTML: fragment), "\(fragment)")
        }
        // The test is about the accepted ones: most ordinary fragments must take the fast path.
        #expect(accepted >= 18)
        #expect(accepted < Self.fragments.count)
    }

    @Test func leavesTheUnusualToLibxml2() {
        for fragment in [
            "<p>a<!-- c -->b</p>", "<script>x</script>", "<b>a</div>b</b>", "a < b", "&unknown;", "</br>",
            "<a title=\"x<y\">t</a>",
        ] {
            #expect(SimpleHTML.plainText(fragment) == nil, "\(fragment)")
        }
        // A "<" after a quoted value, in a later tag, is no reason to step aside.
        #expect(SimpleHTML.plainText("<img alt=\"pic\"> a <b>bold</b>") != nil)
    }

    /// Every HTML field of the shared corpora, through both paths.
    @Test(.enabled(if: Fixtures.sharedFeedsAvailable, "../shared/feeds is absent"), .timeLimit(.minutes(1)))
    func fastPathAgreesOnTheSharedCorpora() throws {
        let converter = HTMLTextConverter()
        let files = FileManager.default.enumerator(at: Fixtures.sharedFeeds, includingPropertiesForKeys: nil)
        var compared = 0
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "xml", let data = try? Data(contentsOf: url),
                let feed = try? FeedParser.parse([UInt8](data))
            else { continue }
            for html in feed.items.flatMap({ [$0.summaryHTML, $0.contentHTML] }).compactMap({ $0 }) {
                guard let fast = SimpleHTML.plainText(html) else { continue }
                compared += 1
                #expect(fast == converter.libxml2PlainText(fromHTML: html), "\(url.lastPathComponent): \(html.prefix(200))")
            }
        }
        #expect(compared > 50)
    }
}
