import ArgumentParser
import Foundation
import Monitor
import Store

extension Feedwatch {
    /// `feedwatch feeds`: one row per feed with its fetch state.
    struct Feeds: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each configured feed: last fetch, status, items, alerts, failures.")

        @OptionGroup var options: ConfigOptions

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
            let time = ISO8601DateFormatter()
            print("NAME                 STATUS  LAST FETCH            ITEMS  ALERTS  FAILS  NEXT DUE              URL")
            for feed in loaded.config.feeds {
                let summary = byURL[feed.url]
                let state = summary?.state
                let status = state?.lastError != nil ? "ERROR" : state?.lastStatus.map(String.init) ?? "-"
                let row = [
                    pad(feed.name, 20), pad(status, 6),
                    pad(state?.lastFetchAt.map(time.string) ?? "never", 20),
                    pad("\(summary?.items ?? 0)", 5), pad("\(summary?.alerts ?? 0)", 6),
                    pad("\(state?.consecutiveFailures ?? 0)", 5),
                    pad(state?.nextDueAt.map(time.string) ?? "-", 20), feed.url,
                ]
                print(row.joined(separator: "  "))
                if let error = state?.lastError { print("    last error: \(error)") }
            }
        }

        private func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
        }
    }
}
