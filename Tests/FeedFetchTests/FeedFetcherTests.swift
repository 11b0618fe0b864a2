import Foundation
import Testing
import FeedFetch
import TestSupport

/// Real transfers against a loopback server started by each test.
@Suite(.timeLimit(.minutes(1)))
struct FeedFetcherTests {
    /// Limits for loopback tests: short enough that a hang fails fast.
    private static let quickLimits = FetchLimits(connectTimeout: 5, totalTimeout: 10)

    private func request(_ url: String, limits: FetchLimits = quickLimits, etag: String? = nil, lastModified: String? = nil) -> FetchRequest {
        FetchRequest(url: url, etag: etag, lastModified: lastModified, limits: limits, allowPrivateAddresses: true)
    }

    // MARK: - Responses

    @Test func okResponseCarriesBodyTypeAndValidators() async throws {
        let feed = Array("<rss version=\"2.0\"><channel><title>t</title></channel></rss>".utf8)
        let server = try TestServer { _ in
            .respond(status: 200, headers: [
                ("Content-Type", "application/rss+xml; charset=utf-8"), ("ETag", "\"v1\""),
                ("Last-Modified", "Tue, 01 Jul 2025 10:00:00 GMT"),
            ], body: feed)
        }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let response = try await fetcher.fetch(request(server.url("/feed.xml")))

        #expect(response.status == 200)
        #expect(response.body == feed)
        #expect(response.contentType == "application/rss+xml; charset=utf-8")
        #expect(response.etag == "\"v1\"")
        #expect(response.lastModified == "Tue, 01 Jul 2025 10:00:00 GMT")
        #expect(response.effectiveURL == server.url("/feed.xml"))
        #expect(response.retryAfter == nil)
        #expect(!response.isNotModified)
        let sent = try #require(server.requests.first)
        #expect(sent.headers["user-agent"] == FeedFetcher.defaultUserAgent)
        #expect(sent.headers["if-none-match"] == nil)
        #expect(sent.headers["accept"]?.contains("application/rss+xml") == true)
    }

    @Test func matchingValidatorsGiveNotModifiedWithEmptyBody() async throws {
        let server = try TestServer { request in
            request.headers["if-none-match"] == "\"v1\""
                ? .respond(status: 304, headers: [("ETag", "\"v1\"")])
                : .respond(status: 200, headers: [("ETag", "\"v1\"")], body: Array("full".utf8))
        }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        let date = "Tue, 01 Jul 2025 10:00:00 GMT"

        let response = try await fetcher.fetch(request(server.url("/feed"), etag: "\"v1\"", lastModified: date))

        #expect(response.status == 304)
        #expect(response.isNotModified)
        #expect(response.body.isEmpty)
        #expect(response.etag == "\"v1\"")
        let sent = try #require(server.requests.first)
        #expect(sent.headers["if-none-match"] == "\"v1\"")
        #expect(sent.headers["if-modified-since"] == date)
    }

    @Test func gzipBodyIsDecoded() async throws {
        let feed = Array(String(repeating: "<item><title>خبر عاجل</title></item>", count: 200).utf8)
        let compressed = try Gzip.compress(feed)
        let server = try TestServer { _ in
            .respond(status: 200, headers: [("Content-Encoding", "gzip"), ("Content-Type", "application/rss+xml")], body: compressed)
        }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let response = try await fetcher.fetch(request(server.url("/gz")))

        #expect(compressed.count < feed.count)
        #expect(response.body == feed)
        #expect(server.requests.first?.headers["accept-encoding"]?.contains("gzip") == true)
    }

