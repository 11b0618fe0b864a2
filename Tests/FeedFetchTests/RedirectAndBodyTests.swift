import Foundation
import Testing
import FeedFetch
import TestSupport

/// Redirect chains, host-scoped private-address access, broken bodies and freshness headers, each against a
/// loopback server started by the test.
@Suite(.timeLimit(.minutes(1)))
struct RedirectAndBodyTests {
    private static let quickLimits = FetchLimits(connectTimeout: 5, totalTimeout: 10)

    private func request(_ url: String, limits: FetchLimits = quickLimits) -> FetchRequest {
        FetchRequest(url: url, limits: limits, allowPrivateAddresses: true)
    }

    // MARK: - Redirect chains

    @Test func everyHopOfTheChainIsReportedWithItsStatus() async throws {
        let server = try TestServer { request in
            switch request.path {
            case "/a": .respond(status: 301, headers: [("Location", "/b")])
            case "/b": .respond(status: 302, headers: [("Location", "/c")])
            default: .respond(status: 200, body: Array("<rss/>".utf8))
            }
        }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let response = try await fetcher.fetch(request(server.url("/a")))

        #expect(response.redirects == [
            FetchRedirect(status: 301, from: server.url("/a"), to: server.url("/b")),
            FetchRedirect(status: 302, from: server.url("/b"), to: server.url("/c")),
        ])
        #expect(response.permanentRedirectURL == server.url("/b"), "only the permanent part of the chain counts")
        #expect(response.effectiveURL == server.url("/c"))
    }

    @Test func aTemporaryFirstHopMeansNoPermanentMove() async throws {
        let server = try TestServer { request in
            switch request.path {
            case "/a": .respond(status: 307, headers: [("Location", "/b")])
            case "/b": .respond(status: 308, headers: [("Location", "/c")])
            default: .respond(status: 200, body: Array("<rss/>".utf8))
            }
        }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let response = try await fetcher.fetch(request(server.url("/a")))

        #expect(response.redirects.map(\.status) == [307, 308])
        #expect(response.permanentRedirectURL == nil)
    }

    @Test func twoPermanentHopsLeadToTheLastOne() async throws {
        let server = try TestServer { request in
            switch request.path {
            case "/a": .respond(status: 308, headers: [("Location", "/b")])
            case "/b": .respond(status: 301, headers: [("Location", "/c")])
            default: .respond(status: 304)
            }
        }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let response = try await fetcher.fetch(request(server.url("/a")))

        #expect(response.status == 304)
        #expect(response.permanentRedirectURL == server.url("/c"))
    }

    @Test func noRedirectMeansAnEmptyChain() async throws {
        let server = try TestServer { _ in .respond(status: 200, body: Array("<rss/>".utf8)) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let response = try await fetcher.fetch(request(server.url("/feed")))

        #expect(response.redirects.isEmpty)
        #expect(response.permanentRedirectURL == nil)
    }

    // MARK: - Private addresses, host by host

    @Test func requestHostOnlyAdmitsTheFeedsOwnHostButNotWhereItRedirects() async throws {
        let server = try TestServer { request in
            request.path == "/elsewhere"
                ? .respond(status: 302, headers: [("Location", "http://localhost:\(request.headers["host"]?.split(separator: ":").last ?? "80")/secret")])
                : .respond(status: 200, body: Array("<rss/>".utf8))
        }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        var own = request(server.url("/feed"))
        own.privateAddresses = .requestHostOnly
        var redirected = request(server.url("/elsewhere"))
        redirected.privateAddresses = .requestHostOnly

        let response = try await fetcher.fetch(own)
        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(redirected) }

        #expect(response.status == 200)
        #expect(error?.code == .addressNotAllowed)
        #expect(error?.message.contains("localhost") == true)
        #expect(!server.requests.contains { $0.path == "/secret" })
    }

    @Test func allowPrivateAddressesMapsToTheAccessLevels() {
        var request = FetchRequest(url: "http://127.0.0.1/")
        #expect(request.privateAddresses == .refused)
        request.allowPrivateAddresses = true
        #expect(request.privateAddresses == .allowed)
        request.privateAddresses = .requestHostOnly
        #expect(!request.allowPrivateAddresses)
    }

    // MARK: - Broken bodies

    @Test func aBodyShortOfItsContentLengthIsTruncated() async throws {
        let server = try TestServer { _ in .wrongLength(declaredLength: 5000, body: Array("<rss><channel>".utf8)) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(request(server.url("/short"))) }

        #expect(error?.code == .truncated)
    }

    @Test func aChunkedBodyWithoutItsLastChunkIsTruncated() async throws {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 5000)
        let server = try TestServer { _ in .truncatedChunkedBody(body) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(request(server.url("/cut"))) }

        #expect(error?.code == .truncated)
    }

    @Test func anEndlessChunkedBodyIsCutAtTheLimit() async throws {
        let server = try TestServer { _ in .endlessChunkedBody }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        var limits = Self.quickLimits
        limits.maxBodyBytes = 512 * 1024

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(request(server.url("/endless"), limits: limits)) }

        #expect(error?.code == .bodyTooLarge)
    }

    @Test func aDrippingServerIsAbandonedAtTheLowSpeedLimit() async throws {
        let server = try TestServer { _ in .drip(interval: .milliseconds(200)) }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }
        let limits = FetchLimits(connectTimeout: 5, totalTimeout: 30, lowSpeedBytesPerSecond: 100, lowSpeedSeconds: 1)
        let start = ContinuousClock.now

        let error = await #expect(throws: FetchError.self) { _ = try await fetcher.fetch(request(server.url("/drip"), limits: limits)) }

        #expect(error?.code == .timeout)
        #expect(ContinuousClock.now - start < .seconds(20), "the low-speed limit, not the 30 s total, ended it")
    }

    // MARK: - Freshness

    @Test func maxAgeBecomesFreshness() async throws {
        let server = try TestServer { _ in
            .respond(status: 200, headers: [("Cache-Control", "public, max-age=600"), ("Age", "100")], body: Array("<rss/>".utf8))
        }
        defer { server.stop() }
        let fetcher = FeedFetcher()
        defer { fetcher.shutdown() }

        let response = try await fetcher.fetch(request(server.url("/cached")))

        #expect(response.freshness == 500)
    }
}
