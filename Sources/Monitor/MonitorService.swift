import AlertLog
import Analysis
import FeedFetch
import Foundation
public import Logging
public import ServiceLifecycle
import Store
import Synchronization
import UnixSignals

/// The daemon as one `Service`: the scheduler loop, systemd notifications and watchdog, SIGHUP reload
/// and log reopening, metrics, and a graceful stop that finishes the batch in flight.
public final class MonitorService: Service, Sendable {
    private let configPath: String
    private let store: FeedStore
    private let log: AlertLogWriter
    private let fetcher: FeedFetcher
    private let logger: Logger
    private let notifier: SystemdNotifier
    private let heartbeat: Heartbeat
    private let environment: [String: String]
    private let metrics: DaemonMetrics?
    private let state: Mutex<State>
    /// How long to wait before trying again when the store cannot be written.
    private let storeRetryDelay: Duration = .seconds(30)

    private struct State {
        var monitor: FeedMonitor
        var lastCycle: Date?
        var lastCycleFailures = 0
        var alertsToday = 0
        var today = ""
        var reloadRequested = false
        var storeProblem: String?
        var lastPrune: Date?
    }

    /// Creates the service over an open store and log and a loaded configuration.
    public init(
        configPath: String, configuration: LoadedConfiguration, store: FeedStore, log: AlertLogWriter,
        fetcher: FeedFetcher, logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.configPath = configPath
        self.store = store
        self.log = log
        self.fetcher = fetcher
        self.logger = logger
        self.notifier = SystemdNotifier(environment: environment)
        self.environment = environment
        heartbeat = Heartbeat(stuckAfter: Heartbeat.limit(forFetchTimeout: configuration.config.poll.timeout))
        metrics = configuration.config.metricsPath.map(DaemonMetrics.init(path:))
        let monitor = FeedMonitor(
            configuration: configuration, store: store, log: log, fetcher: fetcher, logger: logger,
            scheduling: configuration.config.poll.scheduling)
        state = Mutex(State(monitor: monitor))
    }

    private var monitor: FeedMonitor { state.withLock { $0.monitor } }

    // MARK: One cycle (`feedwatch run --once`)

    /// Polls every feed once and processes everything: the log catches up first, metrics are written last.
    /// - Returns: a report per feed.
    public func runOnce() async throws -> [FeedReport] {
        try await prepare()
        let started = ContinuousClock.now
        let reports = try await monitor.poll(try await monitor.configuredFeedStates())
        try await monitor.catchUpAlertLog()
        await writeMetrics(reports, duration: ContinuousClock.now - started)
        return reports
    }

    /// Aligns the store's alert ids with the log, appends what the log lacks, and registers the feeds.
    private func prepare() async throws {
        if try await store.ensureAlertIDsFollow(log.lastWrittenID) {
            logger.critical(
                "the alert log (\(log.path)) is ahead of the database: the store lost commits (power loss?); new alert ids continue after the log's last id \(log.lastWrittenID)"
            )
        }
        let caughtUp = try await monitor.catchUpAlertLog()
        if caughtUp > 0 { logger.notice("alert log caught up with \(caughtUp) committed alert(s)") }
        _ = try await monitor.registerFeeds()
    }

    // MARK: The daemon

