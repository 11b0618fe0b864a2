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

@Suite struct FreshnessTests {
    private func headers(_ lines: [String]) -> ResponseHeaders {
        var headers = ResponseHeaders()
        for line in ["HTTP/1.1 200 OK"] + lines + [""] { headers.consume(line: Array("\(line)\r\n".utf8)) }
        return headers
    }

    private let now = 1_750_000_000

    @Test func noFreshnessHeadersMeanUnknown() {
        #expect(headers(["Content-Type: text/xml"]).freshness(now: now) == nil)
    }

    @Test func maxAgeIsTakenLessAge() {
        #expect(headers(["Cache-Control: public, max-age=1800"]).freshness(now: now) == 1800)
        #expect(headers(["Cache-Control: max-age=\"60\""]).freshness(now: now) == 60)
        #expect(headers(["Cache-Control: max-age=600", "Age: 650"]).freshness(now: now) == 0)
        #expect(headers(["Cache-Control: public", "Cache-Control: max-age=300"]).freshness(now: now) == 300)
    }

    @Test func noCacheAndNoStoreMeanRevalidateEveryTime() {
        #expect(headers(["Cache-Control: no-cache, max-age=3600"]).freshness(now: now) == 0)
        #expect(headers(["Cache-Control: no-store"]).freshness(now: now) == 0)
    }

    @Test func maxAgeWinsOverExpires() {
        let lines = ["Cache-Control: max-age=120", "Expires: Sun, 06 Nov 1994 08:49:37 GMT"]
        #expect(headers(lines).freshness(now: now) == 120)
    }

    @Test func expiresIsReadAgainstTheServersDate() {
        let lines = ["Date: Sun, 06 Nov 1994 08:49:37 GMT", "Expires: Sun, 06 Nov 1994 09:49:37 GMT"]
        #expect(headers(lines).freshness(now: now) == 3600, "our own clock does not matter when Date is given")
    }

    @Test func expiresWithoutDateIsReadAgainstNow() {
        let nineteenNinetyFour = 784_111_777  // 1994-11-06 08:49:37 UTC
        #expect(headers(["Expires: Sun, 06 Nov 1994 08:59:37 GMT"]).freshness(now: nineteenNinetyFour) == 600)
    }

    @Test(arguments: ["0", "-1", "never"])
    func anUnreadableExpiresMeansExpired(value: String) {
        #expect(headers(["Expires: \(value)"]).freshness(now: now) == 0)
    }

    @Test func statusLinesGiveTheirCode() {
        #expect(ResponseHeaders.statusCode(ofStatusLine: "HTTP/1.1 301 Moved Permanently\r\n") == 301)
        #expect(ResponseHeaders.statusCode(ofStatusLine: "HTTP/2 200\r\n") == 200)
        #expect(ResponseHeaders.statusCode(ofStatusLine: "HTTP/1.1 2000 Huge\r\n") == nil)
        #expect(ResponseHeaders.statusCode(ofStatusLine: "Location: /x\r\n") == nil)
    }
}
