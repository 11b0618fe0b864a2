/// Bounds on one fetch: how long it may take, how slow it may be, and how much it may download.
public struct FetchLimits: Sendable, Equatable {
    /// Longest wait for the connection (including TLS), in seconds; values of zero or below mean 1 ms.
    public var connectTimeout: Double
    /// Longest time for the whole transfer, redirects included, in seconds; values of zero or below mean 1 ms.
    public var totalTimeout: Double
    /// Transfers slower than this many bytes per second for `lowSpeedSeconds` are abandoned; 0 turns the check off.
    public var lowSpeedBytesPerSecond: Int
    /// How long a transfer may stay below `lowSpeedBytesPerSecond` before it is abandoned, in seconds.
    public var lowSpeedSeconds: Int
    /// Largest body accepted, counted after decompression.
    public var maxBodyBytes: Int
    /// Most redirects followed before the fetch fails with `.tooManyRedirects`.
    public var maxRedirects: Int

    /// Limits with defaults suited to polling feeds: 10 s connect, 30 s total, 64 B/s for 20 s, 10 MiB, 5 redirects.
    public init(
        connectTimeout: Double = 10,
        totalTimeout: Double = 30,
        lowSpeedBytesPerSecond: Int = 64,
        lowSpeedSeconds: Int = 20,
        maxBodyBytes: Int = 10 << 20,
        maxRedirects: Int = 5
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedSeconds = lowSpeedSeconds
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
    }
}

/// One conditional GET of a feed URL.
public struct FetchRequest: Sendable {
    /// The URL to fetch: `http` or `https` (or `file` when `allowFile` is set).
    public var url: String
    /// The validator stored from the last response, sent verbatim as `If-None-Match`.
    public var etag: String?
    /// The date stored from the last response, sent verbatim as `If-Modified-Since`.
    public var lastModified: String?
    /// Time and size bounds for this fetch.
    public var limits: FetchLimits
    /// Whether `file://` URLs may be fetched; redirects never lead to `file://`.
    public var allowFile: Bool
    /// Whether loopback, private, link-local and unspecified addresses may be connected to.
    public var allowPrivateAddresses: Bool

    /// A request for `url`, conditional when `etag` or `lastModified` is given.
    public init(
        url: String,
        etag: String? = nil,
        lastModified: String? = nil,
        limits: FetchLimits = FetchLimits(),
        allowFile: Bool = false,
        allowPrivateAddresses: Bool = false
    ) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.limits = limits
        self.allowFile = allowFile
        self.allowPrivateAddresses = allowPrivateAddresses
    }
}
