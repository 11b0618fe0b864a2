public import AlertLog
import Analysis
public import FeedFetch
import FeedParse
public import Foundation
public import Logging
public import Store
import ServiceLifecycle
import Synchronization

/// What one poll of one feed did.
public struct FeedReport: Sendable, Equatable {
    /// The feed's configured URL.
    public var url: String
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// Why the fetch or parse failed, if it did.
    public var error: String?
    /// Items in the feed (0 for a 304: nothing was parsed).
    public var items: Int
    /// Items not seen before, analysed and stored.
    public var newItems: Int
    /// Alerts raised.
    public var alerts: Int
    /// When the feed is due next.
    public var nextDueAt: Date?
    /// The kind of failure, for metrics: `timeout`, `dns`, `http_503`, `parse`, ...; nil on success.
    public var errorKind: String? = nil
    /// Seconds the fetch took.
    public var duration: Double? = nil
    /// The topic of each alert raised.
    public var alertTopics: [String] = []
}

/// The pipeline for one feed at a time: fetch, parse, drop seen items, analyse the new ones, commit the
/// batch and the feed's next state in one transaction, then append the committed alerts to the log.
///
/// Scheduling lives here too: when each feed is due next (``PollPolicy``), which URL it is fetched from
/// (permanent redirects seen on two polls in a row move it), and in which order a batch of due feeds is
/// started (round-robin over hosts, a few fetches per host, starts to one host spaced apart).
public final class FeedMonitor: Sendable {
    /// Polls in a row that must see the same permanent redirect before the feed is fetched from its target.
    static let redirectConfirmations = 2

