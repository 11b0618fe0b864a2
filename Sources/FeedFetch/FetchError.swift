/// A fetch that produced no response: refused by policy, or failed below HTTP.
public struct FetchError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; compare with the static members (`.timeout`, `.dnsFailed`, …).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short stable name, e.g. `"timeout"`, fit for logs and metrics.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// The connect or total timeout passed, or the transfer stayed below the low-speed limit.
        public static let timeout = Code("timeout")
        /// The body grew past `FetchLimits.maxBodyBytes` (counted after decompression).
        public static let bodyTooLarge = Code("bodyTooLarge")
        /// The URL, or a redirect, uses a scheme that is not allowed (e.g. `file://` or `ftp://`).
        public static let protocolNotAllowed = Code("protocolNotAllowed")
        /// The host resolved to a loopback, private, link-local or unspecified address.
        public static let addressNotAllowed = Code("addressNotAllowed")
        /// More redirects than `FetchLimits.maxRedirects`.
        public static let tooManyRedirects = Code("tooManyRedirects")
        /// No connection could be made (refused, unreachable).
        public static let connectionFailed = Code("connectionFailed")
        /// The host name did not resolve.
        public static let dnsFailed = Code("dnsFailed")
        /// The TLS handshake or certificate verification failed.
        public static let tls = Code("tls")
        /// The connection closed before the whole body arrived (short of `Content-Length`, or a chunked body
        /// without its last chunk).
        public static let truncated = Code("truncated")
        /// The URL could not be parsed.
        public static let invalidURL = Code("invalidURL")
        /// The awaiting task was cancelled or the fetcher was shut down.
        public static let cancelled = Code("cancelled")
        /// Any other failure below HTTP (connection reset, bad encoding, file unreadable, …).
        public static let transport = Code("transport")

        /// The code's name.
        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The URL that was requested.
    public var url: String
    /// A human-readable explanation, including libcurl's own error text when there is one.
    public var message: String

    /// Creates an error for `url`.
    public init(code: Code, url: String, message: String) {
        self.code = code
        self.url = url
        self.message = message
    }

    /// `"<url>: <message>"`.
    public var description: String { "\(url): \(message)" }
}
