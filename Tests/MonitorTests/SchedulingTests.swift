import Foundation
import Logging
@testable import Monitor
import Store
import TestSupport
import Testing

/// The order a batch of due feeds starts in: round-robin over hosts, a per-host limit, a gap between starts.
@Suite struct PollQueueTests {
    let start = ContinuousClock.now

    @Test func hostsTakeTurnsAndEachHostKeepsItsOrder() {
        var queue = PollQueue(hosts: ["a", "a", "a", "b", "c", "c"], perHostLimit: 10, gap: .zero)
        var order: [Int] = []
        while let index = queue.next(now: start) { order.append(index) }
        #expect(order == [0, 3, 4, 1, 5, 2])
        #expect(queue.isEmpty)
    }

    @Test func aHostRunsAtMostItsLimitUntilAFetchEnds() {
        var queue = PollQueue(hosts: ["a", "a", "a", "b"], perHostLimit: 2, gap: .zero)
        #expect(queue.next(now: start) == 0)
        #expect(queue.next(now: start) == 3)
        #expect(queue.next(now: start) == 1)
        #expect(queue.next(now: start) == nil, "a has two fetches in flight")
        queue.fetchEnded(0)
        queue.fetchEnded(0)  // a second call for the same feed frees nothing more
        #expect(queue.next(now: start) == 2)
        #expect(queue.isEmpty)
    }

    @Test func startsToOneHostAreSpacedByTheGapButOtherHostsGoAtOnce() {
        var queue = PollQueue(hosts: ["a", "a", "b"], perHostLimit: 5, gap: .seconds(2))
        #expect(queue.next(now: start) == 0)
        #expect(queue.next(now: start) == 2)
        #expect(queue.next(now: start) == nil)
        #expect(queue.nextReadyTime(after: start) == start + .seconds(2))
        #expect(queue.next(now: start + .seconds(1)) == nil)
        #expect(queue.next(now: start + .seconds(2)) == 1)
        #expect(queue.nextReadyTime(after: start + .seconds(2)) == nil)
    }

    @Test func theGapCarriesOverFromAnEarlierBatch() {
        var queue = PollQueue(hosts: ["a"], perHostLimit: 5, gap: .seconds(1), lastStarts: ["a": start])
        #expect(queue.next(now: start + .milliseconds(500)) == nil)
        #expect(queue.next(now: start + .seconds(1)) == 0)
        #expect(queue.lastStarts["a"] == start + .seconds(1))
    }

    @Test func aHostWaitingForASlotIsNotWaitingOnTime() {
        var queue = PollQueue(hosts: ["a", "a"], perHostLimit: 1, gap: .seconds(1))
        #expect(queue.next(now: start) == 0)
        #expect(queue.nextReadyTime(after: start) == nil, "a waits for its fetch to end, not for a clock")
        queue.fetchEnded(0)
        #expect(queue.nextReadyTime(after: start) == start + .seconds(1))
    }

    @Test func feedsWithoutAHostAreNeverHeldBack() {
        var queue = PollQueue(hosts: ["", "", ""], perHostLimit: 1, gap: .seconds(60))
        var order: [Int] = []
        while let index = queue.next(now: start) { order.append(index) }
        #expect(order == [0, 1, 2])
    }

    @Test func hostKeysIgnoreCaseAndPathAndFilesHaveNone() {
        #expect(PollQueue.hostKey(of: "https://Feeds.Example.org/rss?x=1") == "feeds.example.org")
        #expect(PollQueue.hostKey(of: "file:///tmp/feed.xml") == "")
    }
}

/// Scheduling decisions that need a server: server hints, redirects, gone feeds, per-host spacing.
@Suite(.timeLimit(.minutes(1)))
struct SchedulingTests {
    // MARK: - Server hints

