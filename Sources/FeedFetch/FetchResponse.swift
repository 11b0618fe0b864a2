/// What a server answered, whatever the status; after redirects, only the final response counts.
public struct FetchResponse: Sendable {
    /// The HTTP status of the final response; a successful `file://` read reports 200.
    public var status: Int
    /// The body after content decoding (gzip, deflate, br, zstd); empty for a 304.
    public var body: [UInt8]
    /// The `Content-Type` header, verbatim.
    public var contentType: String?
    /// The `ETag` header, verbatim, to send back as `FetchRequest.etag`.
    public var etag: String?
    /// The `Last-Modified` header, verbatim, to send back as `FetchRequest.lastModified`.
    public var lastModified: String?
    /// The URL the body came from, after redirects.
    public var effectiveURL: String
    /// Seconds the server asked us to wait, from `Retry-After` (delta-seconds or HTTP-date, never negative).
    public var retryAfter: Double?
    /// Seconds the transfer took, redirects included.
    public var duration: Double
    /// Seconds the response stays fresh according to the server (`Cache-Control: max-age`, else `Expires` minus
    /// `Date`, less `Age`); 0 for `no-cache`, `no-store` or an expired date; nil when the server said nothing.
    public var freshness: Double?
    /// The redirects followed to reach the final response, in order; empty when the first response was final.
    public var redirects: [FetchRedirect]

    /// Whether the server said our stored copy is still current (status 304).
    public var isNotModified: Bool { status == 304 }

    /// Where the requested URL has moved for good: the URL reached by the leading run of permanent redirects
    /// (301, 308), or nil when the first redirect was temporary or there was none.
    ///
    /// `A -301-> B -302-> C` gives `B` (A moved to B; B only borrows C for now); `A -302-> B -301-> C` gives nil.
    public var permanentRedirectURL: String? {
        var target: String?
        for redirect in redirects {
            guard redirect.isPermanent else { break }
            target = redirect.to
        }
        return target
    }

    /// A response with the given parts; the fetcher builds these, tests and callers may too.
    public init(
        status: Int,
        body: [UInt8],
        contentType: String? = nil,
        etag: String? = nil,
        lastModified: String? = nil,
        effectiveURL: String,
        retryAfter: Double? = nil,
        duration: Double,
        freshness: Double? = nil,
        redirects: [FetchRedirect] = []
    ) {
        self.status = status
        self.body = body
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        self.effectiveURL = effectiveURL
        self.retryAfter = retryAfter
        self.duration = duration
        self.freshness = freshness
        self.redirects = redirects
    }
}

/// One redirect followed during a fetch.
public struct FetchRedirect: Sendable, Equatable {
    /// The redirect's status: 301, 302, 303, 307 or 308.
    public var status: Int
    /// The URL that answered with the redirect.
    public var from: String
    /// The URL it sent us to, absolute.
    public var to: String

    /// Whether the move is permanent (301 Moved Permanently, 308 Permanent Redirect): the only kind a
    /// client should remember.
    public var isPermanent: Bool { status == 301 || status == 308 }

    /// A redirect from `from` to `to` with `status`.
    public init(status: Int, from: String, to: String) {
        self.status = status
        self.from = from
        self.to = to
    }
}
