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

    /// Whether the server said our stored copy is still current (status 304).
    public var isNotModified: Bool { status == 304 }

    /// A response with the given parts; the fetcher builds these, tests and callers may too.
    public init(
        status: Int,
        body: [UInt8],
        contentType: String? = nil,
        etag: String? = nil,
        lastModified: String? = nil,
        effectiveURL: String,
        retryAfter: Double? = nil,
        duration: Double
    ) {
        self.status = status
        self.body = body
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        self.effectiveURL = effectiveURL
        self.retryAfter = retryAfter
        self.duration = duration
    }
}