    private let configuration: LoadedConfiguration
    private let feedsByURL: [String: FeedConfig]
    private let store: FeedStore
    private let publisher: AlertPublisher
    private let committer: GroupCommitter
    private let fetcher: FeedFetcher
    private let logger: Logger
    private let scheduling: SchedulingSettings
    private let policy: PollPolicy
    /// When each host's latest fetch started, so the gap between starts holds across batches.
    private let hostStarts = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Creates a monitor over an open store and log.
    ///
    /// - Parameter scheduling: intervals, backoff, politeness and fetch limits beyond ``PollSettings``.
    public init(
        configuration: LoadedConfiguration, store: FeedStore, log: AlertLogWriter, fetcher: FeedFetcher, logger: Logger,
        scheduling: SchedulingSettings = SchedulingSettings()
    ) {
        self.configuration = configuration
        store.configure(configuration.config.alerting)
        self.feedsByURL = Dictionary(configuration.config.feeds.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        self.store = store
        self.publisher = AlertPublisher(store: store, log: log)
        // Half the pipeline's places: the rest are fetching, or hold batches whose alerts are being logged.
        let places = Self.pipelinePlaces(concurrency: configuration.config.poll.concurrency)
        var grouping = GroupCommitter.Grouping()
        grouping.fullGroup = min(grouping.fullGroup, places.total / 2)
        self.committer = GroupCommitter(store: store, publisher: publisher, grouping: grouping)
        self.fetcher = fetcher
        self.logger = logger
        self.scheduling = scheduling
        self.policy = PollPolicy(settings: scheduling)
    }

    /// The settings in use.
    public var config: FeedwatchConfig { configuration.config }

    /// Appends every committed alert the log lacks (after a crash between commit and append).
    /// - Returns: how many lines were appended.
    @discardableResult
    public func catchUpAlertLog() async throws -> Int {
        try await publisher.publishPending()
    }

    /// Makes sure every configured feed has a row in the store and returns their states, in config order.
    public func registerFeeds() async throws(StoreError) -> [FeedFetchState] {
        try await store.registerFeeds(config.feeds.map { ($0.url, $0.name) })
    }

    /// Polls every configured feed once.
    public func pollAll() async throws -> [FeedReport] {
        let states = try await registerFeeds()
        return try await poll(states)
    }

    /// The feeds that may fetch, parse and analyse at once, and the most in the pipeline in all, counting
    /// those whose batches wait for the store.
    /// (An eighth: at 32, 36 places held a 1,000-feed cycle's peak memory 1.7 MB lower than 40, in as little
    /// time, median of 8 alternating; more working places are what made cycles faster, not more waiting ones.)
    static func pipelinePlaces(concurrency: Int) -> (working: Int, total: Int) {
        let working = max(1, concurrency)
        return (working, working + max(1, working / 8))
    }

    /// Polls the given feeds and returns a report per feed, in input order.
    ///
    /// At most `poll.concurrency` feeds fetch, parse and analyse at once, at most
    /// ``SchedulingSettings/connectionsPerHost`` of them fetching from one host, and fetches from one host
    /// start ``SchedulingSettings/hostGap`` apart. Feeds are taken round-robin over their hosts, so one
    /// host with many feeds neither holds back the others nor is hit in a burst. A feed that has handed its
    /// batch to the store leaves its place to the next feed while the batch waits for its commit; in all,
    /// at most `poll.concurrency` plus an eighth as many (at least one) feeds are in the pipeline, which
    /// bounds the memory their batches hold.
    ///
    /// `onFeedDone` hears of each feed as it finishes (the watchdog's sign of progress). On a graceful stop
    /// the feeds in flight finish and no more start; the reports then cover only the feeds that ran.
    ///
    /// - Throws: the first store error (the feeds still in flight are cancelled); fetch and parse failures are
    ///   not thrown but recorded per feed.
    public func poll(
        _ feeds: [FeedFetchState], onFeedDone: (@Sendable (FeedReport) -> Void)? = nil
    ) async throws -> [FeedReport] {
        guard !feeds.isEmpty else { return [] }
        let (limit, places) = Self.pipelinePlaces(concurrency: config.poll.concurrency)
        var queue = PollQueue(
            hosts: feeds.map { PollQueue.hostKey(of: $0.requestURL) },
            perHostLimit: scheduling.connectionsPerHost,
            gap: .milliseconds(Int64((max(0, scheduling.hostGap) * 1000).rounded())),
            lastStarts: hostStarts.withLock { $0 })
        var reports = [FeedReport?](repeating: nil, count: feeds.count)
        let (events, sink) = AsyncStream.makeStream(of: PollEvent.self)

        // A discarding group: a feed's finished task is freed at once. A task group keeps each finished child
        // until its result is awaited, and results come through `events`, so a cycle held every feed's task
        // to the end (10 MB at 1,000 feeds).
        try await withThrowingDiscardingTaskGroup { group in
            // Feeds before their hand-off to the committer (at most `limit`), and feeds after it, waiting for
            // their commit and log append (at most `places` in all). Every feed hands off before it finishes.
            var running = 0
            var committing = 0
            func hasRoom() -> Bool { running < limit && running + committing < places }
            var timer: ContinuousClock.Instant?
            var iterator = events.makeAsyncIterator()
            while true {
                let now = ContinuousClock.now
                let stopping = Task.isShuttingDownGracefully
                while !stopping, hasRoom(), let index = queue.next(now: now) {
                    running += 1
                    let state = feeds[index]
                    group.addTask {
                        do {
                            let report = try await self.poll(
                                state, fetchEnded: { sink.yield(.fetchEnded(index)) },
                                handedOff: { sink.yield(.handedOff(index)) })
                            sink.yield(.finished(index, report))
                        } catch {
                            sink.yield(.failed(error))
                        }
                    }
                }
                if running == 0 && committing == 0 && (queue.isEmpty || stopping) { break }
                if hasRoom(), let ready = queue.nextReadyTime(after: now), timer.map({ ready < $0 }) ?? true {
                    // Feeds wait only for a host's gap: wake up when it has passed.
                    timer = ready
                    group.addTask {
                        try? await Task.sleep(until: ready, clock: .continuous)
                        sink.yield(.timer)
                    }
                }
                guard let event = await iterator.next() else { break }
                switch event {
                case .fetchEnded(let index):
                    queue.fetchEnded(index)
                case .handedOff:
                    running -= 1
                    committing += 1
                case .finished(let index, let report):
                    queue.fetchEnded(index)
                    reports[index] = report
                    committing -= 1
                    onFeedDone?(report)
                case .failed(let error):
                    throw error
                case .timer:
                    timer = nil
                }
            }
            sink.finish()
            group.cancelAll()
        }
        let horizon = ContinuousClock.now - .seconds(max(0, scheduling.hostGap))
        hostStarts.withLock { starts in
            starts.merge(queue.lastStarts) { max($0, $1) }
            starts = starts.filter { $0.value > horizon }
        }
        return reports.compactMap { $0 }
    }

    /// The stored state of every configured feed, read-only (nothing is written, so it works on a full disk).
    public func configuredFeedStates() async throws(StoreError) -> [FeedFetchState] {
        try await store.feedStates().filter { feedsByURL[$0.url] != nil }
    }

    /// Polls one feed, calling `fetchEnded` as soon as the network part is over (or was skipped), and
    /// `handedOff` when its batch goes to the committer.
    private func poll(
        _ state: FeedFetchState, fetchEnded: @Sendable () -> Void, handedOff: @Sendable () -> Void
    ) async throws -> FeedReport {
        guard let feed = feedsByURL[state.url] else {
            fetchEnded()
            handedOff()
            return FeedReport(url: state.url, status: nil, error: "not in the config", items: 0, newItems: 0, alerts: 0)
        }
        var logger = self.logger
        logger[metadataKey: "feed"] = "\(feed.name)"
        let interval = feed.interval ?? config.poll.interval
        let requestURL = state.requestURL
        var request = FetchRequest(
            url: requestURL,
            etag: state.etag,
            lastModified: state.lastModified,
            limits: FetchLimits(
                connectTimeout: scheduling.connectTimeout,
                totalTimeout: config.poll.timeout,
                lowSpeedBytesPerSecond: scheduling.lowSpeedBytesPerSecond,
                lowSpeedSeconds: scheduling.lowSpeedSeconds,
                maxBodyBytes: scheduling.maxBodyBytes),
            allowFile: feed.allowFile
        )
        request.privateAddresses = privateAddressAccess(for: feed)

        let started = Date()
        var record = FetchRecord(
            fetchedAt: started, status: nil, error: nil, etag: state.etag, lastModified: state.lastModified,
            consecutiveFailures: 0, nextDueAt: started, bytes: nil, duration: nil,
            fetchURL: state.fetchURL, pendingRedirect: state.pendingRedirect, ttlMinutes: state.ttlMinutes)
        var report = FeedReport(url: feed.url, status: nil, error: nil, items: 0, newItems: 0, alerts: 0)
        var processed: [ProcessedItem] = []
        var retryAfter: Double?
        var freshness: Double?
        var isGone = false

        do {
            let response: FetchResponse
            do {
                defer { fetchEnded() }
                response = try await fetcher.fetch(request)
            }
            record.status = response.status
            record.bytes = response.body.count
            record.duration = response.duration
            report.status = response.status
            retryAfter = response.retryAfter
            freshness = response.freshness
            switch response.status {
            case 304:
                logger.debug("not modified")
                // RFC 9111 §4.3.4: a 304 updates the stored validators it carries.
                record.etag = response.etag ?? record.etag
                record.lastModified = response.lastModified ?? record.lastModified
            case 200..<300:
                let parsed = try FeedParser.parse(
                    response.body, contentType: response.contentType, baseURL: response.effectiveURL)
                for problem in parsed.problems.prefix(5) {
                    logger.info("feed problem: \(problem)")
                }
                report.items = parsed.items.count
                let unseen = try await store.unseenKeys(feedID: state.feedID, among: parsed.items.map(\.key))
                // Feeds list newest first; store and alert oldest first. Indices, not a filtered array of the
                // items: each item copied into it retains every string it holds.
                let items = parsed.items
                let fresh = items.indices.reversed().filter { unseen.contains(items[$0].key) }
                if !fresh.isEmpty {
                    processed = await LowPriorityThreads.analysis.run { fresh.map { self.analyse(items, at: $0) } }
                }
                record.etag = response.etag
                record.lastModified = response.lastModified
                record.ttlMinutes = parsed.ttl
            case 410:
                isGone = true
                record.error = "HTTP 410 Gone"
                report.errorKind = "http_410"
            default:
                record.error = "HTTP \(response.status)"
                report.errorKind = "http_\(response.status)"
            }
            if record.error == nil {
                followPermanentRedirect(response, from: requestURL, feed: feed, into: &record, logger: logger)
            }
        } catch let error as FetchError {
            record.error = "\(error.code): \(error.description)"
            report.errorKind = error.code.description
        } catch let error as FeedParseError {
            record.error = "\(error)"
            report.errorKind = "parse"
        }

        let finished = Date()
        record.fetchedAt = finished
        record.duration = record.duration ?? finished.timeIntervalSince(started)
        record.consecutiveFailures = record.error == nil ? 0 : state.consecutiveFailures + 1
        let random = Double.random(in: 0..<1)
        let delay: Double
        if isGone {
            delay = policy.delayWhenGone(random: random)
        } else if record.error != nil {
            delay = policy.delayAfterFailure(
                interval: interval, failures: record.consecutiveFailures, retryAfter: retryAfter, random: random)
        } else {
            let ttl = record.ttlMinutes.map { Double($0) * 60 }
            let hint = [ttl, freshness].compactMap { $0 }.max()
            delay = policy.delayAfterSuccess(interval: interval, serverHint: hint, random: random)
        }
        record.nextDueAt = finished.addingTimeInterval(delay)
        report.nextDueAt = record.nextDueAt
        if let error = record.error {
            report.error = error
            if isGone {
                logger.error(
                    "feed is gone (HTTP 410) at \(requestURL); retrying once a day; remove it from the config if it stays gone")
            } else {
                logger.warning(
                    "poll failed (\(record.consecutiveFailures) in a row), next try in \(Int(delay)) s: \(error)")
            }
        }

        // Returns once the batch is committed and its alerts are in the log; meanwhile the next feed may start
        // (signalled once the batch is queued, so batches are committed in the order feeds hand them off).
        report.newItems = processed.count
        let alerts = try await committer.commit(
            FeedBatch(feedID: state.feedID, fetch: record, items: consume processed), queued: handedOff)
        report.alerts = alerts.count
        report.alertTopics = alerts.map(\.topic)
        report.duration = record.duration
        if let first = alerts.first, let last = alerts.last {
            logger.notice("\(alerts.count) alert(s), \(first.id == last.id ? "id \(first.id)" : "ids \(first.id)...\(last.id)")")
        }
        return report
    }

    /// Updates the record's fetch URL and pending redirect from a successful response.
    ///
    /// A permanent redirect (301, 308 at the start of the chain) must be seen on
    /// ``redirectConfirmations`` successful polls in a row before the feed is fetched from its target;
    /// a temporary one (302, 303, 307) is never remembered. A poll that fails leaves the count as it was:
    /// it neither confirms nor contradicts the move. A move from https to http is never made.
    private func followPermanentRedirect(
        _ response: FetchResponse, from requestURL: String, feed: FeedConfig, into record: inout FetchRecord,
        logger: Logger
    ) {
        guard let target = response.permanentRedirectURL, target != requestURL,
            !(requestURL.lowercased().hasPrefix("https:") && target.lowercased().hasPrefix("http:"))
        else {
            record.pendingRedirect = nil
            return
        }
        let seen = (record.pendingRedirect?.url == target ? record.pendingRedirect?.seen ?? 0 : 0) + 1
        guard seen >= Self.redirectConfirmations else {
            record.pendingRedirect = PendingRedirect(url: target, seen: seen)
            logger.info("permanent redirect to \(target) seen; following it for good if the next poll sees it too")
            return
        }
        record.pendingRedirect = nil
        record.fetchURL = target == feed.url ? nil : target
        logger.notice(
            "feed moved permanently: fetching \(target) from now on instead of \(requestURL); update its url in \(config.file) (the feed keeps its items)"
        )
    }

    /// The address guard's setting for a feed: a top-level opt-in trusts every host; a feed's own opt-in
    /// trusts only the feed's host, not wherever it redirects.
    private func privateAddressAccess(for feed: FeedConfig) -> PrivateAddressAccess {
        switch feed.allowPrivateAddresses {
        case .some(false): .refused
        case .some(true): config.allowPrivateAddresses ? .allowed : .requestHostOnly
        case nil: config.allowPrivateAddresses ? .allowed : .refused
        }
    }

    /// Analyses item `index` of `items`, its fields read through the array (the item bound to a local would be
    /// a copy).
    private func analyse(_ items: [FeedItem], at index: Int) -> ProcessedItem {
        let article = Article(id: items[index].key, title: items[index].title, text: items[index].text)
        let analysis = configuration.analyzer.analyze(article)
        return ProcessedItem(
            key: items[index].key,
            keySource: items[index].keySource.rawValue,
            title: items[index].title,
            link: items[index].link,
            published: items[index].published,
            analysis: analysis,
            alertTopics: analysis.topics,
            datelineLength: Dateline.length(of: items[index].text)
        )
    }
}

/// What the feeds of one batch report to the loop that starts them.
private enum PollEvent: Sendable {
    /// Feed `index` is done with the network.
    case fetchEnded(Int)
    /// Feed `index` handed its batch to the committer.
    case handedOff(Int)
    /// Feed `index` went through the whole pipeline.
    case finished(Int, FeedReport)
    /// A feed's pipeline threw (a store failure): the batch stops.
    case failed(any Error)
    /// A host's gap may have passed.
    case timer
}

/// Group commit: one feed's batch is committed at once when the store is idle; batches that arrive while a
/// commit is in flight wait and go together in the next transaction. Under load (a cycle of 1,000 feeds
/// answering 304) this turns a thousand tiny transactions into a few dozen. A lone commit in a quiet store
/// starts at once; while commits follow each other closely, a small group waits a few milliseconds for more
/// batches: each transaction has a cost of its own (the log's sync, the last pages of every table and index
/// written again, the rows of the stories it touches), and in a busy cycle batches arrive every few
/// milliseconds.
///
/// Every batch stays atomic: a group commits all its batches or none. When a group fails, each of its batches is
/// retried alone, so one bad batch costs only its own feed. After each commit the new alerts go to the log, in
/// commit order, before the waiting feeds resume.
///
/// The groups are committed one after another on a thread of their own, so the next group starts the moment
/// the last one is committed. (Awaiting each commit from an actor started the next only once a thread of the
/// cooperative pool, busy analysing, came round to it, while the writer is what every feed waits for.)
final class GroupCommitter: Sendable {
    /// Most batches in one transaction, so one commit never holds the writer for long.
    static let maximumGroup = 64

