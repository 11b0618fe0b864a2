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
/// and log reopening, and a graceful stop that finishes the batch in flight.
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

    private struct State {
        var monitor: FeedMonitor
        var lastCycle: Date?
        var lastCycleFailures = 0
        var alertsToday = 0
        var today = ""
        var reloadRequested = false
    }

    /// Creates the service over an open store and log and a loaded configuration.
    public init(
        configPath: String, configuration: LoadedConfiguration, store: FeedStore, log: AlertLogWriter,
        fetcher: FeedFetcher, logger: Logger, notifier: SystemdNotifier = SystemdNotifier(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.configPath = configPath
        self.store = store
        self.log = log
        self.fetcher = fetcher
        self.logger = logger
        self.notifier = notifier
        self.environment = environment
        let timeout = configuration.config.poll.timeout
        heartbeat = Heartbeat(stuckAfter: .seconds(max(120, timeout * 4)))
        metrics = configuration.config.metricsPath.map(DaemonMetrics.init(path:))
        let monitor = FeedMonitor(configuration: configuration, store: store, log: log, fetcher: fetcher, logger: logger)
        state = Mutex(State(monitor: monitor))
    }

    private var monitor: FeedMonitor { state.withLock { $0.monitor } }

    /// Runs until graceful shutdown (SIGTERM, SIGINT) or cancellation.
    public func run() async throws {
        let caughtUp = try await monitor.catchUpAlertLog()
        if caughtUp > 0 { logger.notice("alert log caught up with \(caughtUp) committed alert(s)") }
        let feeds = try await monitor.registerFeeds()
        try await countAlertsToday()
        logger.info("watching \(feeds.count) feed(s)")
        notifier.notify(["READY=1", "STATUS=\(statusLine())"])

        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let interval = notifier.watchdogInterval {
                    group.addTask { await self.petWatchdog(every: interval) }
                }
                group.addTask { await self.handleSignals() }
                try await self.schedule()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.logger.info("stopping: finishing the batch in flight")
            self.notifier.notify(["STOPPING=1", "STATUS=stopping"])
        }
        logger.info("stopped")
    }

    // MARK: The scheduler loop

    private func schedule() async throws {
        var states = try await monitor.registerFeeds()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if state.withLock({ $0.reloadRequested }) {
                await reload()
                states = try await monitor.registerFeeds()
            }
            let now = Date()
            let due = states.filter { ($0.nextDueAt ?? .distantPast) <= now }
            if !due.isEmpty {
                let monitor = self.monitor
                heartbeat.cycleStarted()
                let started = ContinuousClock.now
                do {
                    let heartbeat = self.heartbeat
                    let reports = try await monitor.poll(due) { _ in heartbeat.progressed() }
                    let alerts = reports.reduce(0) { $0 + $1.alerts }
                    let failed = reports.filter { $0.error != nil }.count
                    recordCycle(alerts: alerts, failed: failed)
                    logger.info("polled \(reports.count) feed(s): \(alerts) alert(s), \(failed) failed")
                    await writeMetrics(reports, duration: ContinuousClock.now - started)
                } catch let error as StoreError where error.isDiskFull {
                    logger.error("cannot commit, the disk is full; retrying in 30 s: \(error)")
                    notifier.notify(["STATUS=cannot commit: disk full (\(error.path))"])
                    heartbeat.cycleEnded()
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(30)) }
                } catch let error as StoreError {
                    throw error
                } catch {
                    logger.error("cycle failed: \(error)")
                }
                heartbeat.cycleEnded()
                notifier.notify(["STATUS=\(statusLine())"])
                states = try await monitor.registerFeeds()
            }
            let interval = monitor.config.poll.interval
            let next = states.compactMap(\.nextDueAt).min() ?? now.addingTimeInterval(interval)
            let wait = min(max(next.timeIntervalSinceNow, 0.05), 1)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(wait)) }
        }
    }

    private func writeMetrics(_ reports: [FeedReport], duration: Duration) async {
        guard let metrics else { return }
        do {
            let states = try await monitor.registerFeeds()
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
                logger.critical("the poll cycle made no progress for \(heartbeat.stuckAfter); no longer petting the watchdog")
                warned = true
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func statusLine() -> String {
        state.withLock { state in
            let feeds = state.monitor.config.feeds.count
            let last = state.lastCycle.map { "last cycle \($0.formatted(.iso8601))" } ?? "no cycle yet"
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
        }
    }

    private func countAlertsToday() async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let midnight = calendar.startOfDay(for: Date())
        let count = try await store.alerts(since: midnight, topic: nil, limit: 1_000_000).count
        let today = Self.day(Date())
        state.withLock {
            $0.today = today
            $0.alertsToday = count
        }
    }

    private static func day(_ date: Date) -> String {
        String(date.formatted(.iso8601).prefix(10))
    }

    // MARK: Signals: SIGHUP reloads and reopens the log, SIGUSR1 reopens the log

    private func handleSignals() async {
        let signals = await UnixSignalsSequence(trapping: .sighup, .sigusr1)
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
            if loaded.config.databasePath != running.databasePath || loaded.config.alertLogPath != running.alertLogPath {
                logger.warning("database and alert_log changes take effect on restart; keeping the open ones")
                loaded.config.databasePath = running.databasePath
                loaded.config.alertLogPath = running.alertLogPath
            }
            let monitor = FeedMonitor(configuration: loaded, store: store, log: log, fetcher: fetcher, logger: logger)
            state.withLock { $0.monitor = monitor }
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
