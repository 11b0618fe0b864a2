import AlertLog
import ArgumentParser
import FeedFetch
import Foundation
import Logging
import Monitor
import ServiceLifecycle
import UnixSignals
import Store

extension Feedwatch {
    /// `feedwatch run`: the daemon.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the daemon: poll the feeds, analyse new items, write alerts.")

        @OptionGroup var options: ConfigOptions

        @Flag(help: "Poll every feed once, process everything, and exit.")
        var once = false

        @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
        var logLevel: Logger.Level = .info

        func run() async throws {
            bootstrapLogging(level: logLevel)
            // A file size limit must surface as a write error (EFBIG) that the store reports, not kill us;
            // a closed stderr or socket must be an error, not SIGPIPE.
            signal(SIGXFSZ, SIG_IGN)
            signal(SIGPIPE, SIG_IGN)
            let logger = Logger(label: "feedwatch")
            let loaded = try loadConfiguration(options.config)
            let store: FeedStore
            let log: AlertLogWriter
            do {
                store = try FeedStore(path: loaded.config.databasePath)
                log = try AlertLogWriter(path: loaded.config.alertLogPath)
            } catch {
                printError("feedwatch: \(error)")
                throw ExitCode(1)
            }
            let fetcher = FeedFetcher(maxConnectionsPerHost: loaded.config.poll.scheduling.connectionsPerHost)
            defer { fetcher.shutdown() }
            logger.info(
                "config \(loaded.config.file): \(loaded.config.feeds.count) feed(s), database \(loaded.config.databasePath), alert log \(loaded.config.alertLogPath)"
            )
            let service = MonitorService(
                configPath: options.config, configuration: loaded, store: store, log: log, fetcher: fetcher,
                logger: logger)

            if once {
                let reports: [FeedReport]
                do {
                    reports = try await service.runOnce()
                } catch let error as StoreError where error.isDiskFull {
                    printError("feedwatch: cannot commit, the disk is full or failing: \(error)")
                    printError("feedwatch: nothing committed before was lost; run again when there is space")
                    throw ExitCode(1)
                } catch let error as AlertLogError {
                    printError("feedwatch: cannot write the alert log: \(error)")
                    printError("feedwatch: the alerts are committed in the store; the log catches up on the next run")
                    throw ExitCode(1)
                }
                for report in reports {
                    let status = report.status.map { "HTTP \($0)" } ?? "-"
                    let outcome = report.error.map { "FAILED: \($0)" } ?? "\(report.items) items, \(report.newItems) new"
                    logger.info("\(report.url): \(status), \(outcome), \(report.alerts) alert(s)")
                }
                let alerts = reports.reduce(0) { $0 + $1.alerts }
                let failed = reports.filter { $0.error != nil }.count
                logger.notice("cycle done: \(reports.count) feed(s), \(failed) failed, \(alerts) new alert(s)")
                return
            }

            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: service)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                ))
            try await group.run()
        }
    }
}
