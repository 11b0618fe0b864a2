import Testing
@testable import FeedFetch

@Suite struct ResponseHeadersTests {
    private func consume(_ lines: [String]) -> ResponseHeaders {
        var headers = ResponseHeaders()
        for line in lines { headers.consume(line: Array("\(line)\r\n".utf8)) }
        return headers
    }

    @Test func readsTheHeadersAFeedPollerNeeds() {
        let headers = consume([
            "HTTP/1.1 200 OK", "content-type: application/atom+xml", "ETag:  W/\"abc\" ",
            "Last-Modified: Wed, 02 Jul 2025 08:00:00 GMT", "X-Other: ignored", "",
        ])
        #expect(headers.contentType == "application/atom+xml")
        #expect(headers.etag == "W/\"abc\"")
        #expect(headers.lastModified == "Wed, 02 Jul 2025 08:00:00 GMT")
        #expect(headers.retryAfter == nil)
    }

    @Test func aNewStatusLineForgetsTheEarlierResponse() {
        let headers = consume([
            "HTTP/1.1 301 Moved Permanently", "Location: /new", "ETag: \"old\"", "Retry-After: 5", "",
            "HTTP/2 200", "content-type: text/xml", "",
        ])
        #expect(headers == ResponseHeaders(contentType: "text/xml"))
    }

    @Test func retryAfterAcceptsDelaySeconds() {
        #expect(ResponseHeaders.parseRetryAfter("120", now: 0) == 120)
        #expect(ResponseHeaders.parseRetryAfter(" 0 ", now: 0) == 0)
    }

    @Test(arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])
    func retryAfterAcceptsAllThreeHTTPDateFormats(date: String) {
        let now = 784_111_777 - 90  // 90 seconds before 1994-11-06 08:49:37 UTC
        #expect(ResponseHeaders.parseRetryAfter(date, now: now) == 90)
    }

    @Test func retryAfterInThePastMeansNow() {
        #expect(ResponseHeaders.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: 1_750_000_000) == 0)
    }

    @Test(arguments: ["", "-5", "1.5", "soon", "in 10 minutes"])
    func unreadableRetryAfterIsIgnored(value: String) {
        #expect(ResponseHeaders.parseRetryAfter(value, now: 0) == nil)
    }
}
