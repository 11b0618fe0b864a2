import AlertLog
import Analysis
import ArgumentParser
import Foundation
import Monitor
import Store

extension Feedwatch {
    /// `feedwatch alerts`: list alerts from the store.
    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List alerts from the store.")

        @OptionGroup var options: ConfigOptions

        @Option(help: "Only alerts this recent: a duration (30m, 24h, 7d) or a date (2026-11-29, or ISO 8601).")
        var since: String?

        @Option(help: "Only alerts of this topic id.")
        var topic: String?

        @Option(help: "At most this many alerts (the newest).")
        var limit: Int = 100

        @Flag(help: "Print JSON lines, as in the alert log.")
        var json = false

        func run() async throws {
            let loaded = try loadConfiguration(options.config)
            var sinceDate: Date?
            if let since {
                guard let date = Self.parseSince(since, now: Date()) else {
                    printError("feedwatch alerts: --since '\(since)': write a duration (30m, 24h, 7d) or a date (2026-11-29)")
                    throw ExitCode(2)
                }
                sinceDate = date
            }
            let alerts: [Alert]
            do {
                let store = try FeedStore(path: loaded.config.databasePath)
                alerts = try await store.alerts(since: sinceDate, topic: topic, limit: limit)
            } catch {
                printError("feedwatch alerts: \(error)")
                throw ExitCode(1)
            }
            if json {
                for alert in alerts {
                    FileHandle.standardOutput.write(Data(AlertLogWriter.line(for: alert)))
                }
                return
            }
            if alerts.isEmpty {
                print("no alerts")
                return
            }
            let time = ISO8601DateFormatter()
            for alert in alerts {
                let title = alert.item.title ?? alert.item.link ?? alert.item.guid
                print(
                    "#\(alert.id)  \(time.string(from: alert.time))  \(alert.topic) [\(alert.severity), \(alert.modality), score \(String(format: "%.1f", alert.score))]  \(alert.feed.name)"
                )
                print("    \(title)")
                if let evidence = alert.evidence.first {
                    print("    « \(evidence.text) »")
                }
            }
        }

        /// A duration back from `now`, or an absolute date.
        static func parseSince(_ text: String, now: Date) -> Date? {
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800]
            if let unit = text.last, let factor = units[unit], let value = Double(text.dropLast()), value >= 0 {
                return now.addingTimeInterval(-value * factor)
            }
            let full = ISO8601DateFormatter()
            if let date = full.date(from: text) { return date }
            let day = ISO8601DateFormatter()
            day.formatOptions = [.withFullDate]
            return day.date(from: text)
        }
    }
}
