public import AlertLog
import Analysis
public import FeedFetch
import FeedParse
import Foundation
import ServiceLifecycle
public import Logging
public import Store

/// What one poll of one feed did.
public struct FeedReport: Sendable, Equatable {
    /// The feed's URL.
    public var url: String
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// Why the fetch or parse failed, if it did.
    public var error: String?
    /// Items in the feed.
    public var items: Int
    /// Items not seen before, analysed and stored.
    public var newItems: Int
    /// Alerts raised.
    public var alerts: Int
    /// The kind of failure, for metrics: `timeout`, `dns`, `http_503`, `parse`, ...; nil on success.
    public var errorKind: String? = nil
    /// Seconds the fetch took.
    public var duration: Double? = nil
    /// The topic of each alert raised.
    public var alertTopics: [String] = []
}

/// The pipeline for one feed at a time: fetch, parse, drop seen items, analyse the new ones, commit the
/// batch in one transaction, then append the committed alerts to the log.
public final class FeedMonitor: Sendable {
    private let configuration: LoadedConfiguration
    private let store: FeedStore
    private let publisher: AlertPublisher
    private let fetcher: FeedFetcher
    private let logger: Logger
    private let policy = PollPolicy()

    /// Creates a monitor over an open store and log.
    public init(
        configuration: LoadedConfiguration, store: FeedStore, log: AlertLogWriter, fetcher: FeedFetcher, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.publisher = AlertPublisher(store: store, log: log)
        self.fetcher = fetcher
        self.logger = logger
    }

    /// The settings in use.
    public var config: FeedwatchConfig { configuration.config }

    /// Appends every committed alert the log lacks (after a crash between commit and append).
    /// - Returns: how many lines were appended.
    @discardableResult
    public func catchUpAlertLog() async throws -> Int {
        try await publisher.publishPending()
    }

    /// Makes sure every configured feed has a row in the store and returns their states.
    public func registerFeeds() async throws(StoreError) -> [FeedFetchState] {
        try await store.registerFeeds(config.feeds.map { ($0.url, $0.name) })
    }

    /// Polls every configured feed once, `poll.concurrency` at a time.
    public func pollAll() async throws -> [FeedReport] {
        let states = try await registerFeeds()
        return try await poll(states)
    }

    /// Polls the given feeds, `poll.concurrency` at a time, and returns a report per feed in input order.
    /// `onFeedDone` hears of each feed as it finishes (the watchdog's sign of progress).
    public func poll(
        _ feeds: [FeedFetchState], onFeedDone: (@Sendable (FeedReport) -> Void)? = nil
    ) async throws -> [FeedReport] {
        let limit = max(1, config.poll.concurrency)
        var reports = [FeedReport?](repeating: nil, count: feeds.count)
        try await withThrowingTaskGroup(of: (Int, FeedReport).self) { group in
            var next = 0
            func launch() {
                let index = next
                let state = feeds[index]
                next += 1
                group.addTask { (index, try await self.poll(state)) }
            }
            while next < min(limit, feeds.count) { launch() }
            while let (index, report) = try await group.next() {
                reports[index] = report
                onFeedDone?(report)
                // On a graceful stop, finish the fetches in flight but start no more.
                if next < feeds.count && !Task.isShuttingDownGracefully { launch() }
            }
        }
        return reports.compactMap { $0 }
    }

    /// The stored state of every configured feed, read-only (nothing is written, so it works on a full disk).
    public func configuredFeedStates() async throws(StoreError) -> [FeedFetchState] {
        let urls = Set(config.feeds.map(\.url))
        return try await store.feedStates().filter { urls.contains($0.url) }
    }

