import AlertLog
import Analysis
import ArgumentParser
import Foundation
import Monitor
import Store

#if canImport(Glibc)
import Glibc
#endif

extension Feedwatch {
    /// `feedwatch alerts`: list (or follow) alerts from the store.
    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List alerts from the store, or follow new ones as they are committed.")

        @OptionGroup var options: ConfigOptions

        @Option(help: "Only alerts this recent: a duration (30m, 24h, 7d) or a date (2026-11-29, or ISO 8601).")
        var since: String?

        @Option(help: "Only alerts of this topic id.")
        var topic: String?

        @Option(help: "Only alerts from this feed (its name or URL).")
        var feed: String?

        @Option(help: "Only alerts of at least this severity: low, medium, high, critical.")
        var minSeverity: String?

        @Option(help: "At most this many alerts (the newest) before following.")
        var limit: Int = 100

        @Flag(help: "Print JSON lines, as in the alert log.")
        var json = false

        @Flag(help: "Keep running and print new alerts as they are committed (like tail -f, from the store).")
        var follow = false

        func validate() throws {
            if let minSeverity, !AlertQuery.severities.contains(minSeverity.lowercased()) {
                throw ValidationError("--min-severity must be one of \(AlertQuery.severities.joined(separator: ", "))")
            }
            if limit < 0 { throw ValidationError("--limit must not be negative") }
            try Self.validateSince(since)
        }

        func run() async throws {
            let loaded = try loadConfiguration(options.config)
            var query = AlertQuery(topic: topic, feed: feed, minimumSeverity: minSeverity?.lowercased())
            query.since = since.flatMap { Self.parseSince($0, now: Date()) }
            let store = try openExistingStore(loaded.config.databasePath, command: "alerts")
            let printer = AlertPrinter(json: json)
            // Read the last id before listing, so nothing committed in between is missed when following.
            let snapshot = try await lastID(store)
            let alerts = try await fetch(store, query, limit: limit)
            if alerts.isEmpty && !json && !follow { print("no alerts") }
            alerts.forEach(printer.print)
            guard follow else { return }
            query.afterID = max(snapshot, alerts.last?.id ?? 0)
            while true {
                try await Task.sleep(for: .seconds(1))
                // Page forward from the last id shown: a burst larger than a page is printed whole, in order.
                while true {
                    let page = try await fetch(store, query, limit: 1_000)
                    page.forEach(printer.print)
                    guard let last = page.last else { break }
                    query.afterID = last.id
                    if page.count < 1_000 { break }
                }
            }
        }

        private func fetch(_ store: FeedStore, _ query: AlertQuery, limit: Int) async throws -> [Alert] {
            do {
                return try await store.alerts(matching: query, limit: limit)
            } catch {
                printError("feedwatch alerts: \(error)")
                throw ExitCode(1)
            }
        }

        private func lastID(_ store: FeedStore) async throws -> Int64 {
            do {
                return try await store.lastAlertID()
            } catch {
                printError("feedwatch alerts: \(error)")
                throw ExitCode(1)
            }
        }

        /// Rejects a `--since` value that ``parseSince(_:now:)`` cannot read (shared by `alerts` and `stories`).
        static func validateSince(_ since: String?) throws {
            if let since, parseSince(since, now: Date()) == nil {
                throw ValidationError("--since '\(since)': write a duration (30m, 24h, 7d) or a date (2026-11-29)")
            }
        }

        /// A duration back from `now`, or an absolute date.
        static func parseSince(_ text: String, now: Date) -> Date? {
            if let seconds = Durations.seconds(in: text) { return now.addingTimeInterval(-seconds) }
            let full = ISO8601DateFormatter()
            if let date = full.date(from: text) { return date }
            let day = ISO8601DateFormatter()
            day.formatOptions = [.withFullDate]
            return day.date(from: text)
        }
    }
}

/// Prints alerts as JSON lines or as a readable block cut to the terminal's width.
struct AlertPrinter {
    let json: Bool
    let width: Int?
    private let time: ISO8601DateFormatter

    init(json: Bool) {
        self.json = json
        width = Self.terminalWidth()
        time = ISO8601DateFormatter()
    }

    func print(_ alert: Alert) {
        if json {
            FileHandle.standardOutput.write(Data(AlertLogWriter.line(for: alert)))
            return
        }
        let score = String(format: "%.1f", alert.score)
        let kind = alert.kind == .new ? "" : "\(alert.kind.rawValue.uppercased())  "
        var lines = [
            "#\(alert.id)  \(time.string(from: alert.time))  \(kind)\(alert.topic)  \(alert.severity)  \(alert.modality)  score \(score)  \(alert.feed.name)  story \(alert.story) (\(alert.sources) source\(alert.sources == 1 ? "" : "s"))",
            "    " + (alert.item.title ?? alert.item.link ?? alert.item.guid),
        ]
        if let change = alert.change { lines.append("    changed: \(change)") }
        if let burst = alert.burst {
            lines.append(
                "    burst: \(burst.stories) stories in the last hour from \(burst.sources) feeds, baseline \(burst.baseline)/h (×\(burst.ratio))")
        }
        if let evidence = alert.evidence.first {
            lines.append("    « \(evidence.text) »")
        }
        if let link = alert.item.link { lines.append("    \(link)") }
        let text = lines.map(cut).joined(separator: "\n") + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private func cut(_ line: String) -> String {
        let flat = line.replacingOccurrences(of: "\n", with: " ")
        guard let width, flat.count > width, width > 1 else { return flat }
        return String(flat.prefix(width - 1)) + "…"
    }

    /// Columns of the terminal on stdout; `$COLUMNS` when piped; nil (no cutting) otherwise.
    private static func terminalWidth() -> Int? {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init)
    }
}
