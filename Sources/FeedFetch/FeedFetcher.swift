/// Fetches feeds over HTTP(S) with libcurl: conditional GET, decompression, bounded redirects, time and size
/// limits, and a guard against connecting to private addresses.
///
/// One libcurl multi loop runs on its own thread; each `fetch` suspends until its transfer completes, so
/// nothing blocks the Swift concurrency pool. Shut the fetcher down when done with it (dropping the last
/// reference does the same).
public final class FeedFetcher: Sendable {
    /// The `User-Agent` sent when none is given: the product, version and a contact URL.
    public static let defaultUserAgent = "feedwatch/0.1.0 (+https://github.com/feedwatch/feedwatch)"

    private let userAgent: String
    private let loop: TransferLoop

    /// Starts a fetcher that keeps at most `maxConnectionsPerHost` connections to one host and
    /// `maxConnections` in all; further transfers wait for a free connection (their timeouts keep running).
    public init(userAgent: String = FeedFetcher.defaultUserAgent, maxConnectionsPerHost: Int = 2, maxConnections: Int = 32) {
        self.userAgent = userAgent
        loop = TransferLoop(maxConnectionsPerHost: maxConnectionsPerHost, maxConnections: maxConnections)
    }

    deinit {
        loop.shutdown()
    }

    /// Returns the response for any HTTP status (caller decides what a 404 or 429 means); throws only for transport-level failures and refused requests.
    ///
    /// Cancelling the awaiting task abandons the transfer and throws `.cancelled`.
    public func fetch(_ request: FetchRequest) async throws(FetchError) -> FetchResponse {
        let id = loop.makeID()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                loop.submit(FetchJob(id: id, request: request, userAgent: userAgent, continuation: continuation))
            }
        } onCancel: {
            loop.cancel(id)
        }
        return try result.get()
    }

    /// Stops the loop thread; in-flight and later fetches fail with `.cancelled`.
    public func shutdown() {
        loop.shutdown()
    }
}
