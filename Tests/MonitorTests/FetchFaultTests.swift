import Foundation
import Logging
@testable import Monitor
import Store
import Synchronization
import TestSupport
import Testing

/// Whole poll cycles through ``FeedMonitor`` against a loopback server that misbehaves in every way the
/// issue lists, with a real store and alert log: each broken feed gets the right error and next due time,
/// and the healthy feed polled in the same cycle is not affected.
@Suite(.timeLimit(.minutes(1)))
struct FetchFaultTests {
    // MARK: - 304

    @Test func theSecondCycleSendsTheValidatorsGetsNotModifiedAndParsesNothing() async throws {
        let lastModified = "Tue, 01 Jul 2025 10:00:00 GMT"
        let server = try TestServer { request in
            request.headers["if-none-match"] == "\"v1\""
                ? .respond(status: 304, headers: [("ETag", "\"v1\"")])
                : .respond(
                    status: 200, headers: MonitorHarness.rssType + [("ETag", "\"v1\""), ("Last-Modified", lastModified)],
                    body: MonitorHarness.rss(items: ["a", "b", "c"]))
        }
        defer { server.stop() }
        let url = server.url("/feed.xml")
        let harness = try MonitorHarness("notmodified", feeds: [.init(url: url, name: "feed")])

        let first = try #require(try await harness.cycle().first)
        let second = try #require(try await harness.cycle().first)

        #expect(first.status == 200)
        #expect(first.newItems == 3)
        #expect(second.status == 304)
        #expect(second.error == nil)
        #expect(second.items == 0, "a 304 is not parsed")
        #expect(second.newItems == 0)
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests.first?.headers["if-none-match"] == nil)
        #expect(requests.last?.headers["if-none-match"] == "\"v1\"")
        #expect(requests.last?.headers["if-modified-since"] == lastModified)
        #expect(try await harness.store.counts().items == 3)
        let state = try #require(try await harness.state(url))
        #expect(state.lastStatus == 304)
        #expect(state.etag == "\"v1\"")
        #expect(state.lastModified == lastModified)
        #expect(state.consecutiveFailures == 0)
        let delay = try #require(state.nextDueAt).timeIntervalSince(try #require(state.lastFetchAt))
        #expect(delay >= 810 && delay <= 990)
    }

    // MARK: - Every fault in one cycle

    /// A misbehaving feed: its path, what the server does, and what the feed's report must say.
    private struct Fault: Sendable {
        var path: String
        var reply: @Sendable (ReceivedRequest, UInt16) -> TestReply
        var error: String
        var delay: ClosedRange<Double>
    }

    @Test func eachFaultGetsItsErrorAndNextDueWhileTheHealthyFeedIsUnaffected() async throws {
        let bomb = try Self.gzipBomb()
        let feedBytes = MonitorHarness.rss(items: ["x", "y", "z"])
        let backoff = 54.0...66.0  // first failure: one minute, ±10%
        let faults: [Fault] = [
            Fault(path: "/500", reply: { _, _ in .respond(status: 500) }, error: "HTTP 500", delay: backoff),
            Fault(
                path: "/429", reply: { _, _ in .respond(status: 429, headers: [("Retry-After", "120")]) },
                error: "HTTP 429", delay: 120...120),
            Fault(
                path: "/503", reply: { _, _ in .respond(status: 503, headers: [("Retry-After", "300")]) },
                error: "HTTP 503", delay: 300...300),
            Fault(path: "/drip", reply: { _, _ in .drip(interval: .milliseconds(200)) }, error: "timeout", delay: backoff),
            Fault(
                path: "/truncated", reply: { _, _ in .truncatedChunkedBody(Array(feedBytes.prefix(feedBytes.count / 2))) },
                error: "truncated", delay: backoff),
            Fault(
                path: "/wrong-length", reply: { _, _ in .wrongLength(declaredLength: feedBytes.count + 500, body: feedBytes) },
                error: "truncated", delay: backoff),
            Fault(
                path: "/loop", reply: { request, _ in .respond(status: 302, headers: [("Location", request.path + "x")]) },
                error: "tooManyRedirects", delay: backoff),
            Fault(
                path: "/to-file", reply: { _, _ in .respond(status: 301, headers: [("Location", "file:///etc/passwd")]) },
                error: "protocolNotAllowed", delay: backoff),
            Fault(
                path: "/to-private",
                reply: { _, port in .respond(status: 302, headers: [("Location", "http://localhost:\(port)/internal")]) },
                error: "addressNotAllowed", delay: backoff),
            Fault(
                path: "/bomb",
                reply: { _, _ in .respond(status: 200, headers: MonitorHarness.rssType + [("Content-Encoding", "gzip")], body: bomb) },
                error: "bodyTooLarge", delay: backoff),
            Fault(path: "/endless", reply: { _, _ in .endlessChunkedBody }, error: "bodyTooLarge", delay: backoff),
            Fault(
                path: "/html",
                reply: { _, _ in .respond(status: 200, headers: [("Content-Type", "text/html")], body: Array("<html><body>hi</body></html>".utf8)) },
                error: "not a feed", delay: backoff),
            Fault(path: "/gone", reply: { _, _ in .respond(status: 410) }, error: "HTTP 410", delay: (0.9 * 86_400)...(1.1 * 86_400)),
        ]
        let byPath = Dictionary(uniqueKeysWithValues: faults.map { ($0.path, $0) })
        let portBox = Shared<UInt16>(0)
        let server = try TestServer { request in
            if request.path == "/ok" { return .respond(status: 200, headers: MonitorHarness.rssType, body: feedBytes) }
            if request.path == "/internal" { return .respond(status: 200, headers: MonitorHarness.rssType, body: feedBytes) }
            let path = byPath.keys.filter { request.path.hasPrefix($0) }.max { $0.count < $1.count }
            guard let path, let fault = byPath[path] else { return .respond(status: 404) }
            return fault.reply(request, portBox.value)
        }
        defer { server.stop() }
        portBox.value = server.port
        let feeds = [MonitorHarness.Feed(url: server.url("/ok"), name: "ok")]
            + faults.map { MonitorHarness.Feed(url: server.url($0.path), name: String($0.path.dropFirst())) }
        let harness = try MonitorHarness("faults", feeds: feeds)
        let peakBefore = peakResidentBytes()

        let reports = try await harness.cycle()

        #expect(reports.count == feeds.count)
        let ok = try #require(reports.first { $0.url == server.url("/ok") })
        #expect(ok.error == nil)
        #expect(ok.status == 200)
        #expect(ok.newItems == 3)
        let okState = try #require(try await harness.state(server.url("/ok")))
        #expect(okState.consecutiveFailures == 0)
        #expect(okState.lastError == nil)
        let okDelay = try #require(okState.nextDueAt).timeIntervalSince(try #require(okState.lastFetchAt))
        #expect(okDelay >= 810 && okDelay <= 990)

        for fault in faults {
            let url = server.url(fault.path)
            let report = try #require(reports.first { $0.url == url })
            let state = try #require(try await harness.state(url))
            #expect(report.error?.hasPrefix(fault.error) == true, "\(fault.path): \(report.error ?? "no error")")
            #expect(state.lastError == report.error, "\(fault.path)")
            #expect(state.consecutiveFailures == 1, "\(fault.path)")
            let delay = try #require(state.nextDueAt).timeIntervalSince(try #require(state.lastFetchAt))
            #expect(fault.delay.contains(delay), "\(fault.path): next due in \(delay) s, expected \(fault.delay)")
        }
        #expect(try await harness.store.counts().items == 3, "only the healthy feed stored items")
        #expect(!server.requests.contains { $0.path == "/internal" }, "the redirect to a private host was not followed")
        #expect(
            harness.logs.all.contains { $0.level == .error && $0.message.contains("410") },
            "a gone feed is reported at error level")
        if let peakBefore, let peakAfter = peakResidentBytes() {
            // The bomb inflates to 1 GiB and the endless body never stops: both were cut at 10 MiB.
            #expect(peakAfter - peakBefore < 512 << 20, "peak RSS grew by \((peakAfter - peakBefore) >> 20) MiB")
        }
    }

    // MARK: - Backoff

    @Test func backoffGrowsWithEachFailureAndResetsAfterASuccess() async throws {
        let failing = Shared(true)
        let server = try TestServer { _ in
            failing.value
                ? .respond(status: 500)
                : .respond(status: 200, headers: MonitorHarness.rssType, body: MonitorHarness.rss(items: ["a"]))
        }
        defer { server.stop() }
        let url = server.url("/flaky")
        let harness = try MonitorHarness("backoff", feeds: [.init(url: url, name: "flaky")])

        var delays: [Double] = []
        for _ in 0..<4 {
            _ = try await harness.cycle()
            let state = try #require(try await harness.state(url))
            delays.append(try #require(state.nextDueAt).timeIntervalSince(try #require(state.lastFetchAt)))
        }
        let failedState = try #require(try await harness.state(url))
        failing.value = false
        _ = try await harness.cycle()
        let recovered = try #require(try await harness.state(url))

        #expect(failedState.consecutiveFailures == 4)
        #expect((54...66).contains(delays[0]))
        #expect((108...132).contains(delays[1]))
        #expect((216...264).contains(delays[2]))
        #expect((432...528).contains(delays[3]))
        #expect(recovered.consecutiveFailures == 0)
        #expect(recovered.lastError == nil)
        #expect(recovered.lastSuccessAt != nil)
        #expect(failedState.lastSuccessAt == nil)
        let delay = try #require(recovered.nextDueAt).timeIntervalSince(try #require(recovered.lastFetchAt))
        #expect(delay >= 810 && delay <= 990, "back on the 15-minute interval")
    }

    /// The 1 MiB gzip that inflates to 1 GiB, from its twice-gzipped fixture.
    static func gzipBomb() throws -> [UInt8] {
        let fixture = TestPaths.fixtures.appendingPathComponent("FeedFetch/zeros-1gib.gz.gz")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", fixture.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return [UInt8](data)
    }
}

/// A value shared between a test and its server's route closure.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { storage = Mutex(value) }

    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