    /// Runs until graceful shutdown (SIGTERM, SIGINT) or cancellation.
    public func run() async throws {
        // Trap SIGHUP and SIGUSR1 before anything else: until then their default action ends the process.
        let signals = await UnixSignalsSequence(trapping: .sighup, .sigusr1)
        try await prepare()
        let today = Self.startOfToday()
        let count = try await store.alertCount(since: today)
        state.withLock {
            $0.today = Self.day(Date())
            $0.alertsToday = count
        }
        logger.info("watching \(monitor.config.feeds.count) feed(s)")
        notifier.notify(["READY=1", "STATUS=\(statusLine())"])

        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                if let interval = notifier.watchdogInterval {
                    group.addTask { await self.petWatchdog(every: interval) }
                }
                group.addTask { await self.handle(signals) }
                await self.schedule()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.logger.info("stopping: finishing the fetches in flight")
            self.notifier.notify(["STOPPING=1", "STATUS=stopping"])
        }
        logger.info("stopped")
    }

    private func schedule() async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if state.withLock({ $0.reloadRequested }) {
                    await reload()
                    _ = try await monitor.registerFeeds()
                }
                let states = try await monitor.configuredFeedStates()
                let now = Date()
                let due = states.filter { ($0.nextDueAt ?? .distantPast) <= now }
                if !due.isEmpty {
                    try await cycle(due)
                    continue  // the cycle changed the due times: read them again
                }
                // Sleep until the next feed is due, but at most a second, so a reload is applied promptly.
                let next = states.compactMap(\.nextDueAt).min() ?? now.addingTimeInterval(1)
                let wait = min(max(next.timeIntervalSinceNow, 0.05), 1)
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(wait)) }
            } catch {
                // The store cannot be written (a full disk) or read: keep everything, retry later.
                heartbeat.cycleEnded()
                let problem = (error as? StoreError).map { $0.isDiskFull ? "cannot commit, the disk is full or failing: \($0)" : "\($0)" }
                    ?? "\(error)"
                logger.error("\(problem); retrying in \(storeRetryDelay)")
                state.withLock { $0.storeProblem = problem }
                notifier.notify(["STATUS=\(statusLine())"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.storeRetryDelay) }
            }
        }
    }

    private func cycle(_ due: [FeedFetchState]) async throws {
        let monitor = self.monitor
        let heartbeat = self.heartbeat
        heartbeat.cycleStarted()
        defer { heartbeat.cycleEnded() }
        let started = ContinuousClock.now
        let reports = try await monitor.poll(due) { _ in heartbeat.progressed() }
        do {
            try await monitor.catchUpAlertLog()
        } catch {
            logger.error("alert log not written yet (the alerts are committed; it catches up next cycle): \(error)")
        }
        let alerts = reports.reduce(0) { $0 + $1.alerts }
        let failed = reports.filter { $0.error != nil }.count
        recordCycle(alerts: alerts, failed: failed)
        logger.info("polled \(reports.count) feed(s): \(alerts) alert(s), \(failed) failed")
        await writeMetrics(reports, duration: ContinuousClock.now - started)
        await pruneIfDue()
        notifier.notify(["STATUS=\(statusLine())"])
    }

    /// Applies `retention` once a day (the first time after the first cycle), when the config sets it.
    private func pruneIfDue() async {
        guard let retention = monitor.config.retention else { return }
        let now = Date()
        let due = state.withLock { state -> Bool in
            guard (state.lastPrune.map { now.timeIntervalSince($0) >= 86400 }) ?? true else { return false }
            state.lastPrune = now
            return true
        }
        guard due else { return }
        do {
            let report = try await store.prune(
                before: now.addingTimeInterval(-retention), keepingAlertsAfter: log.lastWrittenID, now: now)
            logger.notice(
                "retention \(String(format: "%g", retention / 86400)) days: pruned \(report.alerts) alert(s), \(report.items) item(s), \(report.stories) story(ies)")
        } catch {
            logger.error("retention prune failed (nothing was removed; retried tomorrow): \(error)")
        }
    }

    private func writeMetrics(_ reports: [FeedReport], duration: Duration) async {
        guard let metrics else { return }
        do {
            let states = try await monitor.configuredFeedStates()
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
            metrics.record(cycle: reports, duration: seconds, states: states, at: Date())
            try metrics.write()
        } catch {
            logger.warning("metrics not written: \(error)")
        }
    }

    // MARK: systemd

    private func petWatchdog(every interval: Duration) async {
        var warned = false
        while !Task.isCancelled {
            if heartbeat.isHealthy {
                notifier.notify(["WATCHDOG=1"])
                warned = false
            } else if !warned {
                logger.critical(
                    "no feed finished for \(heartbeat.stuckAfter) in a busy cycle; no longer petting the watchdog")
                warned = true
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func statusLine() -> String {
        state.withLock { state in
            if let problem = state.storeProblem { return problem }
            let feeds = state.monitor.config.feeds.count
            let last = state.lastCycle.map { "last cycle \(StoredDate.iso8601($0))" } ?? "no cycle yet"
            let failed = state.lastCycleFailures > 0 ? " (\(state.lastCycleFailures) failed)" : ""
            return "\(feeds) feed(s), \(last)\(failed), \(state.alertsToday) alert(s) today"
        }
    }

    private func recordCycle(alerts: Int, failed: Int) {
        let today = Self.day(Date())
        state.withLock { state in
            if state.today != today {
                state.today = today
                state.alertsToday = 0
            }
            state.alertsToday += alerts
            state.lastCycle = Date()
            state.lastCycleFailures = failed
            state.storeProblem = nil
        }
    }

    private static func startOfToday() -> Date {
        // UTC days are 86,400 s long (no leap seconds in Unix time); a Calendar would load ICU.
        let now = Date().timeIntervalSince1970
        return Date(timeIntervalSince1970: (now / 86_400).rounded(.down) * 86_400)
    }

    private static func day(_ date: Date) -> String {
        String(StoredDate.iso8601(date).prefix(10))
    }

    // MARK: Signals: SIGHUP reloads and reopens the log, SIGUSR1 reopens the log

    private func handle(_ signals: UnixSignalsSequence) async {
        for await signal in signals {
            reopenLog()
            if signal == .sighup {
                // The scheduler applies it between cycles, so no batch sees two configurations.
                state.withLock { $0.reloadRequested = true }
            }
        }
    }

    private func reopenLog() {
        do {
            try log.reopen()
            logger.info("alert log reopened: \(log.path)")
        } catch {
            logger.error("cannot reopen the alert log: \(error)")
        }
    }

    /// Re-reads the config, topics and entities; keeps the running ones when any file is bad.
    private func reload() async {
        state.withLock { $0.reloadRequested = false }
        notifier.notify(["RELOADING=1", "MONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())"])
        logger.info("reloading \(configPath)")
        do {
            var loaded = try ConfigurationLoader.load(path: configPath, environment: environment)
            let running = monitor.config
            if loaded.config.databasePath != running.databasePath || loaded.config.alertLogPath != running.alertLogPath
                || loaded.config.metricsPath != running.metricsPath
            {
                logger.warning("database, alert_log and metrics_file changes take effect on restart; keeping the open ones")
                loaded.config.databasePath = running.databasePath
                loaded.config.alertLogPath = running.alertLogPath
                loaded.config.metricsPath = running.metricsPath
            }
            let monitor = FeedMonitor(
                configuration: loaded, store: store, log: log, fetcher: fetcher, logger: logger,
                scheduling: loaded.config.poll.scheduling)
            state.withLock { $0.monitor = monitor }
            heartbeat.stuckAfter = Heartbeat.limit(forFetchTimeout: loaded.config.poll.timeout)
            logger.notice("reloaded: \(loaded.config.feeds.count) feed(s), \(loaded.analyzer.topicIDs.count) topic(s)")
            notifier.notify(["READY=1", "STATUS=\(statusLine())"])
        } catch {
            for problem in error.errors {
                logger.error("reload failed, keeping the running config: \(problem)")
            }
            let first = error.errors.first?.description ?? "unknown error"
            notifier.notify(["READY=1", "STATUS=reload failed: \(first)"])
        }
    }
}