    /// When a small group waits for more batches.
    struct Grouping: Sendable {
        /// A group this big is committed without waiting for more.
        var fullGroup = 8
        /// How long a smaller group waits for more batches...
        var linger: Duration = .milliseconds(10)
        /// ...when the last commit ended less than this ago.
        var busy: Duration = .milliseconds(50)
    }

    private typealias Waiter = (batch: FeedBatch, continuation: CheckedContinuation<Result<[Alert], any Error>, Never>)

    private struct State {
        var waiting: [Waiter] = []
        var isDraining = false
        /// The committing thread waits for `fullGroup` batches; the batch that completes it signals `arrivals`.
        var isWaitingForMore = false
        /// When the last group was committed (`DispatchTime` nanoseconds).
        var lastCommitted: UInt64 = 0
        /// The latest group's log append, while it runs.
        var publishing: Task<Void, Never>?
    }

    /// The committing thread.
    private let queue = DispatchQueue(label: "feedwatch.group-commit", qos: .userInitiated)

    private let store: FeedStore
    private let publisher: AlertPublisher
    private let state = Mutex(State())
    /// Signalled once by the batch that makes a waiting group full.
    private let arrivals = DispatchSemaphore(value: 0)

    /// `Grouping.fullGroup`, at least 1.
    private let fullGroup: Int
    /// `Grouping.linger` and `Grouping.busy` in nanoseconds.
    private let linger: UInt64
    private let busy: UInt64

