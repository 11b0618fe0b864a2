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

    @Test func absurdNestingIsCutOffWithoutCrashing() {
        // libxml2 stops building the tree at depth 256 (no HTML_PARSE_HUGE); the walk itself is iterative.
        let depth = 20_000
        let html =
            "intro" + String(repeating: "<div>", count: depth) + "deep" + String(repeating: "</div>", count: depth)
        #expect(HTMLText.plainText(fromHTML: html) == "intro")
    }

    @Test func neverTouchesTheNetworkOrFiles() {
        let html = #"<!DOCTYPE html SYSTEM "file:///etc/passwd"><p>&xxe;text</p><img src="http://127.0.0.1/x">"#
        let text = HTMLText.plainText(fromHTML: html)
        #expect(!text.contains("root:"))
        #expect(text.contains("text"))
    }
}
