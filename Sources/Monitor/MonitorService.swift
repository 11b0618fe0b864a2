import Foundation
public import Logging
public import ServiceLifecycle
import Store

/// The daemon's scheduler loop as a `Service`: polls each feed when it is due until graceful shutdown,
/// finishing the batch in flight before it returns.
public struct MonitorService: Service {
    private let monitor: FeedMonitor
    private let logger: Logger

    /// Creates the service over a monitor.
    public init(monitor: FeedMonitor, logger: Logger) {
        self.monitor = monitor
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        let caughtUp = try await monitor.catchUpAlertLog()
        if caughtUp > 0 { logger.notice("alert log caught up with \(caughtUp) committed alert(s)") }
        var states = try await monitor.registerFeeds()
        logger.info("watching \(states.count) feed(s)")
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let now = Date()
            let due = states.filter { ($0.nextDueAt ?? .distantPast) <= now }
            if !due.isEmpty {
                do {
                    let reports = try await monitor.poll(due)
                    let alerts = reports.reduce(0) { $0 + $1.alerts }
                    let failed = reports.filter { $0.error != nil }.count
                    logger.info("polled \(reports.count) feed(s): \(alerts) alert(s), \(failed) failed")
                } catch let error as StoreError where error.isDiskFull {
                    logger.error("cannot commit, the disk is full; retrying in 30 s: \(error)")
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(30)) }
                } catch let error as StoreError {
                    throw error
                } catch {
                    logger.error("cycle failed: \(error)")
                }
                states = try await monitor.registerFeeds()
            }
            let next = states.compactMap(\.nextDueAt).min() ?? now.addingTimeInterval(monitor.config.poll.interval)
            let wait = min(max(next.timeIntervalSinceNow, 0.05), 60)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(wait)) }
        }
        logger.info("stopped")
    }
}
