import Testing
@testable import FeedParse

@Suite struct URLResolutionTests {
    @Test(arguments: [
        ("story/1", "https://news.example/section/index.html", "https://news.example/section/story/1"),
        ("/top", "https://news.example/a/b", "https://news.example/top"),
        ("../up?x=1#c", "https://news.example/a/b/c", "https://news.example/a/up?x=1#c"),
        ("./", "https://news.example/a/b", "https://news.example/a/"),
        ("//cdn.example/img.png", "https://news.example/", "https://cdn.example/img.png"),
        ("?page=2", "https://news.example/list?page=1", "https://news.example/list?page=2"),
        ("#comments", "https://news.example/post", "https://news.example/post#comments"),
        ("", "https://news.example/post?x", "https://news.example/post?x"),
        ("relative", "https://news.example", "https://news.example/relative"),
        ("مقال/الأول", "https://ar.example/أخبار/", "https://ar.example/أخبار/مقال/الأول"),
        ("a b.html", "http://x.example/dir/", "http://x.example/dir/a b.html"),
        ("https://other.example/./x/../y", "https://news.example/", "https://other.example/y"),
        ("mailto:desk@news.example", "https://news.example/", "mailto:desk@news.example"),
        // RFC 3986 normalisation: scheme and host case, empty http(s) path.
        ("HTTP://News.Example", "https://news.example/", "http://news.example/"),
        ("https://Desk@News.EXAMPLE:8080?q=A", "https://x.example/", "https://Desk@news.example:8080/?q=A"),
        ("https://X.example/Mixed/Case", "https://news.example/", "https://x.example/Mixed/Case"),
        ("//CDN.example", "https://news.example/", "https://cdn.example/"),
        ("urn:Uuid:ABC", "https://news.example/", "urn:Uuid:ABC"),
    ])
    func resolves(reference: String, base: String, expected: String) {
        #expect(URLResolution.resolve(reference, against: base) == expected)
    }

    @Test func withoutAnAbsoluteBaseTheReferenceIsKept() {
        #expect(URLResolution.resolve(" /x/y ", against: nil) == "/x/y")
        #expect(URLResolution.resolve("x", against: "not/absolute") == "x")
    }
}