    @Test func errorStatusesAreResponsesWithRetryAfterSeconds() async throws {
        let server = try TestServer { _ in .respond(status: 429, headers: [("Retry-After", "120")], body: Array("slow down".utf8)) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let response = try await fetcher.fetch(request(server.url("/busy")))

        #expect(response.status == 429)
        #expect(response.retryAfter == 120)
        #expect(response.body == Array("slow down".utf8))
    }

    @Test func retryAfterDateBecomesSecondsFromNow() async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let inAnHour = formatter.string(from: Date().addingTimeInterval(3600))
        let server = try TestServer { _ in .respond(status: 503, headers: [("Retry-After", inAnHour)]) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let response = try await fetcher.fetch(request(server.url("/down")))

        #expect(response.status == 503)
        let seconds = try #require(response.retryAfter)
        #expect(abs(seconds - 3600) < 10)
    }

    @Test func redirectsAreFollowedAndOnlyTheFinalHeadersKept() async throws {
        let server = try TestServer { request in
            request.path == "/old"
                ? .respond(status: 301, headers: [("Location", "/new"), ("ETag", "\"old\""), ("Retry-After", "60")], body: Array("moved".utf8))
                : .respond(status: 200, headers: [("Content-Type", "application/atom+xml")], body: Array("<feed/>".utf8))
        }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let response = try await fetcher.fetch(request(server.url("/old")))

        #expect(response.status == 200)
        #expect(response.effectiveURL == server.url("/new"))
        #expect(response.contentType == "application/atom+xml")
        #expect(response.etag == nil)
        #expect(response.retryAfter == nil)
        #expect(response.body == Array("<feed/>".utf8))
    }

    // MARK: - Limits

    @Test func redirectLoopStopsAtTheLimit() async throws {
        let server = try TestServer { request in .respond(status: 302, headers: [("Location", request.path + "x")]) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        var limits = Self.quickLimits
        limits.maxRedirects = 2

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(request(server.url("/r"), limits: limits)) }

        #expect(error?.code == .tooManyRedirects)
        #expect(server.requests.count == 3)
    }

    @Test func endlessBodyIsCutAtTheLimit() async throws {
        let server = try TestServer { _ in .endlessBody }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        var limits = Self.quickLimits
        limits.maxBodyBytes = 256 * 1024

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(request(server.url("/endless"), limits: limits)) }

        #expect(error?.code == .bodyTooLarge)
    }

    @Test func declaredOversizedBodyIsRefused() async throws {
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: 300 * 1024)
        let server = try TestServer { _ in .respond(status: 200, body: big) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        var limits = Self.quickLimits
        limits.maxBodyBytes = 100 * 1024

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(request(server.url("/big"), limits: limits)) }