    @Test func ttlAndMaxAgePushTheNextPollLaterAndTtlOutlivesA304() async throws {
        let server = try TestServer { request in
            switch request.path {
            case "/ttl":
                return request.headers["if-none-match"] == "\"t\""
                    ? .respond(status: 304, headers: [("ETag", "\"t\"")])
                    : .respond(
                        status: 200, headers: MonitorHarness.rssType + [("ETag", "\"t\"")],
                        body: MonitorHarness.rss(items: ["a"], ttl: 120))
            case "/max-age":
                return .respond(
                    status: 200, headers: MonitorHarness.rssType + [("Cache-Control", "max-age=3600")],
                    body: MonitorHarness.rss(items: ["b"]))
            default:
                return .respond(
                    status: 200, headers: MonitorHarness.rssType + [("Cache-Control", "max-age=0")],
                    body: MonitorHarness.rss(items: ["c"]))
            }
        }
        defer { server.stop() }
        let harness = try MonitorHarness(
            "hints",
            feeds: [
                .init(url: server.url("/ttl"), name: "ttl"), .init(url: server.url("/max-age"), name: "maxage"),
                .init(url: server.url("/no-cache"), name: "nocache"),
            ])

        _ = try await harness.cycle()
        let ttl = try await delay(of: server.url("/ttl"), in: harness)
        let maxAge = try await delay(of: server.url("/max-age"), in: harness)
        let noCache = try await delay(of: server.url("/no-cache"), in: harness)
        _ = try await harness.cycle()
        let ttlAfter304 = try await delay(of: server.url("/ttl"), in: harness)

        #expect((7200...7920).contains(ttl), "<ttl>120</ttl> is two hours: \(ttl)")
        #expect((3600...3960).contains(maxAge), "max-age=3600: \(maxAge)")
        #expect((810...990).contains(noCache), "max-age=0 leaves the 15-minute interval: \(noCache)")
        #expect(try await harness.state(server.url("/ttl"))?.lastStatus == 304)
        #expect((7200...7920).contains(ttlAfter304), "the stored ttl still counts after a 304: \(ttlAfter304)")
    }

    @Test func serverHintsStayWithinTheMaximumInterval() async throws {
        let server = try TestServer { _ in
            .respond(
                status: 200, headers: MonitorHarness.rssType + [("Cache-Control", "max-age=31536000")],
                body: MonitorHarness.rss(items: ["a"], ttl: 100_000))
        }
        defer { server.stop() }
        var settings = MonitorHarness.testScheduling
        settings.maximumInterval = 7200
        let harness = try MonitorHarness("cap", feeds: [.init(url: server.url("/year"), name: "year")], scheduling: settings)

        _ = try await harness.cycle()

        let delay = try await delay(of: server.url("/year"), in: harness)
        #expect((7200...7920).contains(delay), "capped at two hours: \(delay)")
    }

    // MARK: - Redirects

    @Test func aPermanentRedirectSeenOnTwoPollsMovesTheFeedAndTheConfigCanFollow() async throws {
        let server = try TestServer { request in
            request.path == "/old"
                ? .respond(status: 301, headers: [("Location", "/new")])
                : .respond(status: 200, headers: MonitorHarness.rssType, body: MonitorHarness.rss(items: ["a", "b"]))
        }
        defer { server.stop() }
        let old = server.url("/old")
        let new = server.url("/new")
        let harness = try MonitorHarness("moved", feeds: [.init(url: old, name: "moving")])

        _ = try await harness.cycle()
        let afterOne = try #require(try await harness.state(old))
        _ = try await harness.cycle()
        let afterTwo = try #require(try await harness.state(old))
        let requestsBefore = server.requests.count
        _ = try await harness.cycle()
        let third = Array(server.requests.dropFirst(requestsBefore))

        #expect(afterOne.fetchURL == nil, "one sighting is not enough")
        #expect(afterOne.pendingRedirect == PendingRedirect(url: new, seen: 1))
        #expect(afterTwo.fetchURL == new)
        #expect(afterTwo.pendingRedirect == nil)
        #expect(afterTwo.requestURL == new)
        #expect(third.map(\.path) == ["/new"], "the old URL is no longer asked")
        #expect(
            harness.logs.all.contains { $0.level == .notice && $0.message.contains("moved permanently") && $0.message.contains(new) })

