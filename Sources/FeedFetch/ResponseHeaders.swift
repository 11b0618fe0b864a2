import CCurl

/// The response headers a feed poller cares about, gathered line by line from libcurl's header callback.
///
/// A status line (`HTTP/…`) starts a new response and clears what came before, so after redirects and
/// `100 Continue` only the final response's headers remain.
struct ResponseHeaders: Equatable, Sendable {
    /// `Content-Type`, verbatim.
    var contentType: String?
    /// `ETag`, verbatim.
    var etag: String?
    /// `Last-Modified`, verbatim.
    var lastModified: String?
    /// `Retry-After`, verbatim; see `retryAfterSeconds(now:)`.
    var retryAfter: String?

    /// Takes in one raw header line as libcurl delivers it (CRLF included).
    mutating func consume(line: some Collection<UInt8>) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            self = ResponseHeaders()
            return
        }
        // Continuation lines (obsolete line folding) and the blank end-of-headers line carry nothing we keep.
        guard let first = text.first, first != " ", first != "\t",
              let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon].lowercased()
        let value = Self.trimmed(text[text.index(after: colon)...])
        switch name {
        case "content-type": contentType = value
        case "etag": etag = value
        case "last-modified": lastModified = value
        case "retry-after": retryAfter = value
        default: break
        }
    }

    /// Seconds to wait according to `Retry-After`, never negative; nil when absent or unreadable.
    ///
    /// - Parameter now: the current time in seconds since 1970, for HTTP-date values.
    func retryAfterSeconds(now: Int) -> Double? {
        guard let retryAfter else { return nil }
        return Self.parseRetryAfter(retryAfter, now: now)
    }

    /// Parses a `Retry-After` value: delta-seconds, or an HTTP-date (any of the three RFC 9110 formats)
    /// turned into seconds after `now`. Dates in the past give 0.
    static func parseRetryAfter(_ value: String, now: Int) -> Double? {
        let value = trimmed(Substring(value))
        if !value.isEmpty, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return Double(value)
        }
        guard value.contains(where: \.isLetter) else { return nil }
        let date = curl_getdate(value, nil)
        guard date != -1 else { return nil }
        return Double(max(0, date - now))
    }

    /// `text` without surrounding spaces, tabs, CR and LF.
    private static func trimmed(_ text: Substring) -> String {
        let isPadding: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let start = text.firstIndex(where: { !isPadding($0) }),
              let end = text.lastIndex(where: { !isPadding($0) }) else { return "" }
        return String(text[start...end])
    }
}