    /// Polls one feed: the whole pipeline, ending in one committed batch and the log catching up.
    public func poll(_ state: FeedFetchState) async throws -> FeedReport {
        guard let feed = config.feeds.first(where: { $0.url == state.url }) else {
            return FeedReport(url: state.url, status: nil, error: "not in the config", items: 0, newItems: 0, alerts: 0)
        }
        var logger = self.logger
        logger[metadataKey: "feed"] = "\(feed.name)"
        let interval = feed.interval ?? config.poll.interval
        let request = FetchRequest(
            url: feed.url,
            etag: state.etag,
            lastModified: state.lastModified,
            limits: FetchLimits(totalTimeout: config.poll.timeout),
            allowFile: feed.allowFile,
            allowPrivateAddresses: feed.allowPrivateAddresses ?? config.allowPrivateAddresses
        )
        let started = Date()
        var record = FetchRecord(
            fetchedAt: started, status: nil, error: nil, etag: state.etag, lastModified: state.lastModified,
            consecutiveFailures: 0, nextDueAt: started, bytes: nil, duration: nil)
        var report = FeedReport(url: feed.url, status: nil, error: nil, items: 0, newItems: 0, alerts: 0)
        var processed: [ProcessedItem] = []
        var retryAfter: Double?

        do {
            let response = try await fetcher.fetch(request)
            record.status = response.status
            record.bytes = response.body.count
            record.duration = response.duration
            report.status = response.status
            retryAfter = response.retryAfter
            switch response.status {
            case 304:
                logger.debug("not modified")
            case 200..<300:
                let parsed = try FeedParser.parse(response.body, contentType: response.contentType, baseURL: feed.url)
                for problem in parsed.problems.prefix(5) {
                    logger.info("feed problem: \(problem)")
                }
                report.items = parsed.items.count
                let unseen = try await store.unseenKeys(feedID: state.feedID, among: parsed.items.map(\.key))
                // Feeds list newest first; store and alert oldest first.
                for item in parsed.items.reversed() where unseen.contains(item.key) {
                    processed.append(analyse(item))
                }
                record.etag = response.etag
                record.lastModified = response.lastModified
            default:
                record.error = "HTTP \(response.status)"
                report.errorKind = "http_\(response.status)"
            }
        } catch let error as FetchError {
            record.error = error.description
            report.errorKind = error.code.description
        } catch let error as FeedParseError {
            record.error = "not a feed: \(error)"
            report.errorKind = "parse"
        }

        let finished = Date()
        record.fetchedAt = finished
        record.duration = record.duration ?? finished.timeIntervalSince(started)
        record.consecutiveFailures = record.error == nil ? 0 : state.consecutiveFailures + 1
        let delay = policy.delay(
            interval: interval, failures: record.consecutiveFailures, retryAfter: retryAfter,
            random: Double.random(in: 0..<1))
        record.nextDueAt = finished.addingTimeInterval(delay)
        if let error = record.error {
            report.error = error
            logger.warning(
                "poll failed (\(record.consecutiveFailures) in a row), next try in \(Int(delay)) s: \(error)")
        }

        let alerts = try await store.commit(FeedBatch(feedID: state.feedID, fetch: record, items: processed))
        report.newItems = processed.count
        report.alerts = alerts.count
        report.alertTopics = alerts.map(\.topic)
        report.duration = record.duration
        if !alerts.isEmpty {
            do {
                try await publisher.publishPending()
            } catch {
                // The alerts are committed; the log catches up at the end of the cycle or on the next start.
                logger.error("alert log not written yet: \(error)")
            }
            let ids = alerts.count == 1 ? "id \(alerts[0].id)" : "ids \(alerts[0].id)...\(alerts[alerts.count - 1].id)"
            logger.notice("\(alerts.count) alert(s), \(ids)")
        }
        return report
    }

    private func analyse(_ item: FeedItem) -> ProcessedItem {
        let article = Article(id: item.key, title: item.title, text: item.text)
        let analysis = configuration.analyzer.analyze(article)
        return ProcessedItem(
            key: item.key,
            keySource: item.keySource.rawValue,
            title: item.title,
            link: item.link,
            published: item.published,
            analysis: analysis,
            alertTopics: analysis.topics
        )
    }
}

/// Serializes appends to the alert log: each call appends every committed alert after the log's last id,
/// so the log never skips or repeats an id however commits interleave.
actor AlertPublisher {
    private let store: FeedStore
    private let log: AlertLogWriter

    init(store: FeedStore, log: AlertLogWriter) {
        self.store = store
        self.log = log
    }

    @discardableResult
    func publishPending() async throws -> Int {
        var written = 0
        while true {
            let pending = try await store.alerts(after: log.lastWrittenID, limit: 1_000)
            if pending.isEmpty { return written }
            written += try log.append(pending)
        }
    }
}