        // The user updates the config as the log line says: the feed keeps its row, items and state.
        try harness.rewriteConfig(feeds: [.init(url: new, name: "moving")])
        let reports = try await harness.cycle()
        let adopted = try #require(try await harness.state(new))
        #expect(adopted.feedID == afterTwo.feedID)
        #expect(adopted.fetchURL == nil)
        #expect(reports.first?.newItems == 0, "items already stored are not new again")
        #expect(try await harness.store.counts().items == 2)
    }

    @Test func aTemporaryRedirectIsNeverRemembered() async throws {
        let server = try TestServer { request in
            request.path == "/feed"
                ? .respond(status: 302, headers: [("Location", "/today")])
                : .respond(status: 200, headers: MonitorHarness.rssType, body: MonitorHarness.rss(items: ["a"]))
        }
        defer { server.stop() }
        let url = server.url("/feed")
        let harness = try MonitorHarness("temporary", feeds: [.init(url: url, name: "temp")])

        for _ in 0..<3 { _ = try await harness.cycle() }

        let state = try #require(try await harness.state(url))
        #expect(state.fetchURL == nil)
        #expect(state.pendingRedirect == nil)
        #expect(server.requests.map(\.path) == ["/feed", "/today", "/feed", "/today", "/feed", "/today"])
    }

    @Test func aPermanentRedirectSeenOnlyOnceIsForgotten() async throws {
        let redirecting = Shared(true)
        let server = try TestServer { request in
            request.path == "/feed" && redirecting.value
                ? .respond(status: 308, headers: [("Location", "/elsewhere")])
                : .respond(status: 200, headers: MonitorHarness.rssType, body: MonitorHarness.rss(items: ["a"]))
        }
        defer { server.stop() }
        let url = server.url("/feed")
        let harness = try MonitorHarness("once", feeds: [.init(url: url, name: "once")])

        _ = try await harness.cycle()
        let seen = try await harness.state(url)?.pendingRedirect
        redirecting.value = false
        _ = try await harness.cycle()
        let state = try #require(try await harness.state(url))

        #expect(seen?.seen == 1)
        #expect(state.pendingRedirect == nil)
        #expect(state.fetchURL == nil)
    }

    // MARK: - Politeness

    @Test func startsToOneHostAreSpacedWhileAnotherHostIsNotHeldBack() async throws {
        let server = try TestServer { _ in
            .respond(status: 200, headers: MonitorHarness.rssType, body: MonitorHarness.rss(items: ["a"]))
        }
        defer { server.stop() }
        var settings = MonitorHarness.testScheduling
        settings.hostGap = 1
        let sameHost = (1...3).map { MonitorHarness.Feed(url: server.url("/same/\($0)"), name: "same\($0)") }
        let otherHost = MonitorHarness.Feed(url: "http://localhost:\(server.port)/other", name: "other")
        let harness = try MonitorHarness("gap", feeds: sameHost + [otherHost], scheduling: settings)
        let monitor = try harness.monitor()
        let states = try await monitor.registerFeeds()

        let started = ContinuousClock.now
        let reports = try await monitor.poll(states)

        #expect(reports.allSatisfy { $0.error == nil }, "\(reports.compactMap(\.error))")
        let requests = server.requests
        let same = requests.filter { $0.path.hasPrefix("/same/") }.map(\.receivedAt).sorted()
        #expect(same.count == 3)
        // A request arrives after its fetch started, so the i-th arrival is no earlier than the i-th start,
        // which the gap puts at least i seconds after the cycle began.
        for (index, arrival) in same.enumerated() {
            #expect(arrival - started >= .seconds(index), "request \(index) arrived \(arrival - started) into the cycle")
        }
        // Held behind that host's gap, the other feed would come fourth, at least 3 s in; it starts alongside
        // the first instead. (Compared with the same host's arrivals, not the clock: a loaded machine delays
        // every task alike.)
        let other = try #require(requests.first { $0.path == "/other" })
        #expect(other.receivedAt < same[2], "the other host did not wait behind the first host's gap")
    }

    private func delay(of url: String, in harness: MonitorHarness) async throws -> Double {
        let state = try #require(try await harness.state(url))
        return try #require(state.nextDueAt).timeIntervalSince(try #require(state.lastFetchAt))
    }
}
