import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fetch handed to the loop thread: what to fetch and whom to tell.
struct FetchJob: Sendable {
    /// Unique per fetcher; lets a cancellation find its transfer.
    let id: UInt64
    let request: FetchRequest
    let userAgent: String
    let continuation: CheckedContinuation<Result<FetchResponse, FetchError>, Never>

    /// Resumes the awaiting fetch; call exactly once per job.
    func finish(_ result: Result<FetchResponse, FetchError>) {
        continuation.resume(returning: result)
    }

    /// Resumes the awaiting fetch with `.cancelled`.
    func cancel() {
        finish(.failure(FetchError(code: .cancelled, url: request.url, message: "fetch cancelled")))
    }
}

/// One fetch in flight: its configured easy handle and what libcurl's callbacks have gathered so far.
///
/// Used only on the loop thread. The callbacks reach the transfer through an unretained pointer, which
/// stays valid because the loop holds the transfer for as long as its handle is in the multi handle.
final class Transfer {
    let job: FetchJob
    let easy: EasyHandle
    private var body: [UInt8] = []
    private var headers = ResponseHeaders()
    private var exceededBodyLimit = false
    private var refusedPeer: (address: String, scope: String, host: String?)?
    /// Each final (non-1xx) response's status and the URL it answered, in order: the redirect chain.
    private var responses: [(status: Int, url: String)] = []
    /// The request URL's host, for ``PrivateAddressAccess/requestHostOnly``.
    private let requestHost: String?

    /// The `Accept` header: feed formats first, anything else last.
    private static let acceptedTypes =
        "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
        + "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"

    /// A transfer for `job` with every option set; throws when libcurl refuses the setup.
    init(job: FetchJob) throws(FetchError) {
        let url = job.request.url
        guard let easy = EasyHandle() else {
            throw FetchError(code: .transport, url: url, message: "libcurl could not create a transfer handle")
        }
        self.job = job
        self.easy = easy
        requestHost = job.request.privateAddresses == .requestHostOnly ? CurlURL.host(of: url) : nil
        do throws(CurlSetupError) {
            try configure()
        } catch {
            throw FetchError(code: .transport, url: url, message: error.description)
        }
    }

    /// The outcome of the finished transfer, given libcurl's result code.
    func outcome(_ result: CURLcode) -> Result<FetchResponse, FetchError> {
        result == CURLE_OK ? .success(response()) : .failure(error(for: result))
    }

    // MARK: - Setup