    /// A committer whose small groups wait for more batches as `grouping` says.
    init(store: FeedStore, publisher: AlertPublisher, grouping: Grouping = Grouping()) {
        self.store = store
        self.publisher = publisher
        fullGroup = max(1, grouping.fullGroup)
        func nanoseconds(_ duration: Duration) -> UInt64 {
            UInt64(max(0, duration.components.seconds)) * 1_000_000_000
                + UInt64(max(0, duration.components.attoseconds)) / 1_000_000_000
        }
        linger = nanoseconds(grouping.linger)
        busy = nanoseconds(grouping.busy)
    }

    /// Commits `batch` (alone or with others), appends its alerts to the log, and returns them; `queued` is
    /// called once the batch is in line, before any batch handed in after it.
    /// - Throws: ``StoreError`` when the commit failed. A failed append does not fail the batch: its alerts
    ///   are committed, and the log catches up at the end of the cycle (which reports the error) or on start.
    func commit(_ batch: FeedBatch, queued: @Sendable () -> Void = {}) async throws -> [Alert] {
        let result = await withCheckedContinuation { continuation in
            let (starts, completes) = state.withLock { state in
                state.waiting.append((batch, continuation))
                defer { state.isDraining = true }
                let completes = state.isWaitingForMore && state.waiting.count >= fullGroup
                if completes { state.isWaitingForMore = false }
                return (!state.isDraining, completes)
            }
            queued()
            if starts { queue.async { self.drain() } }
            if completes { arrivals.signal() }
        }
        return try result.get()
    }

