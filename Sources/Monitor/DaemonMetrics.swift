import Foundation
import Prometheus
import Store

/// The daemon's metrics in Prometheus text format, written atomically after every cycle to a file that
/// node_exporter's textfile collector reads (`metrics_file` in the config).
final class DaemonMetrics: Sendable {
    /// The file the metrics are written to.
    let path: String
    private let registry = PrometheusCollectorRegistry()
    private let fetchSeconds: ValueHistogram
    private let itemsParsed: Counter
    private let itemsAnalysed: Counter
    private let cycleSeconds: Gauge
    private let lastSuccess: Gauge

    private static let namespace = "feedwatch"

    /// Creates the metrics for a file path.
    init(path: String) {
        self.path = path
        fetchSeconds = registry.makeValueHistogram(
            descriptor: Self.name("fetch_duration", unit: "seconds", help: "Time to fetch one feed."),
            buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60])
        itemsParsed = registry.makeCounter(
            descriptor: Self.name("items_parsed", unit: "total", help: "Items found in fetched feeds."))
        itemsAnalysed = registry.makeCounter(
            descriptor: Self.name("items_analysed", unit: "total", help: "New items analysed and stored."))
        cycleSeconds = registry.makeGauge(
            descriptor: Self.name("cycle_duration", unit: "seconds", help: "Duration of the last poll cycle."))
        lastSuccess = registry.makeGauge(
            descriptor: Self.name(
                "last_successful_cycle", unit: "timestamp_seconds",
                help: "When a poll cycle in which some feed succeeded last finished."))
    }

    private static func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: namespace, metricName: metric, unitName: unit, helpText: help)
    }

    /// Records one finished cycle: its feeds' reports, its duration, and every feed's state after it.
    func record(cycle reports: [FeedReport], duration: Double, states: [FeedFetchState], at date: Date) {
        for report in reports {
            if let seconds = report.duration { fetchSeconds.record(seconds) }
            itemsParsed.increment(by: Int64(report.items))
            itemsAnalysed.increment(by: Int64(report.newItems))
            if let kind = report.errorKind {
                registry.makeCounter(
                    descriptor: Self.name("fetch_errors", unit: "total", help: "Failed polls by kind of error."),
                    labels: [("kind", kind)]
                ).increment()
            }
            for topic in report.alertTopics {
                registry.makeCounter(
                    descriptor: Self.name("alerts", unit: "total", help: "Alerts raised, by topic."),
                    labels: [("topic", topic)]
                ).increment()
            }
        }
        var byState: [String: Int] = ["ok": 0, "failing": 0, "never_fetched": 0]
        for state in states {
            let key = state.lastFetchAt == nil ? "never_fetched" : (state.lastError == nil ? "ok" : "failing")
            byState[key, default: 0] += 1
        }
        for (state, count) in byState {
            registry.makeGauge(
                descriptor: Self.name("feeds", unit: "", help: "Configured feeds by the state of their last poll."),
                labels: [("state", state)]
            ).set(Double(count))
        }
        cycleSeconds.set(duration)
        if reports.contains(where: { $0.error == nil }) {
            lastSuccess.set(date.timeIntervalSince1970)
        }
    }

    /// Writes the metrics to ``path`` atomically: a temporary file beside it, then a rename.
    func write() throws(MetricsError) {
        let temporary = path + ".tmp"
        do {
            try Data(registry.emitToBuffer()).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw MetricsError(path: path, message: "\(error)")
        }
        guard rename(temporary, path) == 0 else {
            throw MetricsError(path: path, message: String(cString: strerror(errno)))
        }
    }
}

/// The metrics file could not be written.
public struct MetricsError: Error, Sendable, CustomStringConvertible {
    /// The metrics file.
    public var path: String
    /// Why.
    public var message: String

    /// "<path>: cannot write metrics: <message>".
    public var description: String { "\(path): cannot write metrics: \(message)" }
}
