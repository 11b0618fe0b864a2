import ArgumentParser
import Foundation
import Monitor
import Store

extension Feedwatch {
    /// `feedwatch feeds`: one row per configured feed with its fetch state.
    struct Feeds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each configured feed: status, last fetch, size, items, alerts, failures, next due.",
            discussion: """
                Times are relative to now. Under a row: the last error, how long the feed has been failing, \
                where it moved (a permanent redirect seen on two polls in a row), or a move not yet confirmed.
                """)

        @OptionGroup var options: ConfigOptions

        @Flag(help: "Print one JSON object per feed (all fields, ISO 8601 times) instead of the table.")
        var json = false

        func run() async throws {
            let loaded = try loadConfiguration(options.config)
            let summaries: [FeedSummary]
            let store = try openExistingStore(loaded.config.databasePath, command: "feeds")
            do {
                summaries = try await store.feedSummaries()
            } catch {
                printError("feedwatch feeds: \(error)")
                throw ExitCode(1)
            }
            let byURL = Dictionary(summaries.map { ($0.state.url, $0) }, uniquingKeysWith: { first, _ in first })
            let rows = loaded.config.feeds.map { FeedRow(feed: $0, summary: byURL[$0.url]) }
            if json {
                let encoder = makeJSONEncoder(pretty: false)
                for row in rows { printLine(try encoder.encode(row)) }
            } else {
                printTable(rows, now: Date())
            }
        }

        private func printTable(_ rows: [FeedRow], now: Date) {
            let header = [
                pad("NAME", 20), pad("STATUS", 9), pad("LAST FETCH", 10), pad("TOOK", 6), pad("BYTES", 7, right: true),
                pad("ITEMS", 6, right: true), pad("ALERTS", 6, right: true), pad("FAILS", 5, right: true),
                pad("NEXT DUE", 10), "URL",
            ]
            print(header.joined(separator: "  "))
            for row in rows {
                let status: String
                if row.error != nil {
                    status = "ERROR" + (row.status.map { " \($0)" } ?? "")
                } else {
                    status = row.status.map(String.init) ?? "-"
                }
                let fields = [
                    pad(row.name, 20), pad(status, 9),
                    pad(row.lastFetch.map { Self.ago($0, now: now) } ?? "never", 10),
                    pad(row.duration.map(Self.seconds) ?? "-", 6),
                    pad(row.bytes.map(Self.bytes) ?? "-", 7, right: true),
                    pad("\(row.items)", 6, right: true), pad("\(row.alerts)", 6, right: true),
                    pad("\(row.failures)", 5, right: true),
                    pad(row.nextDue.map { Self.due($0, now: now) } ?? "now", 10), row.url,
                ]
                print(fields.joined(separator: "  "))
                if let error = row.error { print("    last error: \(error)") }
                if row.failures > 0 {
                    let since = row.lastSuccess.map { "last success \(Self.ago($0, now: now))" } ?? "never succeeded"
                    print("    failing: \(row.failures) poll(s) in a row, \(since)")
                }
                if let moved = row.fetchURL {
                    print("    moved permanently to \(moved): fetched from there; update the url in the config")
                }
                if let pending = row.pendingRedirect {
                    print("    permanent redirect to \(pending.url) seen \(pending.seen)x in a row; followed for good at 2")
                }
            }
        }

        /// `5s ago`, `12m ago`, `3h ago`, `2d ago`.
        static func ago(_ date: Date, now: Date) -> String {
            let seconds = now.timeIntervalSince(date)
            return seconds < 0 ? "in \(span(-seconds))" : "\(span(seconds)) ago"
        }

        /// `in 14m`, or `overdue` when the time has passed.
        static func due(_ date: Date, now: Date) -> String {
            let seconds = date.timeIntervalSince(now)
            return seconds <= 0 ? "overdue" : "in \(span(seconds))"
        }

        /// A duration in its largest whole unit: `45s`, `12m`, `3h`, `2d`.
        static func span(_ seconds: Double) -> String {
            switch seconds {
            case ..<60: "\(Int(seconds))s"
            case ..<3600: "\(Int(seconds / 60))m"
            case ..<86_400: "\(Int(seconds / 3600))h"
            default: "\(Int(seconds / 86_400))d"
            }
        }

        /// `143ms`, `3.4s`, `12s`.
        static func seconds(_ value: Double) -> String {
            switch value {
            case ..<1: "\(Int((value * 1000).rounded()))ms"
            case ..<10: String(format: "%.1fs", value)
            default: "\(Int(value.rounded()))s"
            }
        }

        /// `812B`, `34K`, `1.2M`.
        static func bytes(_ count: Int) -> String {
            switch count {
            case ..<1024: "\(count)B"
            case ..<(1 << 20): "\(count >> 10)K"
            default: String(format: "%.1fM", Double(count) / Double(1 << 20))
            }
        }

        private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
            if text.count >= width { return String(text.prefix(width)) }
            let fill = String(repeating: " ", count: width - text.count)
            return right ? fill + text : text + fill
        }
    }
}

/// One feed as `feedwatch feeds` shows it: the config's name and URL with the store's state.
struct FeedRow: Encodable {
    /// A permanent redirect not yet confirmed.
    struct Pending: Encodable {
        var url: String
        var seen: Int
    }

    var name: String
    var url: String
    var fetchURL: String?
    var status: Int?
    var error: String?
    var lastFetch: Date?
    var lastSuccess: Date?
    var nextDue: Date?
    var failures: Int
    var bytes: Int?
    var duration: Double?
    var items: Int
    var alerts: Int
    var etag: String?
    var lastModified: String?
    var ttlMinutes: Int?
    var pendingRedirect: Pending?

    init(feed: FeedConfig, summary: FeedSummary?) {
        let state = summary?.state
        name = feed.name
        url = feed.url
        fetchURL = state?.fetchURL
        status = state?.lastStatus
        error = state?.lastError
        lastFetch = state?.lastFetchAt
        lastSuccess = state?.lastSuccessAt
        nextDue = state?.nextDueAt
        failures = state?.consecutiveFailures ?? 0
        bytes = state?.lastBytes
        duration = state?.lastDuration
        items = summary?.items ?? 0
        alerts = summary?.alerts ?? 0
        etag = state?.etag
        lastModified = state?.lastModified
        ttlMinutes = state?.ttlMinutes
        pendingRedirect = state?.pendingRedirect.map { Pending(url: $0.url, seen: $0.seen) }
    }

    enum CodingKeys: String, CodingKey {
        case name, url, status, error, failures, bytes, duration, items, alerts, etag
        case fetchURL = "fetch_url"
        case lastFetch = "last_fetch"
        case lastSuccess = "last_success"
        case nextDue = "next_due"
        case lastModified = "last_modified"
        case ttlMinutes = "ttl_minutes"
        case pendingRedirect = "pending_redirect"
    }
}
