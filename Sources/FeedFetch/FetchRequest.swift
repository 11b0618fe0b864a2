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
    /// Which hosts may be reached at loopback, private, link-local and unspecified addresses.
    public var privateAddresses: PrivateAddressAccess

    /// Whether every host, redirects included, may be reached at a loopback, private, link-local or
    /// unspecified address (``PrivateAddressAccess/allowed``); setting false refuses them all.
    public var allowPrivateAddresses: Bool {
        get { privateAddresses == .allowed }
        set { privateAddresses = newValue ? .allowed : .refused }
    }

    /// A request for `url`, conditional when `etag` or `lastModified` is given; `allowPrivateAddresses`
    /// chooses between ``PrivateAddressAccess/allowed`` and ``PrivateAddressAccess/refused``.
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
        self.privateAddresses = allowPrivateAddresses ? .allowed : .refused
    }
}

/// Which connections the address guard lets through to non-public addresses (loopback, private networks,
/// link-local including the cloud metadata address, unspecified). Public addresses are always allowed.
public enum PrivateAddressAccess: Sendable, Equatable {
    /// No host may be reached at a non-public address: the default for anything fetched from the internet.
    case refused
    /// Only the request URL's own host may be; a redirect to any other host must lead to a public address.
    /// For a feed that opted in on its own: its server is trusted, not wherever that server sends us.
    case requestHostOnly
    /// Every host may be, redirects included (a trusted network).
    case allowed
}