    /// Commits the waiting groups until none is left (on ``queue``).
    private func drain() {
        while true {
            waitForMoreBatches()
            guard let group = nextGroup() else { break }
            let results: [Result<[Alert], any Error>]
            do {
                results = try store.commitNow(group.map(\.batch)).map { .success($0) }
            } catch where group.count > 1 {
                results = group.map { waiter in Result { try store.commitNow([waiter.batch])[0] } }
            } catch {
                results = Array(repeating: .failure(error), count: group.count)
            }
            precondition(results.count == group.count, "a result for every batch of the group")
            // The log append (and its fsync) overlaps the next group's commit; appends keep commit order, and
            // a group's feeds resume only once its alerts are in the log.
            let created = results.flatMap { (try? $0.get()) ?? [] }
            // Only the continuations: the batches (items, analyses, encoded columns) are freed now, not after
            // the append.
            let continuations = group.map(\.continuation)
            state.withLock { state in
                state.lastCommitted = DispatchTime.now().uptimeNanoseconds
                let previous = state.publishing
                state.publishing = Task { [publisher] in
                    await previous?.value
                    if !created.isEmpty {
                        try? await publisher.publish(created)
                    }
                    for (continuation, result) in zip(continuations, results) {
                        continuation.resume(returning: result)
                    }
                }
            }
        }
    }