        #expect(error?.code == .bodyTooLarge)
    }

    @Test func compressedBombIsCutOnDecodedBytes() async throws {
        let bomb = try Gzip.zeros(count: 20 << 20)
        let server = try TestServer { _ in .respond(status: 200, headers: [("Content-Encoding", "gzip")], body: bomb) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        var limits = Self.quickLimits
        limits.maxBodyBytes = 1 << 20

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(request(server.url("/bomb"), limits: limits)) }

        #expect(bomb.count < limits.maxBodyBytes)
        #expect(error?.code == .bodyTooLarge)
    }

    @Test func silentServerTimesOut() async throws {
        let server = try TestServer { _ in .stayQuiet }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        let start = ContinuousClock.now

        let error = await #expect(throws: FetchError.self) {
            _ = try await fetcher.fetch(request(server.url("/quiet"), limits: FetchLimits(connectTimeout: 1, totalTimeout: 1)))
        }

        #expect(error?.code == .timeout)
        // The server never answers: only the 1 s timeout ends the fetch (the bound allows a loaded machine).
        #expect(ContinuousClock.now - start < .seconds(15))
    }

    // MARK: - Refusals

    @Test func loopbackIsRefusedUnlessAllowed() async throws {
        let server = try TestServer { _ in .respond(status: 200, body: Array("secret".utf8)) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let error = await #expect(throws: FetchError.self) {
            _ = try await fetcher.fetch(FetchRequest(url: server.url("/admin"), limits: Self.quickLimits))
        }

        #expect(error?.code == .addressNotAllowed)
        #expect(error?.message.contains("127.0.0.1") == true)
        #expect(server.requests.isEmpty)
    }

    @Test func redirectToFileIsRefusedEvenWhenFileIsAllowed() async throws {
        let server = try TestServer { _ in .respond(status: 302, headers: [("Location", "file:///etc/passwd")]) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        let redirecting = FetchRequest(url: server.url("/to-file"), limits: Self.quickLimits, allowFile: true, allowPrivateAddresses: true)

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(redirecting) }

        #expect(error?.code == .protocolNotAllowed)
    }

    @Test func fileURLNeedsAllowFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("feedfetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("local.xml")
        let feed = Array("<rss><channel/></rss>".utf8)
        try Data(feed).write(to: file)
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        let url = "file://\(file.path)"

        let refused = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(FetchRequest(url: url)) }
        let response = try await fetcher.fetch(FetchRequest(url: url, allowFile: true))

        #expect(refused?.code == .protocolNotAllowed)
        #expect(response.status == 200)
        #expect(response.body == feed)
    }

    @Test func otherSchemesAreRefused() async throws {
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let error = await #expect(throws: FetchError.self) {
            _ = try await fetcher.fetch(FetchRequest(url: "ftp://127.0.0.1/feed.xml", allowFile: true, allowPrivateAddresses: true))
        }

        #expect(error?.code == .protocolNotAllowed)
    }

    // MARK: - Transport failures

    @Test func closedPortIsAConnectionFailure() async throws {
        let port = try TestServer.unusedPort()
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(request("http://127.0.0.1:\(port)/")) }

        #expect(error?.code == .connectionFailed)
        #expect(error?.description.hasPrefix("http://127.0.0.1:\(port)/: ") == true)
    }

    @Test func malformedURLIsReportedAsSuch() async throws {
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(request("http://[::1/feed")) }

        #expect(error?.code == .invalidURL)
    }

    // MARK: - Concurrency

    @Test func twentyConcurrentFetchesAllComplete() async throws {
        let server = try TestServer { request in .respond(status: 200, body: Array("feed \(request.path)".utf8)) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let bodies = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for index in 0..<20 {
                group.addTask { (index, try await fetcher.fetch(request(server.url("/\(index)"))).body) }
            }
            return try await group.reduce(into: [Int: [UInt8]]()) { $0[$1.0] = $1.1 }
        }

        #expect(bodies.count == 20)
        for index in 0..<20 { #expect(bodies[index] == Array("feed /\(index)".utf8)) }
    }

    @Test func cancellingTheAwaitingTaskStopsTheTransferPromptly() async throws {
        let server = try TestServer { _ in .stayQuiet }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        let slow = request(server.url("/quiet"), limits: FetchLimits(totalTimeout: 30))
        let task = Task { _ = try await fetcher.fetch(slow) }
        try await waitUntil { !server.requests.isEmpty }

        let start = ContinuousClock.now
        task.cancel()
        let result = await task.result

        // Well before the 30 s the transfer would otherwise wait (a loaded CI machine is slow to schedule).
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(Self.code(of: result) == .cancelled)
    }

    @Test func fetchFromAnAlreadyCancelledTaskSendsNothing() async throws {
        let server = try TestServer { _ in .respond(status: 200) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        let target = request(server.url("/never"))
        let task = Task {
            try? await Task.sleep(for: .seconds(30))  // ends early: the task is cancelled right away
            return try await fetcher.fetch(target)
        }

        task.cancel()
        let result = await task.result

        #expect(Self.code(of: result) == .cancelled)
        #expect(server.requests.isEmpty)
    }

    @Test func shutdownCancelsInFlightAndLaterFetches() async throws {
        let server = try TestServer { _ in .stayQuiet }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        let slow = request(server.url("/quiet"), limits: FetchLimits(totalTimeout: 30))
        let task = Task { _ = try await fetcher.fetch(slow) }
        try await waitUntil { !server.requests.isEmpty }

        fetcher.shutdown()
        let inFlight = await task.result
        let later = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(slow) }

        #expect(Self.code(of: inFlight) == .cancelled)
        #expect(later?.code == .cancelled)
    }

    // MARK: - Helpers

    /// The fetch error code in a task's result, or nil when it succeeded or failed otherwise.
    private static func code<Success>(of result: Result<Success, any Error>) -> FetchError.Code? {
        guard case .failure(let error) = result else { return nil }
        return (error as? FetchError)?.code
    }

    /// Polls `condition` every 10 ms for up to 30 s: only a sign of life, and a whole-suite run on 2 cores can
    /// leave this task unscheduled for seconds.
    private func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            try #require(ContinuousClock.now < deadline, "condition not met within 30 s")
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
