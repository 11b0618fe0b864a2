import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-wide libcurl setup, done once before the first handle is made.
enum CurlRuntime {
    /// The result of `curl_global_init`, run exactly once on first use.
    ///
    /// SIGPIPE is ignored at the same time: a peer closing its socket mid-write must cost one transfer,
    /// not the process.
    static let initResult: CURLcode = {
        _ = signal(SIGPIPE, SIG_IGN)
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()
}

/// A libcurl call that failed while a handle was being set up.
struct CurlSetupError: Error, CustomStringConvertible {
    /// What was being done, e.g. "setting option 10002".
    var action: String
    /// libcurl's explanation of the failure.
    var reason: String

    var description: String { "libcurl failed \(action): \(reason)" }

    init(_ action: String, _ code: CURLcode) {
        self.action = action
        self.reason = String(cString: curl_easy_strerror(code))
    }
}

/// Owns one libcurl easy handle together with the request-header list and error buffer it points to;
/// all three are freed in `deinit`.
final class EasyHandle {
    /// The identity of a handle, to match libcurl's completion messages with transfers.
    struct Key: Hashable {
        fileprivate let address: UInt
    }

    fileprivate let pointer: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// A fresh handle with its error buffer attached; nil when libcurl cannot make one.
    init?() {
        guard CurlRuntime.initResult == CURLE_OK, let pointer = curl_easy_init() else { return nil }
        self.pointer = pointer
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        guard ccurl_easy_setopt_pointer(pointer, CURLOPT_ERRORBUFFER, errorBuffer) == CURLE_OK else { return nil }
    }

    deinit {
        curl_easy_cleanup(pointer)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// This handle's identity.
    var key: Key { Key(address: UInt(bitPattern: pointer)) }

    /// libcurl's detailed message for the last failure, or nil when it left none.
    var errorMessage: String? {
        let message = String(cString: errorBuffer).trimmingSuffixNewlines()
        return message.isEmpty ? nil : message
    }

    /// Sets a `long` option.
    func set(_ option: CURLoption, _ value: Int) throws(CurlSetupError) {
        try check(ccurl_easy_setopt_long(pointer, option, value), option)
    }

    /// Sets a `curl_off_t` option.
    func set(_ option: CURLoption, offset value: Int64) throws(CurlSetupError) {
        try check(ccurl_easy_setopt_off_t(pointer, option, curl_off_t(value)), option)
    }

    /// Sets a string option; libcurl keeps its own copy.
    func set(_ option: CURLoption, _ value: String) throws(CurlSetupError) {
        try check(value.withCString { ccurl_easy_setopt_string(pointer, option, $0) }, option)
    }

    /// Sets the extra request headers (`"Name: value"` lines); the list lives as long as the handle.
    func setRequestHeaders(_ lines: [String]) throws(CurlSetupError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let extended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw CurlSetupError("building the header list", CURLE_OUT_OF_MEMORY)
            }
            list = extended
        }
        let code = ccurl_easy_setopt_slist(pointer, CURLOPT_HTTPHEADER, list)
        curl_slist_free_all(headerList)
        headerList = list
        try check(code, CURLOPT_HTTPHEADER)
    }

    /// Installs the body (`CURLOPT_WRITEFUNCTION`) or header (`CURLOPT_HEADERFUNCTION`) callback with its context.
    func setDataCallback(
        _ option: CURLoption, data: CURLoption, _ callback: ccurl_data_callback, context: UnsafeMutableRawPointer
    ) throws(CurlSetupError) {
        try check(ccurl_easy_setopt_pointer(pointer, data, context), data)
        try check(ccurl_easy_setopt_data_callback(pointer, option, callback), option)
    }

    /// Installs the callback that approves each connection just before a request is sent on it.
    func setPrerequestCallback(_ callback: ccurl_prereq_callback, context: UnsafeMutableRawPointer) throws(CurlSetupError) {
        try check(ccurl_easy_setopt_pointer(pointer, CURLOPT_PREREQDATA, context), CURLOPT_PREREQDATA)
        try check(ccurl_easy_setopt_prereq_callback(pointer, callback), CURLOPT_PREREQFUNCTION)
    }