    /// Waits up to `linger` for a full group, when some batches wait and commits follow each other closely
    /// (on ``queue``).
    private func waitForMoreBatches() {
        let now = DispatchTime.now()
        let waits = state.withLock { state in
            guard !state.waiting.isEmpty, state.waiting.count < fullGroup,
                state.lastCommitted + busy > now.uptimeNanoseconds
            else { return false }
            state.isWaitingForMore = true
            return true
        }
        let deadline = DispatchTime(uptimeNanoseconds: now.uptimeNanoseconds + linger)
        guard waits, arrivals.wait(timeout: deadline) == .timedOut else { return }
        // Timed out: unless a batch completed the group meanwhile and signals, stop waiting; if one does, take
        // its signal, so that the next wait does not end at once.
        let signalled = state.withLock { state in
            defer { state.isWaitingForMore = false }
            return !state.isWaitingForMore
        }
        if signalled { arrivals.wait() }
    }

    /// Takes the next group off the waiting list, or ends the draining when the list is empty.
    private func nextGroup() -> [Waiter]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.isDraining = false
                return nil
            }
            let group = Array(state.waiting.prefix(Self.maximumGroup))
            state.waiting.removeFirst(group.count)
            return group
        }
    }
}

/// Appends committed alerts to the log, in id order, each read from the store once.
///
/// A caller returns once every alert committed before its call is in the log. Calls that arrive while a pass
/// is running are served together by the next pass (which starts after their commits), so concurrent feeds
/// never read and decode the same alerts twice.
actor AlertPublisher {
    private typealias Waiter = (pass: Int, continuation: CheckedContinuation<Result<Int, any Error>, Never>)

    private let store: FeedStore
    private let log: AlertLogWriter
    /// Passes started so far; the pass numbered `started + 1` is the first to begin after now.
    private var started = 0
    /// The highest pass number some caller waits for.
    private var demanded = 0
    private var waiters: [Waiter] = []
    private var isRunning = false

    init(store: FeedStore, log: AlertLogWriter) {
        self.store = store
        self.log = log
    }

    /// Appends `alerts`, just committed: straight from memory when they directly follow the log's last line,
    /// otherwise (an earlier append failed, or alerts were committed elsewhere) by catching up from the store.
    func publish(_ alerts: [Alert]) async throws {
        let sorted = alerts.inIDOrder
        let follows = sorted.indices.dropFirst().allSatisfy { sorted[$0 - 1].id + 1 == sorted[$0].id }
        if !isRunning, follows, sorted.first?.id == log.lastWrittenID + 1 {
            try log.append(sorted)
        } else {
            try await publishPending()
        }
    }

    /// Appends every committed alert the log lacks.
    /// - Returns: how many lines the pass that served this call appended.
    @discardableResult
    func publishPending() async throws -> Int {
        let pass = started + 1
        demanded = max(demanded, pass)
        let result = await withCheckedContinuation { continuation in
            waiters.append((pass, continuation))
            if !isRunning {
                isRunning = true
                Task { await self.run() }
            }
        }
        return try result.get()
    }

    private func run() async {
        while demanded > started {
            started += 1
            let pass = started
            let result: Result<Int, any Error>
            do {
                result = .success(try await appendAll())
            } catch {
                result = .failure(error)
            }
            let served = waiters.filter { $0.pass <= pass }
            waiters.removeAll { $0.pass <= pass }
            for waiter in served { waiter.continuation.resume(returning: result) }
        }
        isRunning = false
    }

    private func appendAll() async throws -> Int {
        var written = 0
        while true {
            let pending = try await store.alerts(after: log.lastWrittenID, limit: 1_000)
            if pending.isEmpty { return written }
            written += try log.append(pending)
        }
    }
}
