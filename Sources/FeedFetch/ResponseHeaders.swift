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
    /// Every `Cache-Control` line, joined with commas; see `freshness(now:)`.
    var cacheControl: String?
    /// `Expires`, verbatim.
    var expires: String?
    /// `Date`, verbatim: the server's clock, against which `Expires` is read.
    var date: String?
    /// `Age`, verbatim: seconds a cache has already held the response.
    var age: String?

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
        case "cache-control": cacheControl = cacheControl.map { "\($0), \(value)" } ?? value
        case "expires": expires = value
        case "date": date = value
        case "age": age = value
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

    /// Seconds the response stays fresh from now, as the server declares it (RFC 9111 §4.2): `Cache-Control:
    /// max-age`, else `Expires` minus `Date`, less `Age`; never negative. `no-cache` and `no-store` mean 0, an
    /// unreadable `Expires` means already expired. Nil when the server said nothing about freshness.
    ///
    /// - Parameter now: the current time in seconds since 1970, used when `Date` is absent or unreadable.
    func freshness(now: Int) -> Double? {
        var lifetime: Double?
        if let cacheControl {
            var maxAge: Double?
            var mustRevalidateEachTime = false
            for directive in cacheControl.split(separator: ",") {
                let parts = directive.split(separator: "=", maxSplits: 1)
                let name = Self.trimmed(parts.first ?? "").lowercased()
                switch name {
                case "no-cache", "no-store":
                    mustRevalidateEachTime = true
                case "max-age" where parts.count == 2:
                    var value = Self.trimmed(parts[1])
                    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                    if let seconds = Self.deltaSeconds(value) { maxAge = min(maxAge ?? .infinity, seconds) }
                default:
                    break
                }
            }
            lifetime = mustRevalidateEachTime ? 0 : maxAge
        }
        if lifetime == nil, let expires {
            let expiresAt = curl_getdate(expires, nil)
            if expiresAt == -1 {
                lifetime = 0
            } else {
                let serverNow = date.map { curl_getdate($0, nil) }.flatMap { $0 == -1 ? nil : $0 } ?? now
                lifetime = Double(max(0, expiresAt - serverNow))
            }
        }
        guard let lifetime else { return nil }
        let alreadyAged = age.flatMap(Self.deltaSeconds) ?? 0
        return max(0, lifetime - alreadyAged)
    }

    /// The status code of an HTTP status line (`HTTP/1.1 301 Moved Permanently`, `HTTP/2 200`), or nil.
    static func statusCode(ofStatusLine line: String) -> Int? {
        guard line.hasPrefix("HTTP/") else { return nil }
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
        guard fields.count >= 2, fields[1].count == 3 else { return nil }
        return Int(fields[1])
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

    /// A non-negative whole number of seconds (RFC 9111 delta-seconds), or nil.
    private static func deltaSeconds(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Double(text)
    }

    /// `text` without surrounding spaces, tabs, CR and LF.
    private static func trimmed(_ text: Substring) -> String {
        let isPadding: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let start = text.firstIndex(where: { !isPadding($0) }),
              let end = text.lastIndex(where: { !isPadding($0) }) else { return "" }
        return String(text[start...end])
    }
}