    /// A `long` transfer property, or nil when libcurl has none.
    func longInfo(_ info: CURLINFO) -> Int? {
        var value = 0
        return ccurl_easy_getinfo_long(pointer, info, &value) == CURLE_OK ? value : nil
    }

    /// A `curl_off_t` transfer property, or nil when libcurl has none.
    func offsetInfo(_ info: CURLINFO) -> Int64? {
        var value: curl_off_t = 0
        return ccurl_easy_getinfo_off_t(pointer, info, &value) == CURLE_OK ? Int64(value) : nil
    }

    /// A string transfer property, copied, or nil when libcurl has none.
    func stringInfo(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard ccurl_easy_getinfo_string(pointer, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(CurlSetupError) {
        guard code == CURLE_OK else { throw CurlSetupError("setting option \(option.rawValue)", code) }
    }
}

/// Owns one libcurl multi handle, freed in `deinit`.
///
/// `@unchecked Sendable`: the transfer loop's thread is the only caller of every method except `wakeUp()`,
/// which libcurl documents as safe to call from any thread; `deinit` runs only after the loop thread has
/// dropped its reference, since that thread keeps the owning loop alive while it runs.
final class MultiHandle: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer

    /// A multi handle capped at `maxConnectionsPerHost` and `maxConnections` open connections
    /// (extra transfers wait their turn); nil when libcurl cannot make one.
    init?(maxConnectionsPerHost: Int, maxConnections: Int) {
        guard CurlRuntime.initResult == CURLE_OK, let pointer = curl_multi_init() else { return nil }
        self.pointer = pointer
        _ = ccurl_multi_setopt_long(pointer, CURLMOPT_MAX_HOST_CONNECTIONS, max(0, maxConnectionsPerHost))
        _ = ccurl_multi_setopt_long(pointer, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(0, maxConnections))
    }

    deinit {
        curl_multi_cleanup(pointer)
    }

    /// Starts driving `easy`; the caller must keep it alive until `remove(_:)`.
    func add(_ easy: EasyHandle) -> CURLMcode {
        curl_multi_add_handle(pointer, easy.pointer)
    }

    /// Stops driving `easy` (finished or not).
    func remove(_ easy: EasyHandle) {
        _ = curl_multi_remove_handle(pointer, easy.pointer)
    }

    /// Moves every transfer along as far as it can go without waiting.
    func perform() {
        var running: Int32 = 0
        _ = curl_multi_perform(pointer, &running)
    }

    /// Sleeps until a socket is ready, libcurl's next timeout, `wakeUp()`, or `milliseconds` pass.
    func poll(milliseconds: Int32) {
        _ = curl_multi_poll(pointer, nil, 0, milliseconds, nil)
    }

    /// Interrupts a `poll(milliseconds:)` in progress on another thread (or makes the next one return at once).
    func wakeUp() {
        _ = curl_multi_wakeup(pointer)
    }

    /// The transfers that finished since the last call, with their result codes.
    func takeCompletions() -> [(handle: EasyHandle.Key, result: CURLcode)] {
        var completions: [(handle: EasyHandle.Key, result: CURLcode)] = []
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(pointer, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            completions.append((EasyHandle.Key(address: UInt(bitPattern: easy)), message.pointee.data.result))
        }
        return completions
    }
}

/// Reads parts of a URL with libcurl's own URL parser, so they match what libcurl connects to.
enum CurlURL {
    /// The host of `url`, lowercased and without IPv6 brackets; nil when `url` does not parse or has no host.
    static func host(of url: String) -> String? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK else { return nil }
        var part: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, CURLUPART_HOST, &part, 0) == CURLUE_OK, let part else { return nil }
        defer { curl_free(part) }
        var host = String(cString: part).lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : host
    }
}

extension String {
    /// The string without trailing CR and LF characters.
    fileprivate func trimmingSuffixNewlines() -> String {
        var result = Substring(self)
        while let last = result.last, last == "\n" || last == "\r" || last == "\r\n" { result = result.dropLast() }
        return String(result)
    }
}