    private func configure() throws(CurlSetupError) {
        let request = job.request
        let limits = request.limits
        try easy.set(CURLOPT_URL, request.url)
        try easy.set(CURLOPT_NOSIGNAL, 1)
        try easy.set(CURLOPT_PROTOCOLS_STR, request.allowFile ? "http,https,file" : "http,https")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_FOLLOWLOCATION, 1)
        try easy.set(CURLOPT_MAXREDIRS, max(0, limits.maxRedirects))
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(limits.connectTimeout))
        try easy.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(limits.totalTimeout))
        try easy.set(CURLOPT_LOW_SPEED_LIMIT, max(0, limits.lowSpeedBytesPerSecond))
        try easy.set(CURLOPT_LOW_SPEED_TIME, max(0, limits.lowSpeedSeconds))
        if limits.maxBodyBytes > 0 {
            // Early refusal from Content-Length; the write callback enforces the limit on decoded bytes.
            try easy.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(limits.maxBodyBytes))
        }
        try easy.set(CURLOPT_ACCEPT_ENCODING, "")
        try easy.set(CURLOPT_USERAGENT, job.userAgent)
        // No proxy, not even from the environment: the address guard must see the real peer.
        try easy.set(CURLOPT_PROXY, "")
        // In-memory cookies for this transfer's redirect chain only (some CDNs set one, then redirect).
        try easy.set(CURLOPT_COOKIEFILE, "")
        // HTTP/2 and multiplexing are optional: a libcurl built without them still fetches over HTTP/1.1.
        try? easy.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        try? easy.set(CURLOPT_PIPEWAIT, 1)
        try easy.setRequestHeaders(requestHeaders())

        let context = Unmanaged.passUnretained(self).toOpaque()
        try easy.setDataCallback(CURLOPT_WRITEFUNCTION, data: CURLOPT_WRITEDATA, { data, size, count, context in
            guard let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }, context: context)
        try easy.setDataCallback(CURLOPT_HEADERFUNCTION, data: CURLOPT_HEADERDATA, { data, size, count, context in
            guard let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }, context: context)
        try easy.setPrerequestCallback({ context, peer, _, _, _ in
            guard let context else { return ccurl_prereq_abort() }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.admitsConnection(to: String(cString: peer)) ? ccurl_prereq_ok() : ccurl_prereq_abort()
        }, context: context)
    }

    /// `If-None-Match`, `If-Modified-Since` and `Accept` lines; validators that could not be sent
    /// safely as one header line (empty, or holding control characters) are left out.
    private func requestHeaders() -> [String] {
        func sendable(_ value: String?) -> String? {
            guard let value, !value.isEmpty, !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else { return nil }
            return value
        }
        var lines = ["Accept: \(Self.acceptedTypes)"]
        if let etag = sendable(job.request.etag) { lines.append("If-None-Match: \(etag)") }
        if let date = sendable(job.request.lastModified) { lines.append("If-Modified-Since: \(date)") }
        return lines
    }

    /// Whole milliseconds for a timeout in seconds, at least 1 (libcurl reads 0 as "no timeout").
    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds > 0 else { return 1 }
        return Int(min((seconds * 1000).rounded(.up), Double(Int32.max)))
    }

    // MARK: - Callbacks

    /// Keeps a chunk of decoded body; returns 0 (which makes libcurl abort) once the limit would be passed.
    private func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Int {
        guard chunk.count <= job.request.limits.maxBodyBytes - body.count else {
            exceededBodyLimit = true
            return 0
        }
        body.append(contentsOf: chunk)
        return chunk.count
    }

    /// Takes one header line; a status line also records which URL answered with which status, so the
    /// redirect chain can be told apart (libcurl reports only the final URL).
    private func receiveHeader(_ line: UnsafeRawBufferPointer) {
        if line.starts(with: "HTTP/".utf8) {
            let text = String(decoding: line, as: UTF8.self)
            // 1xx responses (100 Continue, 103 Early Hints) precede the real one and are not hops.
            if let status = ResponseHeaders.statusCode(ofStatusLine: text), status >= 200 {
                responses.append((status, easy.stringInfo(CURLINFO_EFFECTIVE_URL) ?? job.request.url))
            }
        }
        headers.consume(line: line)
    }

    /// Whether a request may go to `peer`, the connected IP address (empty for `file://`).
    private func admitsConnection(to peer: String) -> Bool {
        let hopHost = easy.stringInfo(CURLINFO_EFFECTIVE_URL).flatMap(CurlURL.host(of:))
        switch job.request.privateAddresses {
        case .allowed:
            return true
        case .requestHostOnly where hopHost != nil && hopHost == requestHost:
            return true
        case .requestHostOnly, .refused:
            break
        }
        if peer.isEmpty {
            // Only a local file has no peer; anything else without an address is refused.
            if easy.stringInfo(CURLINFO_SCHEME)?.lowercased() == "file" { return true }
            refusedPeer = ("(none)", "unknown", hopHost)
            return false
        }
        guard let scope = AddressScope(address: peer) else {
            refusedPeer = (peer, "unrecognised", hopHost)
            return false
        }
        guard scope.isPublic else {
            refusedPeer = (peer, scope.label, hopHost)
            return false
        }
        return true
    }

    // MARK: - Results

    private func response() -> FetchResponse {
        var status = easy.longInfo(CURLINFO_RESPONSE_CODE) ?? 0
        if status == 0, easy.stringInfo(CURLINFO_SCHEME)?.lowercased() == "file" { status = 200 }
        let microseconds = easy.offsetInfo(CURLINFO_TOTAL_TIME_T) ?? 0
        let now = Int(time(nil))
        return FetchResponse(
            status: status,
            body: status == 304 ? [] : body,
            contentType: headers.contentType,
            etag: headers.etag,
            lastModified: headers.lastModified,
            effectiveURL: easy.stringInfo(CURLINFO_EFFECTIVE_URL) ?? job.request.url,
            retryAfter: headers.retryAfterSeconds(now: now),
            duration: Double(microseconds) / 1_000_000,
            freshness: headers.freshness(now: now),
            redirects: redirects()
        )
    }

    /// The redirects followed: every recorded response but the last, paired with the URL that came next.
    private func redirects() -> [FetchRedirect] {
        zip(responses, responses.dropFirst()).compactMap { hop, next in
            (300..<400).contains(hop.status) ? FetchRedirect(status: hop.status, from: hop.url, to: next.url) : nil
        }
    }

    private func error(for result: CURLcode) -> FetchError {
        let detail = easy.errorMessage ?? String(cString: curl_easy_strerror(result))
        let code: FetchError.Code
        let summary: String
        if let refusedPeer {
            code = .addressNotAllowed
            let host = refusedPeer.host.map { " (\($0))" } ?? ""
            let hop = responses.isEmpty ? "" : " after \(responses.count) redirect(s)"
            summary = "refused to connect to \(refusedPeer.scope) address \(refusedPeer.address)\(host)\(hop)"
        } else if exceededBodyLimit || result == CURLE_FILESIZE_EXCEEDED {
            code = .bodyTooLarge
            summary = "body larger than \(job.request.limits.maxBodyBytes) bytes"
        } else {
            (code, summary) = Self.classify(result)
        }
        return FetchError(code: code, url: job.request.url, message: "\(summary) (\(detail))")
    }

    /// The error code and a short summary for a libcurl failure.
    private static func classify(_ result: CURLcode) -> (FetchError.Code, String) {
        switch result {
        case CURLE_OPERATION_TIMEDOUT:
            (.timeout, "timed out")
        case CURLE_UNSUPPORTED_PROTOCOL:
            (.protocolNotAllowed, "scheme not allowed")
        case CURLE_TOO_MANY_REDIRECTS:
            (.tooManyRedirects, "too many redirects")
        case CURLE_COULDNT_CONNECT:
            (.connectionFailed, "could not connect")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            (.dnsFailed, "host name did not resolve")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
             CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            (.tls, "TLS failed")
        case CURLE_PARTIAL_FILE:
            (.truncated, "the connection closed before the whole body arrived")
        case CURLE_URL_MALFORMAT:
            (.invalidURL, "invalid URL")
        default:
            (.transport, "transfer failed")
        }
    }
}
